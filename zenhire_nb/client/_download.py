"""Where a downloaded recording goes: memory, or a file written atomically.

A file is written to a temporary sibling (same folder, so ``os.replace`` is an atomic rename on
the same filesystem) and renamed only once the whole body arrived and its length matched
``Content-Length``. On any failure the temporary file is removed, so a path either holds a
complete recording or is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import IO

import httpx

from zenhire_nb.client.errors import IncompleteDownloadError, InvalidArgumentError

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


def check_complete(response: httpx.Response, written: int, what: str) -> None:
    """Raise IncompleteDownloadError if fewer bytes arrived than ``Content-Length`` announced.

    ``written`` is the decoded byte count; with a content encoding the header counts encoded
    bytes, so the wire count is compared instead.
    """
    announced = response.headers.get("Content-Length")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    received = written if encoding == "identity" else response.num_bytes_downloaded
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
    """Collects chunks; ``commit()`` returns the bytes or renames the temp file onto ``target``.

    Use as a context manager: leaving it without ``commit()`` (an error) discards everything.
    """

    def __init__(self, target: Path | None) -> None:
        self._target = target
        self._temp_path: str | None = None
        self.written = 0
        self._file: IO[bytes]
        if target is None:
            self._file = io.BytesIO()
        else:
            fd, self._temp_path = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".part"
            )
            self._file = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.written += len(chunk)

    def commit(self) -> bytes | Path:
        if self._target is None:
            assert isinstance(self._file, io.BytesIO)
            return self._file.getvalue()
        assert self._temp_path is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._temp_path, self._target)
        self._temp_path = None
        return self._target

    def discard(self) -> None:
        self._file.close()
        if self._temp_path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp_path)
            self._temp_path = None

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._temp_path is not None or exc_info[0] is not None:
            self.discard()
