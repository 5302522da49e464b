"""Writing 16-bit PCM WAV files atomically, and streaming silence into them.

The sandbox's simulated recordings and the live interview's clips and mix are all written
here, so there is one place that knows how a WAV is written without ever leaving a partial
file behind (the header is patched on close, then the file is renamed into place).
"""

from __future__ import annotations

import os
import wave
from collections.abc import Iterator
from contextlib import contextmanager

from zenhire_nb._io.atomic import atomic_file

__all__ = ["atomic_wav", "write_silence"]

_SILENCE_BLOCK_FRAMES = 1 << 16  # silence is written in blocks, never as one big buffer


@contextmanager
def atomic_wav(
    target: str | os.PathLike[str], *, sample_rate: int, channels: int = 1, durable: bool = False
) -> Iterator[wave.Wave_write]:
    """A 16-bit PCM writer (``sample_rate`` Hz, ``channels``) on a temporary file beside
    ``target``, renamed to ``target`` when the block exits normally.

    ``durable`` fsyncs before the rename (off by default: the sandbox regenerates what it
    loses). On any exception the temporary file is removed and the exception propagates, so
    no partial file is ever left at ``target``. Raises ``OSError`` if the folder is not
    writable, ``wave.Error`` for an invalid rate or channel count.
    """
    with atomic_file(target, durable=durable) as handle, wave.open(handle, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        yield wav


def write_silence(wav: wave.Wave_write, frames: int, *, channels: int = 1) -> int:
    """Append ``frames`` frames of digital silence to ``wav``; returns the frames written
    (0 for a count <= 0)."""
    remaining = frames
    while remaining > 0:
        count = min(remaining, _SILENCE_BLOCK_FRAMES)
        wav.writeframesraw(bytes(2 * channels * count))
        remaining -= count
    return max(frames, 0)
