"""Where a downloaded recording goes: memory, or a file written atomically.

A file is written through the shared atomic writer (:class:`zenhire_nb._io.AtomicFile`: a
temporary sibling in the same folder, so ``os.replace`` is an atomic rename on the same
filesystem) and renamed, after an fsync, only once the whole body arrived and its length matched
``Content-Length``. On any failure the temporary file is removed, so a path either holds a
complete recording or is left exactly as it was.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import httpx

from zenhire_nb._io import AtomicFile
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
        self._buffer = io.BytesIO() if target is None else None
        self._pending = None if target is None else AtomicFile(target, durable=True)
        self.written = 0

    def write(self, chunk: bytes) -> None:
        if self._pending is not None:
            self._pending.write(chunk)
        else:
            assert self._buffer is not None
            self._buffer.write(chunk)
        self.written += len(chunk)

    def commit(self) -> bytes | Path:
        if self._pending is None:
            assert self._buffer is not None
            return self._buffer.getvalue()
        return self._pending.commit()

    def discard(self) -> None:
        if self._pending is not None:
            self._pending.discard()

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()  # a no-op once committed
