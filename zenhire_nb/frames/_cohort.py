"""What a cohort load must fetch, and how the frames are built from the cache afterwards.

Shared by the sync and async loaders in :mod:`zenhire_nb.frames.bulk`, which differ only in how
they run the :class:`Job` list (a thread pool of sync requests, or tasks on an event loop: see
:mod:`._runners`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._index import IndexRow
from zenhire_nb.frames._state import CachedState
from zenhire_nb.frames.answers import answers_frame
from zenhire_nb.frames.cache import ResultsCache
from zenhire_nb.frames.errors import CacheError, RecordingFormatError
from zenhire_nb.frames.parsing import VadSettings, read_wav_info
from zenhire_nb.frames.query import CohortQuery
from zenhire_nb.frames.recordings import recording_rows
from zenhire_nb.frames.schemas import SCHEMA_VERSION, STRING_DTYPE, apply_schema, empty_frame
from zenhire_nb.frames.sessions import sessions_frame
from zenhire_nb.frames.summary import session_summary_frame
from zenhire_nb.frames.turns import turns_frame

__all__ = [
    "FAILURE_COLUMNS",
    "Cohort",
    "Damage",
    "Failure",
    "Job",
    "analyse_into_cache",
    "build_cohort",
    "failure_of",
    "plan_jobs",
    "repair_jobs",
    "vad_key",
]

FAILURE_COLUMNS = ("session_id", "stage", "error_type", "message")


@dataclass(frozen=True)
class Failure:
    """One thing that went wrong for one session (``stage``: summary, status, transcript,
    recording, recording_analysis, transcript_cache, recording_cache, parse_transcript)."""

    session_id: str
    stage: str
    error_type: str
    message: str


def failure_of(session_id: str, stage: str, error: BaseException) -> Failure:
    return Failure(session_id, stage, type(error).__name__, str(error))


@dataclass(frozen=True)
class Job:
    """The downloads and measurements one completed session still needs."""

    session_id: str
    summary: dict[str, Any]
    transcript: bool
    recording: bool
    analyse: bool


@dataclass(frozen=True)
class Damage:
    """A cached artifact whose file no longer reads back (``artifact``: transcript, recording).

    Completed sessions never change, so such an entry is a cache miss to fetch again, not a
    failure of the session.
    """

    session_id: str
    artifact: str
    error: CacheError | RecordingFormatError


@dataclass
class Cohort:
    """Everything :func:`~zenhire_nb.frames.bulk.load_cohort` loaded.

    Attributes:
        sessions, turns, answers, recordings, summary: the frames (schemas in ``SCHEMAS``;
            ``summary`` is ``session_summary_frame``).
        failures: one row per failure (``session_id``, ``stage``, ``error_type``,
            ``message``); empty when everything loaded.
        cache_dir: the tenant's cache folder (``None`` when no session was found).
        transcript_paths, recording_paths: ``{session_id: cached file}`` for what is cached.
        query: the :class:`~zenhire_nb.frames.CohortQuery` this cohort was loaded with.
    """

    sessions: pd.DataFrame
    turns: pd.DataFrame
    answers: pd.DataFrame
    recordings: pd.DataFrame
    summary: pd.DataFrame
    failures: pd.DataFrame
    cache_dir: Path | None = None
    transcript_paths: dict[str, Path] = field(default_factory=dict)
    recording_paths: dict[str, Path] = field(default_factory=dict)
    query: CohortQuery | None = None

    def __repr__(self) -> str:
        return (
            f"Cohort(sessions={len(self.sessions)}, turns={len(self.turns)}, "
            f"recordings={len(self.recording_paths)}, failures={len(self.failures)})"
        )


def vad_key(settings: VadSettings | None) -> str:
    """A stable text key of the voice-activity settings the cached rows were measured with."""
    return json.dumps(dataclasses.asdict(settings or VadSettings()), sort_keys=True)


def plan_jobs(
    completed: Iterable[SessionSummary],
    states: Mapping[str, CachedState],
    *,
    recordings: bool,
    refresh: bool,
    vad: str,
) -> list[Job]:
    """The jobs for the completed sessions, skipping what the cache already holds
    (``states``: :func:`~zenhire_nb.frames._state.cached_states` of those sessions)."""
    jobs = []
    for summary in completed:
        state = None if refresh else states.get(summary.id)
        transcript = state is None or not state.transcript_ready
        recording = recordings and (state is None or not state.recording_ready)
        analyse = recordings and (recording or state is None or not state.measured(vad))
        if transcript or recording or analyse:
            dumped = summary.model_dump(mode="json")
            jobs.append(Job(summary.id, dumped, transcript, recording, analyse))
    return jobs


def repair_jobs(
    damaged: Iterable[Damage], completed: Iterable[SessionSummary], *, recordings: bool
) -> list[Job]:
    """The jobs that fetch the ``damaged`` artifacts again (a recording is measured again)."""
    broken: dict[str, set[str]] = {}
    for damage in damaged:
        broken.setdefault(damage.session_id, set()).add(damage.artifact)
    jobs = []
    for summary in completed:
        artifacts = broken.get(summary.id)
        if artifacts:
            recording = recordings and "recording" in artifacts
            dumped = summary.model_dump(mode="json")
            jobs.append(Job(summary.id, dumped, "transcript" in artifacts, recording, recording))
    return jobs


def analyse_into_cache(
    cache: ResultsCache, session_id: str, settings: VadSettings | None, vad: str
) -> None:
    """Measure the cached recording (streaming, chunk-wise) and keep the rows in the index.

    Raises:
        RecordingFormatError, FramesError: the file is unreadable (names the session).
    """
    rows = recording_rows(session_id, cache.recording_path(session_id), settings=settings)
    cache.store_recording_rows(session_id, vad, [_plain(row) for row in rows])


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    # numpy scalars are not JSON; the index stores plain numbers.
    return {k: v.item() if hasattr(v, "item") else v for k, v in row.items()}


def build_cohort(
    cache: ResultsCache | None,
    summaries: list[SessionSummary],
    completed: list[str],
    failures: list[Failure],
    *,
    recordings: bool,
    vad: str,
    damaged: list[Damage] | None = None,
) -> Cohort:
    """Build every frame from the summaries and the cached files; adds read failures.

    With a ``damaged`` list, cached files that no longer read back (unreadable transcript JSON;
    a recording whose size differs from the index or whose WAV header does not validate) are
    appended there instead of to ``failures``, for the caller to fetch again and rebuild.
    """
    sessions = sessions_frame(summaries)
    # One index read serves both artifacts (it decodes every session's stored rows).
    entries = cache.entries(completed) if cache is not None else {}
    transcripts, transcript_paths = _cached_transcripts(
        cache, completed, entries, failures, damaged
    )
    turns = turns_frame(transcripts, sessions=sessions, errors="report")
    for session_id, message in turns.attrs.get("errors", {}).items():
        failures.append(Failure(session_id, "parse_transcript", "TranscriptFormatError", message))
    answers = answers_frame(turns)
    recording_frame, recording_paths = _cached_recordings(
        cache, completed, entries, recordings, vad, failures, damaged
    )
    summary = session_summary_frame(
        turns, answers=answers, sessions=sessions, recordings=recording_frame
    )
    return Cohort(
        sessions=sessions,
        turns=turns,
        answers=answers,
        recordings=recording_frame,
        summary=summary,
        failures=failures_frame(failures),
        cache_dir=cache.path if cache else None,
        transcript_paths=transcript_paths,
        recording_paths=recording_paths,
    )


def _cached_transcripts(
    cache: ResultsCache | None,
    completed: list[str],
    entries: Mapping[str, IndexRow],
    failures: list[Failure],
    damaged: list[Damage] | None,
) -> tuple[dict[str, Any], dict[str, Path]]:
    if cache is None:
        return {}, {}
    failed = {(f.session_id, f.stage) for f in failures}
    documents: dict[str, Any] = {}
    paths: dict[str, Path] = {}
    for session_id in completed:
        if not cache.has_transcript(entries.get(session_id)):
            if (session_id, "transcript") not in failed:
                error = CacheError("transcript missing from the cache after loading")
                failures.append(failure_of(session_id, "transcript_cache", error))
            continue
        try:
            digest = entries[session_id].transcript_digest
            documents[session_id] = cache.read_transcript(session_id, digest)
            paths[session_id] = cache.transcript_path(session_id)
        except CacheError as error:
            if damaged is not None:
                damaged.append(Damage(session_id, "transcript", error))
            elif (session_id, "transcript") not in failed:  # its refetch failed: said already
                failures.append(failure_of(session_id, "transcript_cache", error))
    return documents, paths


def _cached_recordings(
    cache: ResultsCache | None,
    completed: list[str],
    entries: Mapping[str, IndexRow],
    wanted: bool,
    vad: str,
    failures: list[Failure],
    damaged: list[Damage] | None,
) -> tuple[pd.DataFrame, dict[str, Path]]:
    frame = empty_frame("recordings")
    if cache is None or not wanted:
        return frame, {}
    failed = {(f.session_id, f.stage) for f in failures}
    rows: list[dict[str, Any]] = []
    paths: dict[str, Path] = {}
    for session_id in completed:
        entry = entries.get(session_id)
        if entry is None or entry.recording_bytes is None:
            continue
        error = _recording_damage(cache, entry)
        if error is not None:
            if damaged is not None:
                damaged.append(Damage(session_id, "recording", error))
            elif (session_id, "recording") not in failed:  # its refetch failed: said already
                failures.append(failure_of(session_id, "recording_cache", error))
            continue
        paths[session_id] = cache.recording_path(session_id)
        if (session_id, "recording_analysis") in failed:  # measuring it failed: said already
            paths.pop(session_id)
            continue
        measured = _measured_rows(cache, entry, vad, failures)
        if measured is None:
            paths.pop(session_id)
            continue
        rows.extend(measured)
    if rows:
        # Paths are stored as measured; re-point them at this cache folder (it may have moved).
        for row in rows:
            row["path"] = str(paths[row["session_id"]])
        frame = apply_schema(pd.DataFrame(rows), "recordings")
    frame.attrs.update(frame="recordings", schema_version=SCHEMA_VERSION)
    return frame, paths


def _measured_rows(
    cache: ResultsCache, entry: IndexRow, vad: str, failures: list[Failure]
) -> list[dict[str, Any]] | None:
    """The recordings-frame rows of a cached recording: the index's, else measured now.

    The index may lack them although the file is there: another kernel recorded the same
    download after this one measured it, or a read-only cache. Measuring here means every
    recording present gets its row; one that cannot be measured is a failure (``None``).
    """
    if entry.recording_rows is not None and entry.vad_key == vad:
        return entry.recording_rows
    session_id = entry.session_id
    try:
        rows = [
            _plain(row)
            for row in recording_rows(
                session_id, cache.recording_path(session_id), settings=_vad_settings(vad)
            )
        ]
    except Exception as error:  # noqa: BLE001 (one session's bug is its failure, see _jobs)
        failures.append(failure_of(session_id, "recording_analysis", error))
        return None
    if not cache.read_only:
        with contextlib.suppress(CacheError):  # kept for next time if it can be; not needed now
            cache.store_recording_rows(session_id, vad, rows)
    return rows


def _vad_settings(vad: str) -> VadSettings:
    return VadSettings(**json.loads(vad))


def _recording_damage(cache: ResultsCache, entry: IndexRow) -> RecordingFormatError | None:
    """Why the cached recording of ``entry`` no longer reads back, or ``None`` when it does.

    The size, the header and the sampled content digest are checked (about 200 KiB read):
    the index rows were measured from the whole file when it was written, and rewriting any
    byte changes its modification time, which the frames memo keys on, so this runs after
    every change.
    A missing file is not damage: the load plans a download for it before building.
    """
    path = cache.recording_path(entry.session_id)
    subject = f"session {entry.session_id}"
    try:
        size = path.stat().st_size
        if size != entry.recording_bytes:
            reason = f"cached recording {str(path)!r} has {size} bytes, the index recorded "
            return RecordingFormatError(f"{reason}{entry.recording_bytes}", subject=subject)
        read_wav_info(path, session_id=entry.session_id)
        if cache.recording_changed(entry):
            reason = f"cached recording {str(path)!r} changed since it was cached"
            return RecordingFormatError(reason, subject=subject)
    except FileNotFoundError:
        return None
    except RecordingFormatError as error:
        return error
    except OSError as error:
        reason = f"cannot read cached recording {str(path)!r}: {error}"
        return RecordingFormatError(reason, subject=subject)
    return None


def failures_frame(failures: list[Failure]) -> pd.DataFrame:
    """The ``failures`` frame: one string column per field of :class:`Failure`."""
    data = {col: [getattr(f, col) for f in failures] for col in FAILURE_COLUMNS}
    return pd.DataFrame({col: pd.array(values, dtype=STRING_DTYPE) for col, values in data.items()})
