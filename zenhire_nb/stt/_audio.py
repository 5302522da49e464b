"""Audio input for the engines: any common WAV or array, as 16 kHz mono float32.

Accepted sources: a path to a WAV file or WAV bytes (read by the frames part's validated
reader; other formats through ``soundfile`` when installed), a ``(samples, sample_rate)``
pair, an object with ``samples`` and ``sample_rate`` (or ``rate``) attributes such as the
sandbox's synthesized speech, or a bare numpy array together with ``sample_rate=``. Integer
samples are scaled to [-1, 1]; multi-channel audio is averaged to mono unless a ``channel`` is
chosen.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._resample import resample

__all__ = ["ENGINE_SAMPLE_RATE", "AudioInput", "PreparedAudio", "prepare_audio"]

ENGINE_SAMPLE_RATE = 16_000
_MAX_CHANNELS = 8

# A path, a (samples, rate) pair, an object with samples/sample_rate, or an ndarray.
AudioInput = Any


@dataclass(frozen=True)
class PreparedAudio:
    """Audio ready for an engine.

    ``samples``: float32 mono at 16 kHz; ``source_rate`` (Hz) and ``channels`` describe the
    input; ``digest`` is the SHA-256 of the prepared samples (the cache key); ``duration_sec``.
    """

    samples: np.ndarray
    source_rate: int
    channels: int
    channel: int | None
    digest: str
    label: str

    @property
    def duration_sec(self) -> float:
        return self.samples.size / ENGINE_SAMPLE_RATE


def _read_wav(source: Path | bytes, session_id: object | None) -> tuple[np.ndarray, int]:
    # The frames part owns validated WAV reading (it checks the header against the real data
    # length before allocating); recordings from the platform are always WAV.
    from zenhire_nb.frames.parsing import read_wav

    samples, info = read_wav(source, session_id=session_id)
    return samples, info.sample_rate


def _read_other(path: Path) -> tuple[np.ndarray, int]:
    try:
        import soundfile
    except ImportError as error:
        raise ValueError(
            f"recording {path}: only WAV is read without soundfile (pip install soundfile)"
        ) from error
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as error:  # soundfile raises its own LibsndfileError / RuntimeError
        raise ValueError(f"recording {path} is not a readable audio file: {error}") from error
    return data, int(rate)


def _read_file(path: Path, session_id: object | None) -> tuple[np.ndarray, int]:
    if not path.is_file():
        raise FileNotFoundError(f"recording {path} does not exist")
    if path.suffix.lower() in (".wav", ".wave"):
        return _read_wav(path, session_id)
    return _read_other(path)


def _unpack(
    source: AudioInput, sample_rate: int | None, session_id: object | None
) -> tuple[np.ndarray, int, str]:
    if isinstance(source, (str, os.PathLike)):
        data, rate = _read_file(Path(source), session_id)
        return data, rate, str(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, rate = _read_wav(bytes(source), session_id)
        return data, rate, f"session {session_id}" if session_id else "WAV bytes"
    if isinstance(source, tuple) and len(source) == 2:
        samples, rate = source
        return np.asarray(samples), int(rate), "array"
    if hasattr(source, "samples"):
        declared = getattr(source, "sample_rate", None) or getattr(source, "rate", None)
        if declared is None:
            raise ValueError("audio object has samples but no sample_rate/rate attribute")
        return np.asarray(source.samples), int(declared), "speech"
    if isinstance(source, np.ndarray):
        if sample_rate is None:
            raise ValueError("a bare audio array needs sample_rate= (Hz)")
        return source, int(sample_rate), "array"
    raise TypeError(f"unsupported audio source of type {type(source).__name__}")


def _to_float(samples: np.ndarray) -> np.ndarray:
    if np.issubdtype(samples.dtype, np.integer):
        info = np.iinfo(samples.dtype)
        # Unsigned PCM (8-bit WAV) is centred on half its range.
        half_range = (float(info.max) + 1.0) / 2.0 if info.min == 0 else -float(info.min)
        offset = half_range if info.min == 0 else 0.0
        return ((samples.astype(np.float64) - offset) / half_range).astype(np.float32)
    if np.issubdtype(samples.dtype, np.floating):
        return samples.astype(np.float32, copy=False)
    raise TypeError(f"audio samples must be integer or float, got dtype {samples.dtype}")


def _frames_by_channels(samples: np.ndarray, label: str) -> np.ndarray:
    """Shape (frames, channels); a (channels, frames) array is recognised and transposed."""
    if samples.ndim == 1:
        return samples[:, None]
    if samples.ndim != 2:
        raise ValueError(f"{label}: audio must be 1-D or 2-D, got shape {samples.shape}")
    if samples.shape[1] > _MAX_CHANNELS and samples.shape[0] <= _MAX_CHANNELS:
        return samples.T
    return samples


def _select_channel(samples: np.ndarray, channel: int | None, label: str) -> np.ndarray:
    channels = samples.shape[1]
    if channel is None:
        # Averaging keeps both speakers when they sit on separate channels.
        return samples.mean(axis=1, dtype=np.float32)
    if not -channels <= channel < channels:
        raise ValueError(f"{label}: channel {channel} requested but the audio has {channels}")
    return np.ascontiguousarray(samples[:, channel])


def prepare_audio(
    source: AudioInput,
    *,
    sample_rate: int | None = None,
    channel: int | None = None,
    session_id: object | None = None,
) -> PreparedAudio:
    """Read/convert ``source`` to 16 kHz mono float32 (see the module docstring for sources).

    ``channel``: None averages all channels; an index picks one (e.g. the candidate's channel
    of a stereo recording); ``session_id`` names the session in errors. Raises
    ``FileNotFoundError``, ``RecordingFormatError`` (a corrupt WAV), ``ValueError`` (other
    unreadable file, bad shape, empty audio, missing rate, channel out of range) or
    ``TypeError``, each naming the source. Reads the file; does not modify the caller's array.
    """
    raw, rate, label = _unpack(source, sample_rate, session_id)
    if rate < 1000:
        raise ValueError(f"{label}: implausible sample rate {rate} Hz")
    frames = _frames_by_channels(_to_float(raw), label)
    if frames.shape[0] == 0:
        raise ValueError(f"{label}: the audio holds no samples")
    mono = resample(_select_channel(frames, channel, label), rate, ENGINE_SAMPLE_RATE)
    digest = hashlib.sha256(mono.tobytes()).hexdigest()
    return PreparedAudio(mono, rate, frames.shape[1], channel, digest, label)
