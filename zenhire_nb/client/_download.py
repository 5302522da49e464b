"""Where a downloaded recording goes: memory, or a file written atomically.

A file is written through the shared atomic writer (:class:`zenhire_nb._io.AtomicFile`: a
temporary sibling in the same folder, so ``os.replace`` is an atomic rename on the same
filesystem) and renamed, after an fsync, only once the whole body arrived, its length matched
``Content-Length`` and it passed the shared WAV header check (:func:`zenhire_nb._io.read_wav_info`,
the one the sandbox applies to uploads). On any failure the temporary file is removed, so a
path either holds a complete, readable recording or is left exactly as it was.

The first 12 bytes are checked as soon as they arrive: a body that is not RIFF/WAVE (an HTML
page, a proxy's error, megabytes of spaces) stops the download at once instead of at its end.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

import httpx

from zenhire_nb._io import AtomicFile, WavFormatError, read_wav_info
from zenhire_nb.client.errors import (
    IncompleteDownloadError,
    InvalidArgumentError,
    InvalidRecordingError,
)

__all__ = ["BODY_CUT", "Sink", "check_complete", "check_target", "cut_short"]

#: Transport errors that mean "the server closed the connection mid-body" (not a timeout).
BODY_CUT = (httpx.RemoteProtocolError, httpx.ReadError)


def check_target(path: str | os.PathLike[str] | None) -> Path | None:
    """The target as a Path, checked before any request: its folder must exist."""
    if path is None:
        return None
    target = Path(path)
    if target.is_dir():
        raise InvalidArgumentError(f"path {str(target)!r} is a folder, not a file", argument="path")
    if not target.parent.is_dir():
        raise InvalidArgumentError(
            f"path {str(target)!r}: folder {str(target.parent)!r} does not exist", argument="path"
        )
    return target


def check_complete(response: httpx.Response, received: int, what: str) -> None:
    """Raise IncompleteDownloadError if fewer bytes arrived than ``Content-Length`` announced.

    ``received`` counts the bytes on the wire (before decoding), as the header does.
    """
    announced = response.headers.get("Content-Length")
    if announced and announced.isdigit() and received != int(announced):
        raise IncompleteDownloadError(
            f"{what}: received {received} of {announced} bytes; nothing was saved",
            request=None,
        )


def cut_short(
    response: httpx.Response, written: int, what: str, cause: Exception
) -> IncompleteDownloadError:
    """The error for a body whose connection closed before its end: names what and how much."""
    announced = response.headers.get("Content-Length", "an unknown number of")
    return IncompleteDownloadError(
        f"{what}: the connection closed after {written} of {announced} bytes ({cause}); "
        "nothing was saved",
        request=None,
    )


class Sink:
    """Collects a recording's chunks; ``commit()`` validates the WAV, then returns the bytes or
    renames the temp file onto ``target``.

    ``what`` / ``session_id`` name the recording in errors; ``max_bytes`` caps its audio data
    (the header check's limit). Use as a context manager: leaving it without ``commit()`` (an
    error) discards everything.

    Raises (``write``/``commit``):
        InvalidRecordingError: the body is not RIFF/WAVE, or its header does not hold up.
    """

    def __init__(
        self, target: Path | None, *, what: str, session_id: str | None, max_bytes: int
    ) -> None:
        self._buffer = io.BytesIO() if target is None else None
        self._pending = None if target is None else AtomicFile(target, durable=True)
        self._what = what
        self._session_id = session_id
        self._max_bytes = max_bytes
        self._head = b""
        self.written = 0

    def write(self, chunk: bytes) -> None:
        if len(self._head) < 12:
            self._head += chunk[: 12 - len(self._head)]
            if len(self._head) == 12 and (self._head[:4] != b"RIFF" or self._head[8:] != b"WAVE"):
                raise self._invalid(
                    WavFormatError(f"not a RIFF/WAVE file: starts with {self._head[:12]!r}")
                )
        if self._pending is not None:
            self._pending.write(chunk)
        else:
            assert self._buffer is not None
            self._buffer.write(chunk)
        self.written += len(chunk)

    def commit(self) -> bytes | Path:
        if self._pending is None:
            assert self._buffer is not None
            self._validate(self._buffer)
            return self._buffer.getvalue()
        self._pending.file.flush()
        with open(self._pending.temp_path, "rb") as written:
            self._validate(written)
        return self._pending.commit()

    def _validate(self, stream: BinaryIO) -> None:
        stream.seek(0)
        try:
            read_wav_info(stream, max_bytes=self._max_bytes)
        except WavFormatError as exc:
            raise self._invalid(exc) from exc

    def _invalid(self, problem: WavFormatError) -> InvalidRecordingError:
        return InvalidRecordingError(
            f"{self._what}: the server sent something that is not a usable WAV recording "
            f"({problem.reason}); nothing was saved",
            session_id=self._session_id,
        )

    def discard(self) -> None:
        if self._pending is not None:
            self._pending.discard()

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()  # a no-op once committed
