"""Audio of a live (candidate page) interview: turn clips, uploaded answers, the final mix.

Every clip is stored as a mono 16-bit PCM WAV at :data:`LIVE_RATE` (16 kHz), so the final
recording is a plain concatenation with silences: no decoder is needed anywhere (the page
records raw PCM and uploads a 16-bit WAV; the server only parses RIFF and resamples).

Untrusted uploads: :func:`convert_upload` validates the header with the shared WAV code, which
compares the claimed data size with the bytes really present before reading (Python's ``wave``
trusts the header); it accepts only 16-bit PCM, mono or stereo, 8–48 kHz, and writes the
converted clip atomically.
"""

from __future__ import annotations

import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zenhire_nb import _io
from zenhire_nb._io import atomic_wav, write_silence
from zenhire_nb.sandbox.simulation.interview.script import PlannedTurn
from zenhire_nb.sandbox.simulation.interview.tts import resample, synthesize

__all__ = [
    "LIVE_RATE",
    "ClipPart",
    "UploadError",
    "clip_seconds",
    "convert_upload",
    "synthesize_turn",
    "write_mix",
]

LIVE_RATE = 16_000  # Hz, every stored clip and the final recording
_CHUNK_FRAMES = 1 << 16
_LEAD_IN_SEC = 0.5  # silence before the first turn, as the simulated recordings have
_TAIL_SEC = 0.8


class UploadError(ValueError):
    """An uploaded answer is not a WAV this sandbox can use (the message says why)."""


@dataclass(frozen=True)
class ClipPart:
    """One turn in the final mix: ``gap_before_sec`` of silence, then the clip at ``path``."""

    speaker: str
    text: str
    path: Path
    gap_before_sec: float


def _write_clip(target: Path, samples: np.ndarray) -> Path:
    """Write mono int16 ``samples`` at 16 kHz to ``target`` atomically."""
    with atomic_wav(target, sample_rate=LIVE_RATE) as wav:
        wav.writeframes(samples.astype("<i2", copy=False).tobytes())
    return target


def synthesize_turn(turn: PlannedTurn, target: Path) -> Path:
    """Speak a planned turn (all its segments, with their pauses) into a 16 kHz clip.

    Each segment is trimmed of eSpeak's padding, so the clip starts and ends with speech.
    Raises ``SpeechSynthesisError`` if eSpeak fails. Side effect: writes ``target``.
    """
    pieces: list[np.ndarray] = []
    for index, segment in enumerate(turn.segments):
        speech = synthesize(
            segment.text, voice=turn.voice, rate_wpm=turn.rate_wpm, pitch=turn.pitch
        )
        pieces.append(speech.trimmed().resampled(LIVE_RATE).samples)
        if index < len(turn.segments) - 1 and segment.pause_after_sec > 0:
            pieces.append(np.zeros(int(round(segment.pause_after_sec * LIVE_RATE)), np.int16))
    return _write_clip(target, np.concatenate(pieces) if pieces else np.zeros(0, np.int16))


def clip_seconds(path: Path) -> float:
    """Length of a stored clip in seconds."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def _read_pcm16(source: Path) -> tuple[np.ndarray, int]:
    """Mono int16 samples and rate of an uploaded 16-bit PCM WAV (stereo is averaged).

    The header is validated by the shared WAV code (:mod:`zenhire_nb._io.wav`), the same that
    checks every recording frames reads. A streamed WAV may claim more than was written: its
    data is what is really there (``short_data="clip"``), in whole frames.
    """
    try:
        info = _io.read_wav_info(source, short_data="clip")
        if info.format != "pcm" or info.bits != 16:
            raise UploadError(f"expected 16-bit PCM, got {info.bits}-bit {info.format}")
        blocks = [raw for raw, _ in _io.iter_frame_bytes(source, short_data="clip")]
    except _io.WavFormatError as error:
        raise UploadError(error.reason) from None
    samples = np.frombuffer(b"".join(blocks), dtype="<i2")
    if info.channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1).round().astype(np.int16)
    return samples, info.sample_rate


def convert_upload(source: Path, target: Path, *, max_seconds: float) -> float:
    """Convert an uploaded 16-bit PCM WAV to a mono 16 kHz clip at ``target``.

    Returns the clip's length in seconds. Raises :class:`UploadError` (nothing is written)
    for a file that is not 16-bit PCM WAV, is empty, or is longer than ``max_seconds``.
    """
    samples, rate = _read_pcm16(source)
    if len(samples) == 0:
        raise UploadError("the WAV holds no audio")
    if len(samples) / rate > max_seconds:
        raise UploadError(f"answer longer than {max_seconds:.0f} seconds")
    _write_clip(target, resample(samples, rate, LIVE_RATE))
    return clip_seconds(target)


class _Mixer:
    """Appends silence and clips to an open 16 kHz mono writer, counting frames."""

    def __init__(self, wav: wave.Wave_write) -> None:
        self.wav, self.frames = wav, 0

    def silence(self, seconds: float) -> None:
        self.frames += write_silence(self.wav, int(round(seconds * LIVE_RATE)))

    def clip(self, path: Path) -> None:
        with wave.open(str(path), "rb") as source:
            while block := source.readframes(_CHUNK_FRAMES):
                self.wav.writeframesraw(block)
                self.frames += len(block) // 2


def write_mix(parts: Sequence[ClipPart], target: Path) -> tuple[list[dict[str, object]], int]:
    """Concatenate ``parts`` with their silences into one 16 kHz mono WAV, streamed.

    Returns the transcript (``{speaker, text, start, end}`` per part, seconds from the start
    of the file, rounded to 0.01) and the number of frames written. Side effect: writes
    ``target`` atomically (no partial file on failure).
    """
    turns: list[dict[str, object]] = []
    with atomic_wav(target, sample_rate=LIVE_RATE) as wav:
        mixer = _Mixer(wav)
        mixer.silence(_LEAD_IN_SEC)
        for part in parts:
            mixer.silence(part.gap_before_sec)
            start = mixer.frames / LIVE_RATE
            mixer.clip(part.path)
            turns.append(
                {
                    "speaker": part.speaker,
                    "text": part.text,
                    "start": round(start, 2),
                    "end": round(mixer.frames / LIVE_RATE, 2),
                }
            )
        mixer.silence(_TAIL_SEC)
    return turns, mixer.frames
