"""RIFF/WAVE header validation for untrusted recordings (pure parsing, nothing allocated).

Python's :mod:`wave` trusts the header: a 60-byte file that claims gigabytes makes it try to
allocate them. Here every chunk's claimed size is compared with the bytes that really remain
before anything is read, and the data size is capped (``max_bytes``).

Supported: PCM 8/16/24/32-bit integer and IEEE float 32/64-bit (also in
``WAVE_FORMAT_EXTENSIBLE`` wrapping), 1 or 2 channels, 8000-48000 Hz. Anything else, and any
truncated or inconsistent file, raises :class:`WavFormatError` naming the subject (session or
file) and what was found.

Leniency, on purpose: a RIFF size field that disagrees with the file is ignored (writers often
get it wrong and the chunk sizes are checked anyway); bytes after the data chunk are ignored.
Strictness by default: a data chunk that claims more bytes than remain is "truncated", since
reading it would silently give a shorter interview than the header promised. A caller that
knows its writer streams the header before the audio (an upload cut short) may ask for
``short_data="clip"``: the data is then what is really there, in whole frames.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Literal

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_RATE_HZ",
    "MIN_RATE_HZ",
    "ShortData",
    "WavFormatError",
    "WavInfo",
    "parse_header",
]

#: Default cap on the data chunk: 2 GiB holds 90 minutes of 48 kHz stereo float32 with room.
DEFAULT_MAX_BYTES = 2 * 1024**3
MIN_RATE_HZ = 8_000
MAX_RATE_HZ = 48_000
ShortData = Literal["error", "clip"]
_MAX_CHUNKS = 1024  # chunks scanned before the data chunk; real files have a handful
_FORMAT_PCM, _FORMAT_FLOAT, _FORMAT_EXTENSIBLE = 1, 3, 0xFFFE
_PCM_BITS = (8, 16, 24, 32)
_FLOAT_BITS = (32, 64)
_Format = tuple[int, int, int, int]  # (format tag, channels, rate, bits)
_Fail = Callable[[str], "WavFormatError"]


class WavFormatError(ValueError):
    """A WAV that is not RIFF/WAVE, is truncated or inconsistent, unsupported or too large.

    Attributes:
        reason: what was found, without the subject.
        subject: what the file is (``"session 1234"``, ``"file 'a.wav'"``), or ``None``.
    """

    def __init__(self, reason: str, *, subject: str | None = None) -> None:
        super().__init__(f"{subject}: {reason}" if subject else reason)
        self.reason = reason
        self.subject = subject


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
        data_bytes: size of the data chunk (bytes; with ``short_data="clip"``, of what is there).
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


def parse_header(
    stream: BinaryIO,
    base: int,
    size: int,
    *,
    subject: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    short_data: ShortData = "error",
) -> WavInfo:
    """Validate the WAV that starts at ``base`` of ``stream`` and holds ``size`` bytes.

    Reads the header and chunk headers only (a few hundred bytes); leaves the stream anywhere.

    Raises:
        WavFormatError: not RIFF/WAVE, truncated, inconsistent, unsupported or too large.
        OSError: the stream cannot be read.
    """

    def fail(message: str) -> WavFormatError:
        return WavFormatError(message, subject=subject)

    stream.seek(base)
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
            if short_data == "clip":
                chunk_size = min(chunk_size, remaining)
                chunk_size -= chunk_size % (fmt[1] * fmt[3] // 8)
            return _data_info(fmt, position, chunk_size, remaining, size, max_bytes, fail)
        if chunk_size > remaining:
            raise fail(
                f"truncated: chunk {_chunk_name(chunk_id)} claims {chunk_size} bytes "
                f"but only {remaining} remain"
            )
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(stream.read(min(chunk_size, 64)), chunk_size, fail)
        position += chunk_size + (chunk_size & 1)  # chunks are padded to an even size
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
