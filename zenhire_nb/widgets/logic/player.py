"""The transcript player's data: turns with times and speakers, plus the STT check's flags.

Plain lists of dicts (small, JSON-ready): ``index``, ``speaker``, ``text``, ``start``, ``end``
(seconds, ``None`` when the transcript has no times), ``flagged`` and ``heard`` (what the local
model heard, for flagged turns).

:func:`wav_preview` cuts the first seconds of a recording into a WAV of their own: the player
sends that first, so a long recording can be played at once while the whole file follows.
"""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path
from typing import Any

import pandas as pd

from zenhire_nb.frames import read_wav_info

__all__ = ["check_flags", "player_turns", "speaker_label", "wav_preview"]


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


def wav_preview(path: Path, seconds: float) -> tuple[bytes, float] | None:
    """The first ``seconds`` of the WAV at ``path`` as a WAV of their own, and its length.

    ``None`` when a preview would not help (the recording is not much longer) or the file is
    not integer PCM (then the whole file is sent as it is). The header is validated first
    (:func:`zenhire_nb.frames.read_wav_info`): a lying header cannot make this read past it.

    Raises:
        RecordingFormatError: the file is not a readable WAV (naming it).
    """
    info = read_wav_info(path)
    if info.format != "pcm" or info.duration_sec <= 1.5 * seconds:
        return None
    frames = int(seconds * info.sample_rate)
    with path.open("rb") as handle:
        handle.seek(info.data_offset)
        data = handle.read(frames * info.block_align)
    out = io.BytesIO()
    with wave.open(out, "wb") as preview:  # integer PCM, the canonical 44-byte header
        preview.setnchannels(info.channels)
        preview.setsampwidth(info.bits // 8)
        preview.setframerate(info.sample_rate)
        preview.writeframes(data)
    return out.getvalue(), len(data) / info.block_align / info.sample_rate


def speaker_label(speaker: str) -> str:
    return {"interviewer": "Interviewer", "candidate": "Candidate"}.get(speaker, speaker.title())


def _seconds(value: Any) -> float | None:
    if value is None or pd.isna(value) or math.isinf(float(value)):
        return None
    return round(float(value), 3)
