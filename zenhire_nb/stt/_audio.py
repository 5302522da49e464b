"""Audio input for the engines: any common WAV or array, as 16 kHz mono float32.

Accepted sources: a path to a WAV file or WAV bytes (read by the frames part's validated
reader; other formats through ``soundfile`` when installed), a ``(samples, sample_rate)``
pair, an object with ``samples`` and ``sample_rate`` (or ``rate``) attributes such as the
sandbox's synthesized speech, or a bare numpy array together with ``sample_rate=``. Integer
samples are scaled to [-1, 1]; multi-channel audio is averaged to mono unless a ``channel`` is
chosen.

Files are streamed: read in blocks, mixed (or the channel picked) and resampled block by block
into one preallocated 16 kHz array, so a 60-minute 48 kHz stereo recording needs the ~230 MB
output plus a few blocks, not the ~1.4 GB of all its channels as float32. The result is the
same, sample for sample, as mixing and resampling the whole signal at once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from zenhire_nb._io import Resampler

__all__ = ["ENGINE_SAMPLE_RATE", "AudioInput", "PreparedAudio", "prepare_audio"]

ENGINE_SAMPLE_RATE = 16_000
_MAX_CHANNELS = 8
# Frames read per block from a file: 64 Ki frames of 48 kHz stereo are 512 KB as float32, so
# memory is the 16 kHz output plus a few blocks, never the whole recording at its own rate.
_BLOCK_FRAMES = 1 << 16

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


@dataclass(frozen=True)
class _Stream:
    """Audio as a known number of frames, readable block by block as float32
    ``(frames, channels)`` arrays (``open_blocks`` opens the reader; close it when done)."""

    rate: int
    channels: int
    n_frames: int
    label: str
    open_blocks: Callable[[], AbstractContextManager[Iterator[np.ndarray]]]


def _wav_stream(source: Path | bytes, session_id: object | None, label: str) -> _Stream:
    # The frames part owns validated WAV reading (it checks the header against the real data
    # length before allocating); recordings from the platform are always WAV.
    from zenhire_nb.frames.parsing import iter_wav_blocks, read_wav_info

    info = read_wav_info(source, session_id=session_id)

    @contextmanager
    def open_blocks() -> Iterator[Iterator[np.ndarray]]:
        blocks = iter_wav_blocks(source, frames_per_block=_BLOCK_FRAMES, session_id=session_id)
        try:
            yield blocks
        finally:
            # A generator holds the file open until closed: close it even when reading stops
            # early (an error in a later step), not whenever it is garbage-collected.
            close = getattr(blocks, "close", None)
            if close is not None:
                close()

    return _Stream(info.sample_rate, info.channels, info.n_frames, label, open_blocks)


def _other_stream(path: Path) -> _Stream:
    try:
        import soundfile
    except ImportError as error:
        raise ValueError(
            f"recording {path}: only WAV is read without soundfile (pip install soundfile)"
        ) from error
    try:
        info = soundfile.info(str(path))
    except Exception as error:  # soundfile raises its own LibsndfileError / RuntimeError
        raise ValueError(f"recording {path} is not a readable audio file: {error}") from error

    @contextmanager
    def open_blocks() -> Iterator[Iterator[np.ndarray]]:
        try:
            with soundfile.SoundFile(str(path)) as handle:
                yield handle.blocks(_BLOCK_FRAMES, dtype="float32", always_2d=True)
        except RuntimeError as error:  # soundfile's LibsndfileError is one
            raise ValueError(f"recording {path} is not a readable audio file: {error}") from error

    return _Stream(
        int(info.samplerate), int(info.channels), int(info.frames), str(path), open_blocks
    )


def _array_stream(samples: np.ndarray, rate: int, label: str) -> _Stream:
    frames = _frames_by_channels(_to_float(samples), label)

    @contextmanager
    def open_blocks() -> Iterator[Iterator[np.ndarray]]:
        yield iter((frames,))  # already in memory: one block

    return _Stream(rate, frames.shape[1], frames.shape[0], label, open_blocks)


def _file_stream(path: Path, session_id: object | None) -> _Stream:
    if not path.is_file():
        raise FileNotFoundError(f"recording {path} does not exist")
    if path.suffix.lower() in (".wav", ".wave"):
        return _wav_stream(path, session_id, str(path))
    return _other_stream(path)


def _open(source: AudioInput, sample_rate: int | None, session_id: object | None) -> _Stream:
    if isinstance(source, (str, os.PathLike)):
        return _file_stream(Path(source), session_id)
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = f"session {session_id}" if session_id else "WAV bytes"
        return _wav_stream(bytes(source), session_id, label)
    if isinstance(source, tuple) and len(source) == 2:
        samples, rate = source
        return _array_stream(np.asarray(samples), int(rate), "array")
    if hasattr(source, "samples"):
        declared = getattr(source, "sample_rate", None) or getattr(source, "rate", None)
        if declared is None:
            raise ValueError("audio object has samples but no sample_rate/rate attribute")
        return _array_stream(np.asarray(source.samples), int(declared), "speech")
    if isinstance(source, np.ndarray):
        if sample_rate is None:
            raise ValueError("a bare audio array needs sample_rate= (Hz)")
        return _array_stream(source, int(sample_rate), "array")
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


def _check_channel(channel: int | None, channels: int, label: str) -> None:
    if channel is not None and not -channels <= channel < channels:
        raise ValueError(f"{label}: channel {channel} requested but the audio has {channels}")


def _mono(block: np.ndarray, channel: int | None) -> np.ndarray:
    if channel is None:
        # Averaging keeps both speakers when they sit on separate channels.
        return block.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(block[:, channel])


def _to_engine_rate(stream: _Stream, channel: int | None) -> np.ndarray:
    """Mix (or pick) and resample block by block into one preallocated 16 kHz array."""
    same_rate = stream.rate == ENGINE_SAMPLE_RATE
    resampler = Resampler(stream.rate, ENGINE_SAMPLE_RATE, stream.n_frames)
    out = np.empty(stream.n_frames if same_rate else resampler.output_count, dtype=np.float32)
    written = frames_read = 0
    with stream.open_blocks() as blocks:
        for block in blocks:
            frames_read += len(block)
            if frames_read > stream.n_frames:
                break  # more than announced: reported below, before the output overflows
            mono = _mono(block, channel)
            part = mono if same_rate else resampler.push(mono)
            out[written : written + part.size] = part
            written += part.size
    if frames_read != stream.n_frames:
        reason = f"{frames_read} frames read, {stream.n_frames} announced by its header"
        raise ValueError(f"{stream.label}: the audio ended unexpectedly ({reason})")
    if not same_rate:
        tail = resampler.finish()
        out[written : written + tail.size] = tail
    return out


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
    ``TypeError``, each naming the source. Reads the file in blocks (memory: the output, 4 bytes
    per 16 kHz sample, plus a few blocks); does not modify the caller's array.
    """
    stream = _open(source, sample_rate, session_id)
    if stream.rate < 1000:
        raise ValueError(f"{stream.label}: implausible sample rate {stream.rate} Hz")
    if stream.n_frames == 0:
        raise ValueError(f"{stream.label}: the audio holds no samples")
    _check_channel(channel, stream.channels, stream.label)
    mono = _to_engine_rate(stream, channel)
    digest = hashlib.sha256(mono.data).hexdigest()  # a view: no second copy of the samples
    return PreparedAudio(mono, stream.rate, stream.channels, channel, digest, stream.label)
