"""Recordings and transcripts as files under one folder, written atomically.

Every write goes to a temporary file in the destination folder and is renamed into place, so a
reader (or a crash) never sees half a file. Keys are relative paths such as
``recordings/<client>/<session>.wav``; a key that would leave the folder is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

__all__ = ["ArtifactStore", "WAV_MAGIC_ERROR", "looks_like_wav"]

_KEY = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*$")
WAV_MAGIC_ERROR = "not a RIFF/WAVE file"


def looks_like_wav(head: bytes) -> bool:
    """True if the first 12 bytes are a RIFF/WAVE header."""
    return len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE"


class ArtifactStore:
    """Files under ``root`` (created if missing)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The file for ``key``. Raises ``ValueError`` for a key outside the store."""
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"invalid artifact key {key!r}")
        return self.root / key

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except ValueError:
            return False

    def _temp_beside(self, target: Path) -> tuple[int, str]:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=".part-", dir=target.parent)

    def write_json(self, key: str, document: Any) -> Path:
        return self.write_bytes(key, json.dumps(document, ensure_ascii=False).encode("utf-8"))

    def write_bytes(self, key: str, data: bytes) -> Path:
        target = self.path(key)
        fd, temp = self._temp_beside(target)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target

    def adopt(self, key: str, source: Path, *, move: bool) -> Path:
        """Put an existing file at ``key`` (moved if ``move``, else copied), atomically."""
        target = self.path(key)
        fd, temp = self._temp_beside(target)
        os.close(fd)
        try:
            if move:
                shutil.move(str(source), temp)
            else:
                shutil.copyfile(source, temp)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target

    def discard(self, key: str, *, back_to: Path | None = None) -> None:
        """Take back a file stored at ``key`` that never became current.

        With ``back_to`` the file is moved back there (so an upload it came from is not lost),
        otherwise deleted; its own folder is removed too if that leaves it empty. A missing
        file is fine.
        """
        target = self.path(key)
        if back_to is not None and target.is_file() and back_to.parent.is_dir():
            os.replace(target, back_to)
        else:
            target.unlink(missing_ok=True)
        if target.parent != self.root:
            # Only the file's own folder: a folder further up is shared with other writers,
            # who may be between creating it and writing into it.
            with contextlib.suppress(OSError):
                target.parent.rmdir()

    async def write_stream(self, key: str, chunks: AsyncIterator[bytes], *, max_bytes: int) -> int:
        """Write an async byte stream to ``key`` chunk by chunk; returns its size in bytes.

        Raises ``ValueError`` (and leaves nothing behind) if the stream is not a WAV file or
        exceeds ``max_bytes``.
        """
        target = self.path(key)
        fd, temp = self._temp_beside(target)
        size = 0
        head = b""
        try:
            with os.fdopen(fd, "wb") as handle:
                async for chunk in chunks:
                    if len(head) < 12:
                        head += chunk[: 12 - len(head)]
                    size += len(chunk)
                    if size > max_bytes:
                        raise ValueError(f"recording larger than {max_bytes} bytes")
                    handle.write(chunk)
            if not looks_like_wav(head):
                raise ValueError(WAV_MAGIC_ERROR)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return size
