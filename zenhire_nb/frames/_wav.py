"""RIFF/WAVE reading for untrusted recordings, with frames' errors.

The parsing itself is the shared layer's (:mod:`zenhire_nb._io.wav`): the header is validated
against the real length of the data before anything is allocated, every chunk's claimed size is
compared with the bytes that really remain, the data size is capped (``max_bytes``) and samples
are read in bounded blocks. The same code checks recordings uploaded to the sandbox.

This module names the session (or the file) in each error and raises
:class:`~zenhire_nb.frames.errors.RecordingFormatError`, so a notebook user can catch one
frames error and find the bad item in a cohort. Supported formats, leniency (a wrong RIFF size,
bytes after the data) and strictness (a data chunk claiming more than remains is "truncated")
are described in :mod:`zenhire_nb._io.wavheader`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from zenhire_nb import _io
from zenhire_nb._io import DEFAULT_MAX_BYTES, MAX_RATE_HZ, MIN_RATE_HZ, WavInfo, WavSource
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
    subject = _subject(source, session_id)
    with _as_recording_error():
        return _io.read_wav_info(source, subject=subject, max_bytes=max_bytes)


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
    subject = _subject(source, session_id)
    blocks = _io.iter_wav_blocks(
        source, frames_per_block=frames_per_block, subject=subject, max_bytes=max_bytes
    )
    with _as_recording_error():
        yield from blocks


def read_wav(
    source: WavSource, *, session_id: object | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[np.ndarray, WavInfo]:
    """Read a whole WAV as float32 ``(frames, channels)`` samples in [-1, 1], with its info.

    Holds all samples in memory (``n_frames * channels * 4`` bytes): prefer
    :func:`iter_wav_blocks` for long recordings.

    Raises:
        RecordingFormatError: as :func:`iter_wav_blocks`.
    """
    subject = _subject(source, session_id)
    with _as_recording_error():
        return _io.read_wav(source, subject=subject, max_bytes=max_bytes)


def _subject(source: WavSource, session_id: object | None) -> str:
    path = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
    if not isinstance(path, (str, os.PathLike)):
        path = None
    return describe_subject(session_id, path) or "recording"


@contextmanager
def _as_recording_error() -> Iterator[None]:
    """Re-raise the shared layer's format errors as frames errors, with the same message."""
    try:
        yield
    except _io.WavFormatError as error:
        raise RecordingFormatError(error.reason, subject=error.subject) from error
