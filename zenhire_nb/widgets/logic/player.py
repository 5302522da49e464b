"""The transcript player's data: turns with times and speakers, plus the STT check's flags.

Plain lists of dicts (small, JSON-ready): ``index``, ``speaker``, ``text``, ``start``, ``end``
(seconds, ``None`` when the transcript has no times), ``flagged`` and ``heard`` (what the local
model heard, for flagged turns).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["check_flags", "player_turns", "speaker_label"]


def player_turns(
    turns: pd.DataFrame, session_id: str, *, flags: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """The turns of ``session_id`` from a turns frame (``turns_frame`` schema), in order.

    Raises:
        KeyError: the frame has no turns for that session (naming it).
    """
    rows = turns[turns["session_id"] == session_id].sort_values("turn_index")
    if rows.empty:
        raise KeyError(f"no transcript turns for session {session_id!r}")
    flags = flags or {}
    return [
        {
            "index": int(row.turn_index),
            "speaker": str(row.speaker),
            "label": speaker_label(str(row.speaker)),
            "text": str(row.text),
            "start": _seconds(row.start_sec),
            "end": _seconds(row.end_sec),
            "flagged": int(row.turn_index) in flags,
            "heard": flags.get(int(row.turn_index), ""),
        }
        for row in rows.itertuples(index=False)
    ]


def check_flags(check_turns: pd.DataFrame, session_id: str | None = None) -> dict[int, str]:
    """``{turn_index: what the local model heard}`` for flagged turns of an STT check.

    ``check_turns`` is ``CheckResult.turns`` or ``CohortCheck.turns`` (then ``session_id``
    picks the session).
    """
    rows = check_turns
    if session_id is not None and "session_id" in rows.columns:
        rows = rows[rows["session_id"] == session_id]
    rows = rows[rows["flagged"].fillna(False).astype(bool)]
    return {
        int(index): "" if pd.isna(heard) else str(heard)
        for index, heard in zip(rows["turn_index"], rows["hypothesis"], strict=True)
    }


def speaker_label(speaker: str) -> str:
    return {"interviewer": "Interviewer", "candidate": "Candidate"}.get(speaker, speaker.title())


def _seconds(value: Any) -> float | None:
    if value is None or pd.isna(value) or math.isinf(float(value)):
        return None
    return round(float(value), 3)
