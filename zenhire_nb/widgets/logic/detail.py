"""What the results browser shows for one selected session: summary lines and answers rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from zenhire_nb.contract import SessionSummary

__all__ = ["answer_rows", "summary_lines"]


def summary_lines(summary: SessionSummary) -> list[tuple[str, str]]:
    """``(label, value)`` pairs: status, candidate, persona, times, duration, credits, feedback."""
    persona = summary.persona
    role = summary.role_name or (persona.role_name if persona else None) or summary.persona_id
    lines = [
        ("Status", summary.status + (f" ({summary.error_code})" if summary.error_code else "")),
        ("Candidate", summary.candidate_ref or "—"),
        ("Persona", role),
        ("Created", summary.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Duration", _duration(summary.duration_sec)),
        ("Credits charged", "—" if summary.credit_charged is None else str(summary.credit_charged)),
        ("Feedback", _feedback(summary)),
        ("Tags", ", ".join(summary.tags or []) or "—"),
        ("Metadata", ", ".join(f"{k}={v}" for k, v in (summary.metadata or {}).items()) or "—"),
    ]
    return lines


def answer_rows(answers: pd.DataFrame, session_id: str) -> list[tuple[str, ...]]:
    """Question, answer, seconds of answer, latency: one row per question of the session."""
    rows = answers[(answers["session_id"] == session_id) & (answers["question_index"] >= 0)]
    return [
        (
            str(int(row.question_index) + 1),
            str(row.question_text),
            str(row.answer_text) or "(no answer)",
            _seconds(row.answer_sec),
            _seconds(row.latency_sec),
        )
        for row in rows.sort_values("question_index").itertuples(index=False)
    ]


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _feedback(summary: SessionSummary) -> str:
    feedback = summary.feedback
    if feedback is None:
        return "none (the candidate skipped the survey)" if summary.status == "completed" else "—"
    comment = f": “{feedback.comment}”" if feedback.comment else ""
    return f"{feedback.rating}/5{' (negative)' if feedback.negative else ''}{comment}"


def _seconds(value: Any) -> str:
    if value is None or pd.isna(value) or math.isinf(float(value)):
        return ""
    return f"{float(value):.1f} s"
