"""The recording: synthesize every planned turn and stream it into a WAV file.

The WAV is PCM 16-bit, mono (both speakers mixed, which never overlap) or stereo (interviewer
left, candidate right, the other channel silent), at any rate (default 16 kHz). It is written
turn by turn, in chunks, to a temporary file next to ``out_path`` and renamed into place only
when complete: a 60-minute interview never exists as one array, and a failure leaves no partial
file behind.

Times come from the sample counts actually written: each segment's synthesized speech is
trimmed of leading and trailing silence, so a turn's ``start`` is the first sample of its first
segment and its ``end`` the last sample of its last segment (seconds, rounded to 0.01).
"""

from __future__ import annotations

import os
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zenhire_nb._io import atomic_wav, write_silence
from zenhire_nb.sandbox.simulation.interview.script import PlannedTurn
from zenhire_nb.sandbox.simulation.interview.tts import synthesize

__all__ = ["TimedTurn", "write_recording"]

_LEAD_IN_SEC = 0.5  # silence before the first turn, as a real recording starts
_TAIL_SEC = 0.8  # silence after the last turn


@dataclass(frozen=True)
class TimedTurn:
    """A turn as it sits in the recording: seconds from the start of the file."""

    speaker: str
    text: str
    start: float
    end: float

    def as_dict(self) -> dict[str, object]:
        """The canonical transcript form ``{"speaker", "text", "start", "end"}``."""
        return {"speaker": self.speaker, "text": self.text, "start": self.start, "end": self.end}


def write_recording(
    turns: list[PlannedTurn], out_path: str | os.PathLike[str], *, sample_rate: int = 16000,
    channels: int = 1,
) -> tuple[list[TimedTurn], int]:  # fmt: skip
    """Synthesize ``turns`` into a WAV at ``out_path``; returns (timed turns, frames written).

    Raises:
        ValueError: ``channels`` is not 1 or 2, or ``sample_rate`` is outside 8000..48000.
        SpeechSynthesisError: eSpeak NG failed (no file is left at ``out_path``).
        OSError: the folder of ``out_path`` cannot be written.

    Side effects: creates or replaces ``out_path`` atomically.
    """
    if channels not in (1, 2):
        raise ValueError(f"channels must be 1 (mono) or 2 (stereo), got {channels}")
    if not 8000 <= sample_rate <= 48000:
        raise ValueError(f"sample_rate must be within 8000..48000 Hz, got {sample_rate}")
    with atomic_wav(Path(out_path), sample_rate=sample_rate, channels=channels) as wav:
        writer = _Writer(wav, sample_rate, channels)
        timed = [_write_turn(writer, turn) for turn in turns]
        writer.silence(_TAIL_SEC)
    return timed, writer.frames


class _Writer:
    """Appends mono speech or silence to an open ``wave`` writer, counting frames."""

    def __init__(self, wav: wave.Wave_write, sample_rate: int, channels: int) -> None:
        self.wav, self.sample_rate, self.channels = wav, sample_rate, channels
        self.frames = 0
        self.silence(_LEAD_IN_SEC)

    def silence(self, seconds: float) -> None:
        frames = int(round(seconds * self.sample_rate))
        self.frames += write_silence(self.wav, frames, channels=self.channels)

    def speech(self, samples: np.ndarray, speaker: str) -> None:
        if self.channels == 2:
            stereo = np.zeros((len(samples), 2), dtype="<i2")
            stereo[:, 0 if speaker == "interviewer" else 1] = samples
            data = stereo.tobytes()
        else:
            data = samples.astype("<i2", copy=False).tobytes()
        self.wav.writeframesraw(data)
        self.frames += len(samples)

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


def _write_turn(writer: _Writer, turn: PlannedTurn) -> TimedTurn:
    writer.silence(turn.gap_before_sec)
    start: float | None = None
    for index, segment in enumerate(turn.segments):
        speech = synthesize(
            segment.text, voice=turn.voice, rate_wpm=turn.rate_wpm, pitch=turn.pitch
        )
        samples = speech.trimmed().resampled(writer.sample_rate).samples
        if start is None:
            start = writer.seconds
        writer.speech(samples, turn.speaker)
        if index < len(turn.segments) - 1:
            writer.silence(segment.pause_after_sec)
    assert start is not None  # a planned turn always has a segment
    return TimedTurn(turn.speaker, turn.text, round(start, 2), round(writer.seconds, 2))
