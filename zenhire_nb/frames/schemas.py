"""Column schemas of every frame this package builds: names, dtypes, units, meaning.

The schemas are part of the public contract: columns are only ever added at the end, never
renamed or retyped within a major version. ``SCHEMA_VERSION`` is stored in ``df.attrs``.

Text columns use pandas' nullable string dtype with Python storage (``"string"``,
``pd.StringDtype("python")``), set explicitly so that a frame has the same dtypes on pandas 2.2
and 3 (pandas 3's default ``"str"`` does not exist on 2.2, where ``astype(str)`` would turn a
missing value into the text ``"nan"``). Missing text is ``pd.NA`` (``isna()`` is true).
Times of day are tz-aware UTC (``datetime64[us, UTC]``). Durations are seconds
unless the name ends in ``_min``. ``Int64``/``boolean`` are pandas' nullable types, used where
the platform may send null.

Use :func:`schema_frame` to read a schema as a table in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd

__all__ = [
    "SCHEMAS",
    "UTC_TIME",
    "SCHEMA_VERSION",
    "SPEAKER_DTYPE",
    "STRING",
    "STRING_DTYPE",
    "ColumnSpec",
    "apply_schema",
    "check_columns",
    "empty_frame",
    "schema_frame",
]

SCHEMA_VERSION = 1
UTC_TIME = "datetime64[us, UTC]"
SPEAKER_DTYPE = pd.CategoricalDtype(["interviewer", "candidate"])
STRING = "string"
# Python storage, not Arrow: identical on pandas 2.2 and 3 and needs no pyarrow.
STRING_DTYPE = pd.StringDtype("python")


class ColumnSpec(NamedTuple):
    """One column: its dtype (as pandas names it) and what it holds, with units."""

    dtype: str
    description: str


def _schema(*columns: tuple[str, str, str]) -> Mapping[str, ColumnSpec]:
    return MappingProxyType({name: ColumnSpec(dtype, text) for name, dtype, text in columns})


_SESSIONS = _schema(
    ("session_id", STRING, "session id (the contract's `id`)"),
    ("client_id", STRING, "tenant that owns the session"),
    ("persona_id", STRING, "persona interviewed against"),
    ("candidate_ref", STRING, "your opaque candidate reference (ATS id); NA if none"),
    ("status", STRING, "initiated, active, completed or failed"),
    ("consent_mode", STRING, "explicit or integrator"),
    ("source", STRING, "requests (API key) or playground (console)"),
    ("project_id", STRING, "project of the key; NA if none"),
    ("role_name", STRING, "persona role (list row, else the single-session persona)"),
    ("language", STRING, "persona interview language"),
    ("tags", "object", "list of tags as sent, None when none"),
    ("metadata", "object", "metadata dict as sent, None when none"),
    ("created_at", UTC_TIME, "when the session was created (UTC)"),
    ("started_at", UTC_TIME, "when the candidate started (UTC); NaT if not yet"),
    ("completed_at", UTC_TIME, "when the session ended (UTC); NaT if not yet"),
    ("duration_sec", "Int64", "interview length (seconds) as the platform reports it"),
    ("duration_min", "float64", "duration_sec / 60 (minutes)"),
    ("credit_charged", "Int64", "credits charged on completion"),
    ("recording_s3_key", STRING, "storage reference of the recording (not a URL)"),
    ("transcript_s3_key", STRING, "storage reference of the transcript (not a URL)"),
    ("interview_svc_session_id", STRING, "the interview backend's id, set on completion"),
    ("error_code", STRING, "why a failed session failed, e.g. SESSION_TIMEOUT"),
    ("feedback_rating", "Int64", "candidate survey rating 1..5 (single-session reads only)"),
    ("feedback_negative", "boolean", "survey rating <= 2"),
    ("feedback_comment", STRING, "survey comment"),
)

_TURNS = _schema(
    ("session_id", STRING, "session the turn belongs to"),
    ("candidate_ref", STRING, "candidate reference, from the session info; NA if unknown"),
    ("role_name", STRING, "persona role, from the session info; NA if unknown"),
    ("turn_index", "int64", "position of the turn in its transcript, from 0"),
    ("speaker", "category", "interviewer or candidate"),
    ("text", STRING, "the words spoken"),
    ("start_sec", "float64", "turn start, seconds from the start of the recording; NaN if absent"),
    ("end_sec", "float64", "turn end (seconds); NaN if absent"),
    ("duration_sec", "float64", "end_sec - start_sec (seconds)"),
    ("words", "int64", "whitespace-separated words in text"),
    ("words_per_minute", "float64", "words / duration in minutes; NaN without a duration"),
)

_ANSWERS = _schema(
    ("session_id", STRING, "session"),
    ("candidate_ref", STRING, "candidate reference; NA if unknown"),
    ("role_name", STRING, "persona role; NA if unknown"),
    ("question_index", "int64", "question number in the session from 0; -1 for speech before"),
    ("question_text", STRING, "the interviewer's consecutive turns, joined with a space"),
    ("answer_text", STRING, "the candidate's consecutive turns that follow, joined; '' if none"),
    ("answered", "bool", "whether any candidate turn followed the question"),
    ("answer_turns", "int64", "candidate turns forming the answer"),
    ("answer_words", "int64", "words in answer_text"),
    ("question_end_sec", "float64", "end of the question's last turn (seconds)"),
    ("answer_start_sec", "float64", "start of the answer's first turn (seconds)"),
    ("answer_sec", "float64", "sum of the answer turns' durations (seconds of speech)"),
    ("latency_sec", "float64", "answer_start_sec - question_end_sec (seconds; may be < 0)"),
    ("words_per_minute", "float64", "answer_words / answer_sec in minutes"),
)

_RECORDINGS = _schema(
    ("session_id", STRING, "session"),
    ("path", STRING, "file the row was measured from"),
    ("sample_rate", "int64", "frames per second (Hz)"),
    ("channels", "int64", "channels in the file (1 or 2)"),
    ("channel", "int64", "channel this row measures, from 0 (one row per channel)"),
    ("bit_depth", "int64", "bits per sample"),
    ("sample_format", STRING, "pcm or float"),
    ("duration_sec", "float64", "length of the recording (seconds)"),
    ("bytes", "int64", "file size (bytes)"),
    ("rms_dbfs", "float64", "RMS level of the channel (dBFS; -120 is digital silence)"),
    ("speech_sec", "float64", "seconds of the channel above the voice-activity threshold"),
    ("silence_ratio", "float64", "1 - speech_sec / duration_sec (0..1)"),
)

_SUMMARY = _schema(
    ("session_id", STRING, "session"),
    ("candidate_ref", STRING, "candidate reference; NA if unknown"),
    ("role_name", STRING, "persona role; NA if unknown"),
    ("persona_id", STRING, "from the sessions frame; NA without it"),
    ("status", STRING, "from the sessions frame; NA without it"),
    ("created_at", UTC_TIME, "from the sessions frame (UTC); NaT without it"),
    ("duration_min", "float64", "from the sessions frame (minutes)"),
    ("credit_charged", "Int64", "from the sessions frame (credits)"),
    ("n_turns", "int64", "turns in the transcript (0 if no transcript)"),
    ("n_questions", "int64", "interviewer questions (runs of interviewer turns)"),
    ("n_answered", "int64", "questions followed by a candidate answer"),
    ("interviewer_speaking_sec", "float64", "sum of interviewer turn durations (seconds)"),
    ("candidate_speaking_sec", "float64", "sum of candidate turn durations (seconds)"),
    ("talk_ratio", "float64", "candidate_speaking_sec / both speakers' speaking seconds"),
    ("candidate_words", "int64", "words the candidate said"),
    ("mean_answer_words", "float64", "mean answer_words over answered questions"),
    ("mean_answer_sec", "float64", "mean answer_sec over answered questions (seconds)"),
    ("mean_latency_sec", "float64", "mean latency_sec over answered questions (seconds)"),
    ("mean_words_per_minute", "float64", "candidate words / candidate speaking minutes"),
    ("recording_duration_sec", "float64", "recording length (seconds); NaN without one"),
    ("recording_rms_dbfs", "float64", "RMS level over all channels (dBFS)"),
    ("recording_speech_sec", "float64", "speech seconds summed over channels"),
    ("recording_silence_ratio", "float64", "1 - speech / duration, clipped to 0..1"),
)

SCHEMAS: Mapping[str, Mapping[str, ColumnSpec]] = MappingProxyType(
    {
        "sessions": _SESSIONS,
        "turns": _TURNS,
        "answers": _ANSWERS,
        "recordings": _RECORDINGS,
        "session_summary": _SUMMARY,
    }
)


def _dtype(spec: ColumnSpec) -> object:
    if spec.dtype == "category":
        return SPEAKER_DTYPE
    return STRING_DTYPE if spec.dtype == STRING else spec.dtype


def empty_frame(name: str) -> pd.DataFrame:
    """A frame with no rows but every column of schema ``name``, correctly typed."""
    schema = SCHEMAS[name]
    return pd.DataFrame({col: pd.Series([], dtype=_dtype(spec)) for col, spec in schema.items()})


def apply_schema(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """``frame`` with the schema's columns cast to their dtypes and ordered first.

    Returns a new frame (the argument, possibly a slice of another frame, is not modified).
    """
    schema = SCHEMAS[name]
    # Compare dtype objects: an Arrow-backed "string" column prints like ours but is not.
    casts = {col: _dtype(spec) for col, spec in schema.items() if frame[col].dtype != _dtype(spec)}
    if casts:
        frame = frame.astype(casts)  # type: ignore[arg-type]
    extra = [col for col in frame.columns if col not in schema]
    return frame[[*schema, *extra]]


def check_columns(frame: pd.DataFrame, name: str, *, needed: tuple[str, ...] = ()) -> None:
    """Raise ``ValueError`` naming the missing columns if ``frame`` lacks what is needed.

    Args:
        needed: the columns required; default: every column of schema ``name``.
    """
    wanted = needed or tuple(SCHEMAS[name])
    missing = [col for col in wanted if col not in frame.columns]
    if missing:
        raise ValueError(f"expected a {name} frame; missing columns {missing}")


def schema_frame(name: str) -> pd.DataFrame:
    """Schema ``name`` as a table: column, dtype, description (for docs and notebooks)."""
    schema = SCHEMAS[name]
    return pd.DataFrame(
        {
            "column": list(schema),
            "dtype": [spec.dtype for spec in schema.values()],
            "description": [spec.description for spec in schema.values()],
        }
    )
