"""Plain data in and out of a cohort check: turn records per session, result frames.

Pure functions (no engine, no I/O), shared by :func:`~zenhire_nb.stt.cohort.check_session`
and :func:`~zenhire_nb.stt.cohort.check_cohort`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ._worker import SessionOutcome
from .compare import DIFFERENCE_COLUMNS, TURN_RESULT_COLUMNS

__all__ = [
    "FAILURE_COLUMNS",
    "SESSION_COLUMNS",
    "TASK_COLUMNS",
    "failures_frame",
    "sessions_frame",
    "tasks_frame",
    "turn_records",
    "concat_frames",
    "with_attrs",
]

STRING = pd.StringDtype("python")  # the project's text dtype (see the frames schemas)

# Summary key -> column of the sessions frame, in order.
_SUMMARY_COLUMNS = {
    "wer": "wer",
    "raw_wer": "wer_raw",
    "turns": "turns",
    "flagged_turns": "flagged_turns",
    "flagged_turns_wer": "flagged_turns_wer",
    "no_speech_turns": "no_speech_turns",
    "untranscribed_words": "untranscribed_words",
    "untranscribed_speech": "untranscribed_speech",
    "reference_words": "reference_words",
    "errors": "errors",
    "alignment": "alignment",
    "engine": "engine",
    "model": "model",
    "compute_type": "compute_type",
    "beam_size": "beam_size",
    "threads": "threads",
}
SESSION_COLUMNS = ["session_id", *_SUMMARY_COLUMNS.values(), "audio_sec"]
_SESSION_DTYPES = {
    "session_id": STRING,
    "wer": "float64",
    "wer_raw": "float64",
    "turns": "int64",
    "flagged_turns": "int64",
    "flagged_turns_wer": "int64",
    "no_speech_turns": "int64",
    "untranscribed_words": "int64",
    "untranscribed_speech": "bool",
    "reference_words": "int64",
    "errors": "int64",
    "alignment": STRING,
    "engine": STRING,
    "model": STRING,
    "compute_type": STRING,
    "beam_size": "int64",
    "threads": "int64",
    "audio_sec": "float64",
}
FAILURE_COLUMNS = ["session_id", "stage", "error_type", "message"]
TASK_COLUMNS = ["session_id", "pid", "engine_loads", "engine_used", "audio_sec", "elapsed_sec"]


def _seconds(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def turn_records(turns: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """``{session_id: [{speaker, text, start_sec, end_sec}, ...]}`` from a frames ``turns``
    frame, in transcript order; missing times become None (plain, picklable data)."""
    ordered = turns.sort_values(["session_id", "turn_index"], kind="stable")
    records: dict[str, list[dict[str, Any]]] = {}
    for row in ordered.itertuples(index=False):
        records.setdefault(str(row.session_id), []).append(
            {
                "speaker": str(row.speaker),
                "text": str(row.text),
                "start_sec": _seconds(row.start_sec),
                "end_sec": _seconds(row.end_sec),
            }
        )
    return records


def sessions_frame(outcomes: Sequence[SessionOutcome]) -> pd.DataFrame:
    """One row per checked session (``SESSION_COLUMNS``; WERs are fractions, seconds)."""
    rows = [
        {
            "session_id": o.session_id,
            **{column: o.summary[key] for key, column in _SUMMARY_COLUMNS.items()},
            "audio_sec": o.audio_sec,
        }
        for o in outcomes
    ]
    frame = pd.DataFrame(rows, columns=SESSION_COLUMNS)
    return frame.astype(_SESSION_DTYPES)


def concat_frames(outcomes: Sequence[SessionOutcome], which: str) -> pd.DataFrame:
    """The ``turns`` or ``differences`` frames of the outcomes, one after the other, with a
    leading ``session_id`` column."""
    columns = TURN_RESULT_COLUMNS if which == "turns" else DIFFERENCE_COLUMNS
    parts = [getattr(o, which).assign(session_id=o.session_id) for o in outcomes]
    parts = [part for part in parts if len(part)]
    if not parts:
        frame = pd.DataFrame(columns=["session_id", *columns])
    else:
        frame = pd.concat(parts, ignore_index=True)[["session_id", *columns]]
    frame.attrs = {}
    return frame.astype({"session_id": STRING})


def failures_frame(failures: Sequence[tuple[str, str, str, str]]) -> pd.DataFrame:
    """``FAILURE_COLUMNS`` frame (all text) from ``(session_id, stage, error_type, message)``."""
    data = list(zip(*failures, strict=True)) if failures else [()] * len(FAILURE_COLUMNS)
    return pd.DataFrame(
        {
            column: pd.array(list(values), dtype=STRING)
            for column, values in zip(FAILURE_COLUMNS, data, strict=True)
        }
    )


def tasks_frame(outcomes: Sequence[SessionOutcome]) -> pd.DataFrame:
    """How each session ran (``TASK_COLUMNS``): process id, models that process had loaded,
    whether the engine was needed (False: all from the cache), audio and wall-clock seconds."""
    rows = [{column: getattr(o, column) for column in TASK_COLUMNS} for o in outcomes]
    return pd.DataFrame(rows, columns=TASK_COLUMNS).astype(
        {
            "session_id": STRING,
            "pid": "int64",
            "engine_loads": "int64",
            "engine_used": "bool",
            "audio_sec": "float64",
            "elapsed_sec": "float64",
        }
    )


def with_attrs(frame: pd.DataFrame, settings: Mapping[str, Any]) -> pd.DataFrame:
    frame.attrs.update(settings)
    return frame
