"""Atomic file writes: a reader (another kernel, a crash) sees the old file or the whole new one.

Every writer goes through :class:`AtomicFile`: the data goes to a temporary file in the target's
own folder (same filesystem, so the final ``os.replace`` is an atomic rename), is flushed and,
if ``durable``, fsync-ed, and only then renamed onto the target. On any error, including
``KeyboardInterrupt`` in a notebook, the temporary file is removed and the target is left
exactly as it was. Temporary names are ``.<target name>.<random>.part``, so a leftover of a
killed process is recognisable and never mistaken for a result.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

__all__ = ["TEMP_SUFFIX", "AtomicFile", "atomic_file", "atomic_path", "write_atomically"]

TEMP_SUFFIX = ".part"


def _temp_beside(target: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    return fd, Path(name)


class AtomicFile:
    """A binary file that becomes ``target`` only when :meth:`commit` is called.

    Args:
        target: the final path; its folder must exist.
        durable: fsync before the rename (survives a power cut; costs a disk flush). Files that
            are rebuilt when lost can skip it.

    Leaving a ``with`` block without :meth:`commit` (an error, say) discards the temporary file.

    Raises:
        OSError: the folder is missing or not writable (nothing is left behind).
    """

    def __init__(self, target: str | os.PathLike[str], *, durable: bool = True) -> None:
        self.target = Path(target)
        self.durable = durable
        fd, self._temp = _temp_beside(self.target)
        self._committed = False
        try:
            self.file: BinaryIO = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            self._temp.unlink(missing_ok=True)
            raise

    @property
    def temp_path(self) -> Path:
        """Where the data is being written until :meth:`commit`."""
        return self._temp

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Append ``data``; returns the bytes written."""
        return self.file.write(data)

    def commit(self) -> Path:
        """Flush (and fsync if durable), close and rename onto the target; returns the target.

        Raises ``OSError`` if the flush or rename fails (the temporary file is removed).
        """
        try:
            self.file.flush()
            if self.durable:
                os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self._temp, self.target)
        except BaseException:
            self.discard()
            raise
        self._committed = True
        return self.target

    def discard(self) -> None:
        """Close and remove the temporary file (a no-op after :meth:`commit`)."""
        if self._committed:
            return
        with contextlib.suppress(OSError):
            self.file.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike[str], *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary file object for ``target``, committed when the block exits normally.

    On an exception (of any kind) nothing is written at ``target`` and the exception propagates.
    Raises ``OSError`` as :class:`AtomicFile`.
    """
    with AtomicFile(target, durable=durable) as pending:
        yield pending.file
        pending.commit()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target`` for writers that take a path (a copy, a move);
    renamed onto ``target`` when the block exits normally, removed on any exception.

    The path exists (empty) when the block starts and may be replaced by the block.
    """
    fd, temp = _temp_beside(Path(target))
    os.close(fd)
    try:
        yield temp
        if durable:
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(
    target: str | os.PathLike[str], data: bytes | bytearray | memoryview, *, durable: bool = True
) -> Path:
    """Write ``data`` to ``target`` atomically (see :class:`AtomicFile`); returns the target."""
    with atomic_file(target, durable=durable) as handle:
        handle.write(data)
    return Path(target)
