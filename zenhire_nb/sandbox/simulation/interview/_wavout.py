"""Writing 16-bit PCM WAV files atomically, and streaming silence into them.

Shared by the simulated recordings (:mod:`.recording`) and the live interview's clips and mix
(``sandbox._live_audio``), so there is one place that knows how a WAV is written without ever
leaving a partial file behind.
"""

from __future__ import annotations

import os
import tempfile
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_wav", "write_silence"]

_SILENCE_BLOCK_FRAMES = 1 << 16  # silence is written in blocks, never as one big buffer


@contextmanager
def atomic_wav(target: Path, *, sample_rate: int, channels: int = 1) -> Iterator[wave.Wave_write]:
    """A 16-bit PCM writer (``sample_rate`` Hz, ``channels``) on a temporary file beside
    ``target``, renamed to ``target`` when the block exits normally.

    On any exception the temporary file is removed and the exception propagates, so no
    partial file is ever left at ``target``. Raises ``OSError`` if the folder is not writable.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        with wave.open(temporary, "wb") as wav:
            wav.setnchannels(channels)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            yield wav
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_silence(wav: wave.Wave_write, frames: int, *, channels: int = 1) -> int:
    """Append ``frames`` frames of digital silence to ``wav``; returns the frames written
    (0 for a count <= 0)."""
    remaining = frames
    while remaining > 0:
        count = min(remaining, _SILENCE_BLOCK_FRAMES)
        wav.writeframesraw(bytes(2 * channels * count))
        remaining -= count
    return max(frames, 0)
