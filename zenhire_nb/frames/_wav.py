"""RIFF/WAVE reading for untrusted recordings (pure parsing over bytes and file objects).

The header is validated against the real length of the data before anything is allocated:
Python's :mod:`wave` trusts the header, so a 60-byte file that claims gigabytes makes it try to
allocate them. Here every chunk's claimed size is compared with the bytes that really remain,
the data size is capped (``max_bytes``), and samples are read in bounded blocks.

Supported: PCM 8/16/24/32-bit integer and IEEE float 32/64-bit (also in
``WAVE_FORMAT_EXTENSIBLE`` wrapping), 1 or 2 channels, 8000-48000 Hz. Everything else, and any
truncated or inconsistent file, raises :class:`~zenhire_nb.frames.errors.RecordingFormatError`
naming the session (or the file) and what was found.

Leniency, on purpose: a RIFF size field that disagrees with the file is ignored (writers often
get it wrong and the chunk sizes are checked anyway); bytes after the data chunk are ignored.
Strictness, on purpose: a data chunk that claims more bytes than remain is "truncated", because
reading it would silently return a shorter interview than the header promised.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Union

import numpy as np

from zenhire_nb.frames.errors import RecordingFormatError, describe_subject

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_RATE_HZ",
    "MIN_RATE_HZ",
    "WavInfo",
    "WavSource",
    "iter_wav_blocks",
    "read_wav",
    "read_wav_info",
]

WavSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]

#: Default cap on the data chunk: 2 GiB holds 90 minutes of 48 kHz stereo float32 with room.
DEFAULT_MAX_BYTES = 2 * 1024**3
MIN_RATE_HZ = 8_000
MAX_RATE_HZ = 48_000
_MAX_CHUNKS = 1024  # chunks scanned before the data chunk; real files have a handful
_FORMAT_PCM, _FORMAT_FLOAT, _FORMAT_EXTENSIBLE = 1, 3, 0xFFFE
_PCM_BITS = (8, 16, 24, 32)
_FLOAT_BITS = (32, 64)
_Fail = Callable[[str], RecordingFormatError]
_Format = tuple[int, int, int, int]  # (format tag, channels, rate, bits)


@dataclass(frozen=True)
class WavInfo:
    """What a validated WAV header says, checked against the real data.

    Attributes:
        sample_rate: frames per second (Hz).
        channels: 1 (mono) or 2 (stereo).
        bits: bits per sample of one channel (8, 16, 24, 32 or 64).
        format: ``"pcm"`` (signed integer; unsigned for 8-bit) or ``"float"`` (IEEE).
        n_frames: frames in the data chunk (a frame holds one sample per channel).
        duration_sec: ``n_frames / sample_rate`` (seconds).
        data_offset: byte offset of the first sample, from the start of the WAV.
        data_bytes: size of the data chunk (bytes).
        bytes: size of the whole source (bytes).
    """

    sample_rate: int
    channels: int
    bits: int
    format: str
    n_frames: int
    duration_sec: float
    data_offset: int
    data_bytes: int
    bytes: int

    @property
    def block_align(self) -> int:
        """Bytes per frame."""
        return self.channels * self.bits // 8


def read_wav_info(
    source: WavSource, *, session_id: object | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> WavInfo:
    """Validate a WAV header and its chunks against the real data length.

    Args:
        source: a path, the WAV bytes, or a seekable binary file object (read from its current
            position, which is restored afterwards).
        session_id: names the session in error messages (else the path is named).
        max_bytes: largest data chunk accepted (bytes).

    Raises:
        RecordingFormatError: not RIFF/WAVE, truncated, inconsistent, unsupported or too large.
        OSError: the path cannot be opened or read.
    """
    with _opened(source) as (stream, base, size):
        try:
            return _parse_header(stream, base, size, _subject(source, session_id), max_bytes)
        finally:
            stream.seek(base)


def iter_wav_blocks(
    source: WavSource,
    *,
    frames_per_block: int = 65_536,
    session_id: object | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[np.ndarray]:
    """Yield the samples as float32 arrays of shape ``(frames, channels)``, scaled to [-1, 1].

    Memory stays bounded by one block (``frames_per_block * channels * 4`` bytes plus the raw
    bytes). Every block but the last has exactly ``frames_per_block`` frames.

    Raises:
        RecordingFormatError: as :func:`read_wav_info`, or the file shrank while being read.
        ValueError: ``frames_per_block`` is not positive.
    """
    if frames_per_block <= 0:
        raise ValueError(f"frames_per_block must be positive, got {frames_per_block}")
    subject = _subject(source, session_id)
    with _opened(source) as (stream, base, size):
        info = _parse_header(stream, base, size, subject, max_bytes)
        stream.seek(base + info.data_offset)
        remaining = info.n_frames
        while remaining > 0:
            count = min(frames_per_block, remaining)
            raw = stream.read(count * info.block_align)
            if len(raw) != count * info.block_align:
                raise RecordingFormatError("data ended early while reading", subject=subject)
            yield _decode(raw, info)
            remaining -= count


def read_wav(
    source: WavSource, *, session_id: object | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[np.ndarray, WavInfo]:
    """Read a whole WAV as float32 ``(frames, channels)`` samples in [-1, 1], with its info.

    Holds all samples in memory (``n_frames * channels * 4`` bytes): prefer
    :func:`iter_wav_blocks` for long recordings.

    Raises:
        RecordingFormatError: as :func:`iter_wav_blocks`.
    """
    info = read_wav_info(source, session_id=session_id, max_bytes=max_bytes)
    samples = np.empty((info.n_frames, info.channels), dtype=np.float32)
    position = 0
    for block in iter_wav_blocks(source, session_id=session_id, max_bytes=max_bytes):
        samples[position : position + len(block)] = block
        position += len(block)
    return samples, info


def _subject(source: WavSource, session_id: object | None) -> str:
    path = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
    if not isinstance(path, (str, os.PathLike)):
        path = None
    return describe_subject(session_id, path) or "recording"


@contextmanager
def _opened(source: WavSource) -> Iterator[tuple[BinaryIO, int, int]]:
    """The source as (stream, start offset, total bytes from that offset)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            yield stream, 0, os.fstat(stream.fileno()).st_size
    elif isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(source), 0, len(source)
    else:
        base = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(base)
        yield source, base, end - base


def _parse_header(stream: BinaryIO, base: int, size: int, subject: str, max_bytes: int) -> WavInfo:
    def fail(message: str) -> RecordingFormatError:
        return RecordingFormatError(message, subject=subject)

    head = stream.read(12)
    if len(head) < 12:
        raise fail(f"not a WAV file: only {len(head)} bytes, a RIFF header needs 12")
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise fail(f"not a RIFF/WAVE file: starts with {head[:4]!r}...{head[8:12]!r}")
    fmt: _Format | None = None
    position = 12
    for _ in range(_MAX_CHUNKS):
        chunk_head = stream.read(8)
        if len(chunk_head) < 8:
            raise fail(_missing_chunk_message(fmt, position, size))
        chunk_id, chunk_size = chunk_head[:4], struct.unpack("<I", chunk_head[4:])[0]
        position += 8
        remaining = size - position
        if chunk_id == b"data":
            if fmt is None:
                raise fail("data chunk comes before the fmt chunk")
            return _data_info(fmt, position, chunk_size, remaining, size, max_bytes, fail)
        if chunk_size > remaining:
            raise fail(
                f"truncated: chunk {_chunk_name(chunk_id)} claims {chunk_size} bytes "
                f"but only {remaining} remain"
            )
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(stream.read(min(chunk_size, 64)), chunk_size, fail)
        step = chunk_size + (chunk_size & 1)  # chunks are padded to an even size
        position += step
        stream.seek(base + position)
    raise fail(f"no data chunk within the first {_MAX_CHUNKS} chunks")


def _missing_chunk_message(fmt: object, position: int, size: int) -> str:
    missing = "fmt and data chunks" if fmt is None else "data chunk"
    return f"no {missing} (file ends at byte {size}, scanned to {position})"


def _chunk_name(chunk_id: bytes) -> str:
    return repr(chunk_id.decode("latin-1"))


def _parse_fmt(body: bytes, chunk_size: int, fail: _Fail) -> _Format:
    """(format tag, channels, rate, bits) from a fmt chunk, validated and supported."""
    if chunk_size < 16:
        raise fail(f"fmt chunk of {chunk_size} bytes is too short (needs 16)")
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _FORMAT_EXTENSIBLE:
        if len(body) < 26:
            raise fail("extensible fmt chunk is too short to hold its sub-format")
        tag = struct.unpack("<H", body[24:26])[0]
    if tag not in (_FORMAT_PCM, _FORMAT_FLOAT):
        raise fail(f"unsupported audio format tag {tag} (supported: 1 PCM, 3 IEEE float)")
    allowed = _PCM_BITS if tag == _FORMAT_PCM else _FLOAT_BITS
    if bits not in allowed:
        kind = "PCM" if tag == _FORMAT_PCM else "float"
        raise fail(f"unsupported {kind} sample size {bits} bits (supported: {list(allowed)})")
    if channels not in (1, 2):
        raise fail(f"unsupported channel count {channels} (supported: 1 or 2)")
    if not MIN_RATE_HZ <= rate <= MAX_RATE_HZ:
        raise fail(f"unsupported sample rate {rate} Hz (supported: {MIN_RATE_HZ}-{MAX_RATE_HZ})")
    if block_align != channels * bits // 8:
        raise fail(f"inconsistent fmt: block align {block_align}, expected {channels * bits // 8}")
    return tag, channels, rate, bits


def _data_info(
    fmt: _Format, offset: int, claimed: int, remaining: int, size: int, max_bytes: int, fail: _Fail
) -> WavInfo:
    tag, channels, rate, bits = fmt
    if claimed > remaining:
        raise fail(f"truncated: data chunk claims {claimed} bytes but only {remaining} remain")
    if claimed > max_bytes:
        raise fail(f"data chunk of {claimed} bytes exceeds the limit of {max_bytes} bytes")
    block_align = channels * bits // 8
    if claimed % block_align:
        raise fail(f"data chunk of {claimed} bytes is not whole {block_align}-byte frames")
    n_frames = claimed // block_align
    return WavInfo(
        sample_rate=rate,
        channels=channels,
        bits=bits,
        format="pcm" if tag == _FORMAT_PCM else "float",
        n_frames=n_frames,
        duration_sec=n_frames / rate,
        data_offset=offset,
        data_bytes=claimed,
        bytes=size,
    )


def _decode(raw: bytes, info: WavInfo) -> np.ndarray:
    """Raw little-endian frames to float32 ``(frames, channels)`` in [-1, 1]."""
    if info.format == "float":
        wide = np.frombuffer(raw, dtype="<f4" if info.bits == 32 else "<f8")
        with np.errstate(over="ignore"):  # out-of-range float64 becomes inf, as a float32 would
            samples = wide.astype(np.float32)
    elif info.bits == 16:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) * np.float32(1 / 32768)
    elif info.bits == 24:
        triplets = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        # The top byte carries the sign: read it as int8 so the 24-bit value is sign-extended.
        high = triplets[:, 2].astype(np.uint8).view(np.int8).astype(np.int32)
        values = triplets[:, 0] | (triplets[:, 1] << 8) | (high << 16)
        samples = values.astype(np.float32) * np.float32(1 / 8388608)
    elif info.bits == 32:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) * np.float32(1 / 2147483648)
    else:  # 8-bit PCM is unsigned, centred on 128
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    return samples.reshape(-1, info.channels)
