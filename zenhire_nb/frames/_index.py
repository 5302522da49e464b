"""The SQLite index of a tenant's cache folder (private to :mod:`zenhire_nb.frames.cache`).

One row per completed session: its summary (JSON), whether the transcript and the recording
files are present, a digest of each file's content as written (to notice a file changed behind
our back: see :mod:`zenhire_nb.frames.cache`), and the recordings-frame rows measured from that
file under one set of voice-activity settings.

A folder that cannot be written is opened read-only (every cached result stays readable; writes
raise). An index file that is not a database is moved aside and started anew; the cache then
rebuilds it from the files.

WAL mode lets readers and one writer work at once, and the busy timeout makes a second kernel
wait for a write lock instead of failing, so two processes can fill one cache concurrently. The
files themselves are written before their index row (temp file + ``os.replace``), so a row
never points at a half-written file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

__all__ = ["IndexRow", "IndexStamp", "SessionIndex"]

_BUSY_TIMEOUT_SEC = 60.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    summary_json TEXT,
    has_transcript INTEGER NOT NULL DEFAULT 0,
    recording_bytes INTEGER,
    recording_rows_json TEXT,
    vad_key TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    transcript_digest TEXT,
    recording_digest TEXT
)
"""
# Columns added after the first release: an older index gets them on open.
_ADDED_COLUMNS = ("transcript_digest", "recording_digest")
_COLUMNS = (
    "session_id, summary_json, has_transcript, recording_bytes, recording_rows_json, vad_key,"
    " transcript_digest, recording_digest"
)
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


class IndexRow(NamedTuple):
    """What the index knows about one session (``None``/``False`` for what it lacks)."""

    session_id: str
    summary: dict[str, Any] | None
    has_transcript: bool
    recording_bytes: int | None
    recording_rows: list[dict[str, Any]] | None
    vad_key: str | None
    transcript_digest: str | None = None  # None: written before digests were kept
    recording_digest: str | None = None


class IndexStamp(NamedTuple):
    """What the index says about one session, without decoding its JSON columns (cheap)."""

    session_id: str
    has_transcript: bool
    recording_bytes: int | None
    measured_vad_key: str | None  # settings of the stored recording rows; None: no rows
    updated_at: str  # changes with every write of the row


class SessionIndex:
    """Thread-safe access to ``index.sqlite3`` in a tenant folder.

    Raises:
        sqlite3.Error: the database cannot be opened or written (the cache wraps it).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.read_only = False
        self.recreated = False  # the file was not a database: moved aside, started anew
        with self._lock:
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = self._connect()
        try:
            self._initialise(db)
            return db
        except sqlite3.OperationalError as error:
            db.close()
            if not _is_read_only(error, self.path):
                raise
        except sqlite3.DatabaseError as error:
            db.close()
            if "not a database" not in str(error) and "malformed" not in str(error):
                raise
            self._move_aside()
            db = self._connect()
            self._initialise(db)
            self.recreated = True
            return db
        self.read_only = True
        return self._connect_read_only()

    def _connect(self) -> sqlite3.Connection:
        # One connection shared by the threads of this process, guarded by the lock: index
        # writes are tiny, and SQLite's own locking handles other processes.
        return sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT_SEC, check_same_thread=False, isolation_level=None
        )

    def _connect_read_only(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path))}"
        db = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_SEC, check_same_thread=False
        )
        try:
            db.execute("SELECT count(*) FROM sessions").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
        # WAL readers need to create the shared-memory file, which a read-only folder refuses;
        # "immutable" reads the database file alone (nobody can be writing to it here anyway).
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)

    def _move_aside(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                os.replace(source, source.with_name(f"{source.name}.damaged"))

    @staticmethod
    def _initialise(db: sqlite3.Connection) -> None:
        # Switching a new file to WAL takes an exclusive lock, and SQLite may answer "database
        # is locked" at once, without waiting on the busy timeout, when another process is
        # doing the same: retry for as long as the busy timeout would have waited.
        deadline = time.monotonic() + _BUSY_TIMEOUT_SEC
        delay = 0.01
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                present = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
                for column in _ADDED_COLUMNS:
                    if column not in present:
                        db.execute(f"ALTER TABLE sessions ADD COLUMN {column} TEXT")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def rows(self, session_ids: list[str] | None = None) -> dict[str, IndexRow]:
        """Rows by session id: all of them, or those of ``session_ids`` that exist."""
        with self._lock:
            found = self._db.execute(f"SELECT {_COLUMNS} FROM sessions").fetchall()
        wanted = None if session_ids is None else set(session_ids)
        return {row[0]: _row(row) for row in found if wanted is None or row[0] in wanted}

    def summaries(self, session_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored summaries of those of ``session_ids`` that have one (nothing else decoded)."""
        query = "SELECT session_id, summary_json FROM sessions WHERE summary_json IS NOT NULL"
        with self._lock:
            found = self._db.execute(query).fetchall()
        wanted = set(session_ids)
        return {row[0]: json.loads(row[1]) for row in found if row[0] in wanted}

    def stamps(self, session_ids: list[str]) -> dict[str, IndexStamp]:
        """:class:`IndexStamp` by session id, for those of ``session_ids`` that have a row."""
        query = (
            "SELECT session_id, has_transcript, recording_bytes,"
            " CASE WHEN recording_rows_json IS NULL THEN NULL ELSE vad_key END, updated_at"
            " FROM sessions"
        )
        with self._lock:
            found = self._db.execute(query).fetchall()
        wanted = set(session_ids)
        return {
            row[0]: IndexStamp(row[0], bool(row[1]), row[2], row[3], row[4])
            for row in found
            if row[0] in wanted
        }

    def put_summary(self, session_id: str, summary: dict[str, Any]) -> None:
        self._upsert(session_id, "summary_json", json.dumps(summary, separators=(",", ":")))

    def put_transcript(self, session_id: str, present: bool, digest: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (session_id, has_transcript, transcript_digest)"
                " VALUES (?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET"
                " has_transcript = excluded.has_transcript,"
                f" transcript_digest = excluded.transcript_digest, updated_at = {_NOW}",
                (session_id, int(present), digest),
            )

    def put_recording(self, session_id: str, size: int | None, digest: str | None = None) -> None:
        """Record the file's size and digest; forgets rows measured from a different file.

        Rows stay when the digest is unchanged: another kernel downloading the same recording
        writes the same bytes, and must not wipe the rows this one measured meanwhile.
        """
        same = "sessions.recording_digest IS NOT NULL AND sessions.recording_digest IS ?"
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (session_id, recording_bytes, recording_digest)"
                " VALUES (?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET"
                f" recording_rows_json = CASE WHEN {same} THEN recording_rows_json END,"
                f" vad_key = CASE WHEN {same} THEN vad_key END,"
                " recording_bytes = excluded.recording_bytes,"
                f" recording_digest = excluded.recording_digest, updated_at = {_NOW}",
                (session_id, size, digest, digest, digest),
            )

    def put_recording_rows(self, session_id: str, vad_key: str, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE sessions SET recording_rows_json = ?, vad_key = ?,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE session_id = ?",
                (json.dumps(rows, separators=(",", ":")), vad_key, session_id),
            )

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))

    def _upsert(self, session_id: str, column: str, value: object) -> None:
        # ``column`` is one of our own constants, never user input.
        with self._lock:
            self._db.execute(
                f"INSERT INTO sessions (session_id, {column}) VALUES (?, ?)"
                f" ON CONFLICT(session_id) DO UPDATE SET {column} = excluded.{column},"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (session_id, value),
            )


def _is_read_only(error: sqlite3.OperationalError, path: Path) -> bool:
    """Whether opening failed only because the folder or file cannot be written."""
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return True
    return "unable to open" in text and path.is_file() and not os.access(path.parent, os.W_OK)


def _row(row: tuple[Any, ...]) -> IndexRow:
    session_id, summary, has_transcript, size, rows, vad_key, transcript_digest, digest = row
    return IndexRow(
        session_id=session_id,
        summary=json.loads(summary) if summary else None,
        has_transcript=bool(has_transcript),
        recording_bytes=size,
        recording_rows=json.loads(rows) if rows else None,
        vad_key=vad_key,
        transcript_digest=transcript_digest,
        recording_digest=digest,
    )
