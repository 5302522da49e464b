"""The turns frame: one row per transcript turn, for a whole cohort at once.

Columns (see ``SCHEMAS["turns"]`` in :mod:`zenhire_nb.frames.schemas`): ``session_id``,
``candidate_ref``, ``role_name``, ``turn_index``, ``speaker`` (category: interviewer,
candidate), ``text``, ``start_sec``, ``end_sec``, ``duration_sec``, ``words``,
``words_per_minute``. Rows follow the mapping's session order, then document order.

``df.attrs``: ``frame`` ("turns"), ``schema_version``, ``raw`` (a read-only
:class:`~zenhire_nb.frames._raw.RawDocuments` of the documents as given) and, with
``errors="report"``, ``errors`` (``{session_id: message}`` of the transcripts left out).

Speed: all transcripts are parsed in one pass into column lists, then the frame is assembled
from arrays (no per-transcript DataFrame); word counts are computed for all texts at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from zenhire_nb.frames._raw import RawDocuments
from zenhire_nb.frames._session_info import session_info
from zenhire_nb.frames._transcript import (
    CANDIDATE,
    Turn,
    TurnColumns,
    parse_transcript_into,
)
from zenhire_nb.frames._words import count_words
from zenhire_nb.frames.errors import FramesError, TranscriptFormatError, describe_subject
from zenhire_nb.frames.schemas import SCHEMA_VERSION, SPEAKER_DTYPE, STRING_DTYPE

__all__ = ["ErrorMode", "turns_frame"]

ErrorMode = Literal["raise", "report"]


def turns_frame(
    transcripts: Mapping[str, Any],
    *,
    sessions: Any = None,
    errors: ErrorMode = "raise",
) -> pd.DataFrame:
    """Build the turns frame from already-fetched transcripts.

    Args:
        transcripts: ``{session_id: document}`` where a document is the transcript JSON as
            served (any shape of docs/contract.md §6) or a list of parsed
            :class:`~zenhire_nb.frames.parsing.Turn`.
        sessions: optional session context for ``candidate_ref``/``role_name``: a sessions
            frame, ``{session_id: SessionSummary | dict}`` or an iterable of SessionSummary.
        errors: ``"raise"`` stops at the first unreadable transcript; ``"report"`` leaves it
            out and lists it in ``df.attrs["errors"]``.

    Raises:
        TranscriptFormatError: a transcript cannot be read (with ``errors="raise"``).
        ValueError: ``errors`` is not one of the modes.

    Inputs are not modified.
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r}")
    columns = TurnColumns()
    kept: list[str] = []
    failures: dict[str, str] = {}
    for session_id, document in transcripts.items():
        try:
            _parse_one(document, columns, session_id)
        except FramesError as error:
            if errors == "raise":
                raise
            failures[str(session_id)] = str(error)
            continue
        kept.append(str(session_id))
    frame = _assemble(columns, kept, session_info(sessions))
    frame.attrs.update(
        frame="turns",
        schema_version=SCHEMA_VERSION,
        raw=RawDocuments({str(k): v for k, v in transcripts.items()}),
    )
    if errors == "report":
        frame.attrs["errors"] = failures
    return frame


def _parse_one(document: Any, columns: TurnColumns, session_id: object) -> None:
    if isinstance(document, list) and document and isinstance(document[0], Turn):
        _append_parsed(document, columns, session_id)
    else:
        parse_transcript_into(document, columns, session_id=session_id)


def _append_parsed(turns: list[Any], columns: TurnColumns, session_id: object) -> None:
    for index, turn in enumerate(turns):
        if not isinstance(turn, Turn):
            raise TranscriptFormatError(
                f"turn {index}: a list of parsed turns holds a {type(turn).__name__}",
                subject=describe_subject(session_id),
            )
    columns.speakers.extend(turn.speaker for turn in turns)
    columns.texts.extend(turn.text for turn in turns)
    columns.starts.extend(turn.start_sec for turn in turns)
    columns.ends.extend(turn.end_sec for turn in turns)
    columns.counts.append(len(turns))


def _assemble(columns: TurnColumns, kept: list[str], info: Mapping[str, Any]) -> pd.DataFrame:
    counts = np.asarray(columns.counts, dtype=np.int64)
    per_session = [info.get(sid) for sid in kept]
    refs = [item.candidate_ref if item else None for item in per_session]
    roles = [item.role_name if item else None for item in per_session]
    starts = np.asarray(columns.starts, dtype=np.float64)
    ends = np.asarray(columns.ends, dtype=np.float64)
    durations = ends - starts
    words = count_words(columns.texts)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(durations > 0, words / (durations / 60.0), np.nan)
    return pd.DataFrame(
        {
            "session_id": _repeat(kept, counts),
            "candidate_ref": _repeat(refs, counts),
            "role_name": _repeat(roles, counts),
            "turn_index": _turn_indices(counts),
            "speaker": _speakers(columns.speakers),
            "text": pd.array(columns.texts, dtype=STRING_DTYPE),
            "start_sec": starts,
            "end_sec": ends,
            "duration_sec": durations,
            "words": words,
            "words_per_minute": rate,
        }
    )


def _repeat(values: Sequence[str | None], counts: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Per-session values repeated over each session's turns, as a string column."""
    per_session = np.array(values, dtype=object) if values else np.zeros(0, dtype=object)
    return pd.array(np.repeat(per_session, counts), dtype=STRING_DTYPE)


def _turn_indices(counts: np.ndarray) -> np.ndarray:
    """0..n-1 within each session, without a Python loop over sessions."""
    total = int(counts.sum())
    session_starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - session_starts


def _speakers(speakers: list[str]) -> pd.Categorical:
    # Speakers are normalised to two constants, so codes are one comparison away.
    codes = (np.array(speakers, dtype=object) == CANDIDATE).astype(np.int8)
    return pd.Categorical.from_codes(codes, dtype=SPEAKER_DTYPE)
