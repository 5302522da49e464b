"""Placeholder audio and transcript for a completion that brought none of its own.

The WAV is 16 kHz mono 16-bit PCM: a quiet tone, written one second at a time so that a
90-minute recording (~170 MB) never sits in memory.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["placeholder_transcript", "write_tone_wav"]

SAMPLE_RATE = 16_000
_TONE_HZ = 220.0
_AMPLITUDE = 300  # of 32767: quiet, but not digital silence (level meters show something)


def write_tone_wav(path: Path, duration_sec: float) -> Path:
    """Write ``duration_sec`` seconds of a quiet tone to ``path`` (overwritten). Returns it."""
    total = int(round(duration_sec * SAMPLE_RATE))
    phase_step = 2 * np.pi * _TONE_HZ / SAMPLE_RATE
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        for start in range(0, total, SAMPLE_RATE):
            index = np.arange(start, min(start + SAMPLE_RATE, total))
            chunk = (_AMPLITUDE * np.sin(phase_step * index)).astype("<i2")
            out.writeframes(chunk.tobytes())
    return path


_LINES = (
    ("interviewer", "Hello, and thank you for joining. Could you introduce yourself?"),
    ("candidate", "Of course. I have spent the last few years working in this field."),
    ("interviewer", "What was the most difficult problem you solved recently?"),
    ("candidate", "We had a slow process and I rebuilt it step by step with the team."),
    ("interviewer", "Thank you. Do you have any questions for us?"),
    ("candidate", "Yes, how is the team organised? Thank you for your time."),
)


def placeholder_transcript(duration_sec: float) -> list[dict[str, Any]]:
    """Turns ``{speaker, text, start, end}`` (seconds) spread evenly over the duration."""
    if duration_sec <= 0:
        return []
    slot = duration_sec / len(_LINES)
    return [
        {
            "speaker": speaker,
            "text": text,
            "start": round(i * slot, 3),
            "end": round(i * slot + slot * 0.9, 3),
        }
        for i, (speaker, text) in enumerate(_LINES)
    ]
