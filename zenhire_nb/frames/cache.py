"""Local cache of completed sessions' results: transcripts (JSON) and recordings (WAV).

A completed session never changes, so its transcript and recording are downloaded once and
kept on disk. Layout under the cache root::

    <root>/<host>_<port>-<hash of the base URL>/<client id>/
        index.sqlite3              summaries, what is present, measured recording rows
        transcripts/<session id>.json
        recordings/<session id>.wav

The root is the ``directory`` argument, else ``ZENHIRE_CACHE_DIR``, else
``platformdirs.user_cache_dir("zenhire-nb")``. Folders are namespaced by platform and tenant
(the client id every session summary carries) so two tenants never share results; the API key is
never used or stored. Nothing of ``SessionCreated`` (the candidate link and its token) is ever
written: the cache only holds what the results endpoints serve.

Files are written through the shared atomic writer (:func:`zenhire_nb._io.write_atomically`,
re-exported here): a temporary file in the same folder, flushed, fsync-ed for results (not for
derived files), then ``os.replace``-d into place, and only then recorded in the index, so a
crash or a second kernel never leaves a half-written file that looks complete. Two processes
writing the same session write identical bytes; the last rename wins.

The index keeps a digest of what was written: the SHA-256 of a transcript's bytes, and of a
recording's size with three 64 KiB samples (start, middle, end; hashing whole recordings of an
hour would cost more than a warm load). A file whose content no longer matches (overwritten,
swapped with another session's) is not ours any more: reading it raises, and the loaders fetch
it again. A cache folder that cannot be written is still read; a damaged index is rebuilt from
the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from zenhire_nb._io import write_atomically
from zenhire_nb.frames._index import IndexRow, IndexStamp, SessionIndex
from zenhire_nb.frames.errors import CacheError

__all__ = [
    "CACHE_DIR_ENV",
    "ResultsCache",
    "default_cache_root",
    "platform_folder",
    "recording_digest",
    "write_atomically",
]

CACHE_DIR_ENV = "ZENHIRE_CACHE_DIR"
# Session and client ids are checked by the client; this keeps file names safe regardless.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_SAMPLE_BYTES = 64 * 1024
_INDEX_NAME = "index.sqlite3"


def default_cache_root(directory: str | os.PathLike[str] | None = None) -> Path:
    """The cache root: ``directory``, else ``$ZENHIRE_CACHE_DIR``, else the user cache dir."""
    if directory is not None:
        return Path(directory).expanduser()
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_cache_dir("zenhire-nb"))


class ResultsCache:
    """The cache folder of one tenant on one platform.

    Args:
        base_url: the platform origin (``client.base_url``).
        client_id: the tenant (``SessionSummary.client_id``).
        directory: the cache root (see :func:`default_cache_root`).

    Raises:
        CacheError: the folder or its index cannot be created or opened (names the folder).

    Side effects: creates the folder and ``index.sqlite3`` on first use.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        *,
        directory: str | os.PathLike[str] | None = None,
    ) -> None:
        self.root = default_cache_root(directory)
        self.path = self.index_path(base_url, client_id, directory=directory).parent
        try:
            for sub in ("transcripts", "recordings"):
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            self._index = SessionIndex(self.path / _INDEX_NAME)
            if self._index.recreated:
                self._rebuild_index()
        except (OSError, sqlite3.Error) as error:
            raise CacheError(
                f"cannot open the results cache: {error}", subject=self._name()
            ) from error

    @staticmethod
    def index_path(
        base_url: str,
        client_id: str,
        *,
        directory: str | os.PathLike[str] | None = None,
    ) -> Path:
        """Where the index of the tenant's cache folder is (or would be); creates nothing.

        Raises:
            CacheError: ``client_id`` is not usable as a folder name.
        """
        folder = default_cache_root(directory) / platform_folder(base_url)
        return folder / _safe(client_id, "client id") / _INDEX_NAME

    @property
    def read_only(self) -> bool:
        """The folder cannot be written: cached results are read, nothing is stored."""
        return self._index.read_only

    def _rebuild_index(self) -> None:
        """Index the files of the folder again (the old index was not a database).

        Summaries are not in the files: the next load lists the sessions and stores them.
        """
        for path in (self.path / "transcripts").glob("*.json"):
            if _SAFE_NAME.match(path.stem):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                self._index.put_transcript(path.stem, True, digest)
        for path in (self.path / "recordings").glob("*.wav"):
            if _SAFE_NAME.match(path.stem):
                self._index.put_recording(path.stem, path.stat().st_size, recording_digest(path))

    def __repr__(self) -> str:
        return f"ResultsCache({str(self.path)!r})"

    def close(self) -> None:
        self._index.close()

    def __enter__(self) -> ResultsCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- paths -------------------------------------------------------------------------------

    def transcript_path(self, session_id: str) -> Path:
        return self.path / "transcripts" / f"{_safe(session_id, 'session id')}.json"

    def recording_path(self, session_id: str) -> Path:
        return self.path / "recordings" / f"{_safe(session_id, 'session id')}.wav"

    # -- reading -----------------------------------------------------------------------------

    def entries(self, session_ids: list[str] | None = None) -> dict[str, IndexRow]:
        """Index rows by session id (all, or those of ``session_ids`` that are cached)."""
        return self._guard(lambda: self._index.rows(session_ids))

    def summaries(self, session_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The cached summaries (contract JSON shape) of those of ``session_ids`` that have one."""
        return self._guard(lambda: self._index.summaries(session_ids))

    def stamps(self, session_ids: list[str]) -> dict[str, IndexStamp]:
        """Cheap index stamps (no JSON decoded) of those of ``session_ids`` that are indexed."""
        return self._guard(lambda: self._index.stamps(session_ids))

    def has_transcript(self, entry: IndexRow | None) -> bool:
        """Whether ``entry``'s transcript is cached and its file still exists."""
        return bool(
            entry and entry.has_transcript and self.transcript_path(entry.session_id).is_file()
        )

    def has_recording(self, entry: IndexRow | None) -> bool:
        """Whether ``entry``'s recording is cached and the file has the recorded size."""
        if entry is None or entry.recording_bytes is None:
            return False
        try:
            return self.recording_path(entry.session_id).stat().st_size == entry.recording_bytes
        except OSError:
            return False

    def recording_changed(self, entry: IndexRow) -> bool:
        """Whether the cached recording's content differs from what was written (by digest).

        Raises:
            OSError: the file cannot be read.
        """
        if entry.recording_digest is None:
            return False  # indexed before digests were kept: nothing to compare with
        return recording_digest(self.recording_path(entry.session_id)) != entry.recording_digest

    def read_transcript(self, session_id: str, digest: str | None = None) -> Any:
        """The cached transcript document.

        ``digest``: the index's digest of the file as written; content that differs (the file
        was replaced) is refused.

        Raises:
            CacheError: unreadable, not JSON or changed since written (names session and file).
        """
        path = self.transcript_path(session_id)
        try:
            data = path.read_bytes()
            if digest is not None and hashlib.sha256(data).hexdigest() != digest:
                raise ValueError("its content changed since it was cached")
            return json.loads(data)
        except (OSError, ValueError) as error:
            reason = f"cannot read cached transcript {str(path)!r}: {error}"
            raise CacheError(reason, subject=f"session {session_id}") from error

    # -- writing -----------------------------------------------------------------------------

    def store_summary(self, summary: dict[str, Any]) -> None:
        """Keep a completed session's summary (a dict in the contract's JSON shape)."""
        if summary.get("status") != "completed":
            return  # only terminal results are immutable; anything else would go stale
        self._guard(lambda: self._index.put_summary(str(summary["id"]), summary))

    def store_transcript(self, session_id: str, document: Any) -> Path:
        """Write the transcript document atomically and record it; returns the file."""
        path = self.transcript_path(session_id)
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        digest = hashlib.sha256(data).hexdigest()
        self._guard(lambda: write_atomically(path, data))
        self._guard(lambda: self._index.put_transcript(session_id, True, digest))
        return path

    def recorded(self, session_id: str) -> Path:
        """Record that the recording file was written (atomically, by the caller's download)."""
        path = self.recording_path(session_id)

        def record() -> None:
            self._index.put_recording(session_id, path.stat().st_size, recording_digest(path))

        self._guard(record)
        return path

    def store_recording_rows(
        self, session_id: str, vad_key: str, rows: list[dict[str, Any]]
    ) -> None:
        """Keep the recordings-frame rows measured from the cached file under ``vad_key``."""
        self._guard(lambda: self._index.put_recording_rows(session_id, vad_key, rows))

    def forget(self, session_id: str) -> None:
        """Drop a session from the index and delete its files (missing files are fine)."""
        self._guard(lambda: self._index.forget(session_id))
        for path in (self.transcript_path(session_id), self.recording_path(session_id)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _guard(self, action: Any) -> Any:
        try:
            return action()
        except (OSError, sqlite3.Error) as error:
            raise CacheError(f"results cache failed: {error}", subject=self._name()) from error

    def _name(self) -> str:
        return f"cache {str(self.path)!r}"


def recording_digest(path: Path) -> str:
    """SHA-256 of a recording's size and three 64 KiB samples (start, middle, end).

    Cheap whatever the length (a warm load checks every recording it builds frames from), and
    it changes when a file is replaced by another recording or by junk of the same size.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        digest.update(size.to_bytes(8, "little"))
        for offset in sorted(
            {0, max(0, size // 2 - _SAMPLE_BYTES // 2), max(0, size - _SAMPLE_BYTES)}
        ):
            handle.seek(offset)
            digest.update(handle.read(_SAMPLE_BYTES))
    return digest.hexdigest()


def platform_folder(base_url: str) -> str:
    """The folder name of a platform under the cache root: its host and port, and a hash of
    the whole base URL (two platforms on one host never share a folder)."""
    parts = urlsplit(base_url)
    host = re.sub(r"[^A-Za-z0-9.-]", "_", parts.hostname or "platform")
    digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:10]
    return f"{host}_{parts.port or ''}-{digest}".replace("_-", "-")


def _safe(name: str, what: str) -> str:
    if not _SAFE_NAME.match(name) or ".." in name:
        raise CacheError(f"{what} {name!r} is not usable as a file name")
    return name
