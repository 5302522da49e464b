"""Reading validated WAV files: header info, raw frames and float32 samples in bounded blocks.

Sources are a path, the WAV bytes, or a seekable binary file object (read from its current
position). The header is always validated against the real size first (:mod:`.wavheader`), so
a lying header fails with :class:`~.wavheader.WavFormatError` before anything is allocated,
and memory stays bounded by one block however long the recording is.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, Union

import numpy as np
import numpy.typing as npt

from zenhire_nb._io.wavheader import (
    DEFAULT_MAX_BYTES,
    ShortData,
    WavFormatError,
    WavInfo,
    parse_header,
)

__all__ = [
    "WavSource",
    "decode_frames",
    "iter_frame_bytes",
    "iter_wav_blocks",
    "read_wav",
    "read_wav_info",
]

WavSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
FloatArray = npt.NDArray[np.float32]


def read_wav_info(
    source: WavSource,
    *,
    subject: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    short_data: ShortData = "error",
) -> WavInfo:
    """Validate a WAV header and its chunks against the real data length.

    ``subject`` names the file in error messages; a file object's position is restored.

    Raises:
        WavFormatError: not RIFF/WAVE, truncated, inconsistent, unsupported or too large.
        OSError: the path cannot be opened or read.
    """
    with _opened(source) as (stream, base, size):
        try:
            return parse_header(
                stream, base, size, subject=subject, max_bytes=max_bytes, short_data=short_data
            )
        finally:
            stream.seek(base)


def iter_frame_bytes(
    source: WavSource,
    *,
    frames_per_block: int = 65_536,
    subject: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    short_data: ShortData = "error",
) -> Iterator[tuple[bytes, WavInfo]]:
    """Yield the data chunk as raw little-endian frames, ``frames_per_block`` at a time.

    Each item is ``(raw bytes, info)``; every block but the last holds exactly
    ``frames_per_block`` frames. Validation happens at the first ``next()``.

    Raises:
        WavFormatError: as :func:`read_wav_info`, or the file shrank while being read.
        ValueError: ``frames_per_block`` is not positive.
    """
    if frames_per_block <= 0:
        raise ValueError(f"frames_per_block must be positive, got {frames_per_block}")
    with _opened(source) as (stream, base, size):
        info = parse_header(
            stream, base, size, subject=subject, max_bytes=max_bytes, short_data=short_data
        )
        stream.seek(base + info.data_offset)
        remaining = info.n_frames
        while remaining > 0:
            count = min(frames_per_block, remaining)
            raw = stream.read(count * info.block_align)
            if len(raw) != count * info.block_align:
                raise WavFormatError("data ended early while reading", subject=subject)
            yield raw, info
            remaining -= count


def iter_wav_blocks(
    source: WavSource,
    *,
    frames_per_block: int = 65_536,
    subject: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[FloatArray]:
    """Yield the samples as float32 arrays of shape ``(frames, channels)``, scaled to [-1, 1].

    Memory stays bounded by one block (``frames_per_block * channels * 4`` bytes plus the raw
    bytes). Raises as :func:`iter_frame_bytes`.
    """
    blocks = iter_frame_bytes(
        source, frames_per_block=frames_per_block, subject=subject, max_bytes=max_bytes
    )
    for raw, info in blocks:
        yield decode_frames(raw, info)


def read_wav(
    source: WavSource, *, subject: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[FloatArray, WavInfo]:
    """A whole WAV as float32 ``(frames, channels)`` samples in [-1, 1], with its info.

    Holds all samples in memory (``n_frames * channels * 4`` bytes): prefer
    :func:`iter_wav_blocks` for long recordings. Raises as :func:`iter_frame_bytes`.
    """
    info = read_wav_info(source, subject=subject, max_bytes=max_bytes)
    samples = np.empty((info.n_frames, info.channels), dtype=np.float32)
    position = 0
    for block in iter_wav_blocks(source, subject=subject, max_bytes=max_bytes):
        samples[position : position + len(block)] = block
        position += len(block)
    return samples, info


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


def decode_frames(raw: bytes, info: WavInfo) -> FloatArray:
    """Raw little-endian frames to float32 ``(frames, channels)`` in [-1, 1]."""
    samples: FloatArray
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
