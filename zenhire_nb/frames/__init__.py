"""Interview results as pandas DataFrames: parsing, frame builders and their schemas.

Builders are pure functions over data the client already fetched (no HTTP here)::

    sessions = sessions_frame(client.sessions.list(status="completed"))
    transcripts = {sid: client.sessions.transcript(sid) for sid in sessions["session_id"]}
    turns = turns_frame(transcripts, sessions=sessions)
    answers = answers_frame(turns)
    recordings = recordings_frame({sid: path, ...})
    summary = session_summary_frame(turns, answers=answers, sessions=sessions,
                                    recordings=recordings)

Fetching and caching (HTTP, through the client)::

    cohort = load_cohort(client, persona_id="p_1")      # or: await aload_cohort(async_client)
    cohort.sessions, cohort.turns, cohort.answers, cohort.recordings, cohort.summary
    cohort.failures                                      # what failed, per session and stage

Completed sessions' transcripts and recordings are kept in a local cache (:class:`ResultsCache`,
default under the user cache dir or ``$ZENHIRE_CACHE_DIR``), so a re-run fetches only what is new.

Every frame's columns, dtypes and units are in :data:`SCHEMAS` (``schema_frame("turns")``
shows one as a table). Errors derive from :class:`FramesError`.
"""

from __future__ import annotations

from zenhire_nb.frames._raw import RawDocuments
from zenhire_nb.frames.answers import answers_frame
from zenhire_nb.frames.bulk import Cohort, CohortLoadWarning, aload_cohort, load_cohort
from zenhire_nb.frames.cache import CACHE_DIR_ENV, ResultsCache, default_cache_root
from zenhire_nb.frames.errors import (
    CacheError,
    FramesError,
    RecordingFormatError,
    TranscriptFormatError,
)
from zenhire_nb.frames.export import ExportSummary, export_cohort, read_export
from zenhire_nb.frames.parsing import (
    ChannelStats,
    Turn,
    VadSettings,
    WavInfo,
    analyse_recording,
    iter_wav_blocks,
    parse_transcript,
    read_wav,
    read_wav_info,
)
from zenhire_nb.frames.query import CohortFilters, CohortQuery
from zenhire_nb.frames.recordings import recordings_frame
from zenhire_nb.frames.schemas import SCHEMA_VERSION, SCHEMAS, ColumnSpec, schema_frame
from zenhire_nb.frames.sessions import sessions_frame
from zenhire_nb.frames.summary import session_summary_frame
from zenhire_nb.frames.turns import turns_frame

__all__ = [
    "CACHE_DIR_ENV",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "CacheError",
    "ChannelStats",
    "Cohort",
    "CohortFilters",
    "CohortQuery",
    "CohortLoadWarning",
    "ColumnSpec",
    "ExportSummary",
    "FramesError",
    "RawDocuments",
    "RecordingFormatError",
    "ResultsCache",
    "TranscriptFormatError",
    "Turn",
    "VadSettings",
    "WavInfo",
    "aload_cohort",
    "analyse_recording",
    "answers_frame",
    "default_cache_root",
    "export_cohort",
    "iter_wav_blocks",
    "load_cohort",
    "parse_transcript",
    "read_export",
    "read_wav",
    "read_wav_info",
    "recordings_frame",
    "schema_frame",
    "session_summary_frame",
    "sessions_frame",
    "turns_frame",
]
