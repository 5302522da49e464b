"""What a chart was given, turned into the tables it draws from (never modifying the input).

A chart accepts a frame of this project (sessions, session summary, answers, turns), a frames
``Cohort`` or, for the speech-to-text chart, a ``CohortCheck``/``CheckResult``. These helpers
find the table a chart needs in any of them, and say clearly what was expected when it is not
there.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["answers_of", "needs", "session_table", "summary_of", "turns_of"]

# Columns the summary frame adds to the sessions frame (the rest are copies of it).
_SUMMARY_ONLY = (
    "n_turns",
    "n_questions",
    "n_answered",
    "interviewer_speaking_sec",
    "candidate_speaking_sec",
    "talk_ratio",
    "candidate_words",
    "mean_answer_words",
    "mean_answer_sec",
    "mean_latency_sec",
    "mean_words_per_minute",
    "recording_duration_sec",
    "recording_rms_dbfs",
    "recording_speech_sec",
    "recording_silence_ratio",
)


def _is_cohort(data: Any) -> bool:
    return all(hasattr(data, part) for part in ("sessions", "summary", "answers", "turns"))


def _kind(frame: pd.DataFrame) -> str:
    columns = set(frame.columns)
    if "question_index" in columns:
        return "answers"
    if "turn_index" in columns and "speaker" in columns:
        return "turns"
    return "sessions"


def _frame(data: Any, chart: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{chart}() takes a frame of zenhire_nb (sessions, summary, answers, turns) or a "
            f"Cohort, got {type(data).__name__}"
        )
    if "session_id" not in data.columns:
        raise ValueError(f"{chart}(): the frame has no 'session_id' column")
    return data


def session_table(data: Any, chart: str) -> pd.DataFrame:
    """One row per session with every per-session column available (a new frame).

    From a ``Cohort``: its sessions frame plus the summary's metrics (sessions that have no
    summary row get NaN there). From a frame: a sessions or summary frame as is; an answers
    or turns frame reduced to its sessions (``session_id``, ``candidate_ref``, ``role_name``).
    """
    if _is_cohort(data):
        sessions, summary = data.sessions, data.summary
        if len(sessions) == 0:
            return summary.copy()
        extra = [c for c in _SUMMARY_ONLY if c in summary.columns]
        return sessions.merge(summary[["session_id", *extra]], on="session_id", how="left")
    frame = _frame(data, chart)
    if _kind(frame) == "sessions":
        return frame.drop_duplicates("session_id").reset_index(drop=True)
    keep = [c for c in ("session_id", "candidate_ref", "role_name") if c in frame.columns]
    return frame[keep].drop_duplicates("session_id").reset_index(drop=True)


def summary_of(data: Any, chart: str) -> pd.DataFrame:
    """The per-session metrics (``session_summary`` columns): the session table of a cohort,
    or a summary frame; a turns frame is summarised here."""
    if not _is_cohort(data) and _kind(_frame(data, chart)) == "turns":
        from zenhire_nb.frames.summary import session_summary_frame

        return session_summary_frame(data)
    return session_table(data, chart)


def answers_of(data: Any, chart: str) -> pd.DataFrame:
    """The answers frame of a cohort, or ``data`` itself if it is one (``ValueError`` else)."""
    frame = data.answers if _is_cohort(data) else _frame(data, chart)
    if _kind(frame) != "answers":
        raise ValueError(f"{chart}() needs an answers frame or a Cohort (no 'question_index')")
    return frame


def turns_of(data: Any, chart: str) -> pd.DataFrame:
    frame = data.turns if _is_cohort(data) else _frame(data, chart)
    if _kind(frame) != "turns":
        raise ValueError(f"{chart}() needs a turns frame or a Cohort")
    return frame


def needs(frame: pd.DataFrame, columns: tuple[str, ...], chart: str) -> None:
    """Raise ``ValueError`` naming the columns ``chart`` needs that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{chart}() needs the column(s) {', '.join(missing)}; the frame lacks them"
        )


def groups_table(data: Any, sessions: Any, chart: str) -> pd.DataFrame:
    """The table groups are resolved on: ``sessions`` (a frame or Cohort) when given, else the
    session table of ``data``."""
    return session_table(sessions if sessions is not None else data, chart)
