"""Recordings and transcripts as files under one folder, written atomically.

Every write goes through the shared atomic writer (:mod:`zenhire_nb._io.atomic`: a temporary
file in the destination folder, renamed into place), so a reader (or a crash) never sees half a
file. A recording is checked by the shared WAV header validation, the same code that checks
what frames reads. Keys are relative paths such as
``recordings/<client>/<session>.wav``; a key that would leave the folder is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from zenhire_nb import _io

__all__ = ["ArtifactStore", "wav_problem"]

_KEY = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*$")


def wav_problem(source: bytes | Path, *, max_bytes: int = _io.DEFAULT_MAX_BYTES) -> str | None:
    """Why ``source`` (the bytes or a file) is not a usable WAV, or ``None`` when it is one.

    The shared header validation: RIFF/WAVE, a supported format, and a data chunk that holds
    no more than the file really has. Reads the header only.
    """
    try:
        _io.read_wav_info(source, max_bytes=max_bytes)
    except _io.WavFormatError as error:
        return error.reason
    return None


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

    def _target(self, key: str) -> Path:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_json(self, key: str, document: Any) -> Path:
        return self.write_bytes(key, json.dumps(document, ensure_ascii=False).encode("utf-8"))

    def write_bytes(self, key: str, data: bytes) -> Path:
        # No fsync: the sandbox's files are test data, rebuilt by running the sandbox again.
        return _io.write_atomically(self._target(key), data, durable=False)

    def adopt(self, key: str, source: Path, *, move: bool) -> Path:
        """Put an existing file at ``key`` (moved if ``move``, else copied), atomically."""
        target = self._target(key)
        with _io.atomic_path(target, durable=False) as temp:
            if move:
                shutil.move(str(source), temp)
            else:
                shutil.copyfile(source, temp)
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

        Raises ``ValueError`` (and leaves nothing behind) if the stream exceeds ``max_bytes`` or
        is not a usable WAV file (:func:`wav_problem`, checked once the whole stream arrived).
        """
        size = 0
        with _io.AtomicFile(self._target(key), durable=False) as pending:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"recording larger than {max_bytes} bytes")
                pending.write(chunk)
            pending.file.flush()
            problem = wav_problem(pending.temp_path, max_bytes=max_bytes)
            if problem is not None:
                raise ValueError(problem)
            pending.commit()
        return size
