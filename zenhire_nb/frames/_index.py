"""The SQLite index of a tenant's cache folder (private to :mod:`zenhire_nb.frames.cache`).

One row per completed session: its summary (JSON), whether the transcript and the recording
files are present (and the recording's size, to notice a file changed behind our back), and the
recordings-frame rows measured from that file under one set of voice-activity settings.

WAL mode lets readers and one writer work at once, and the busy timeout makes a second kernel
wait for a write lock instead of failing, so two processes can fill one cache concurrently. The
files themselves are written before their index row (temp file + ``os.replace``), so a row
never points at a half-written file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

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
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


class IndexRow(NamedTuple):
    """What the index knows about one session (``None``/``False`` for what it lacks)."""

    session_id: str
    summary: dict[str, Any] | None
    has_transcript: bool
    recording_bytes: int | None
    recording_rows: list[dict[str, Any]] | None
    vad_key: str | None


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
        # One connection shared by the threads of this process, guarded by the lock: index
        # writes are tiny, and SQLite's own locking handles other processes.
        self._db = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_SEC, check_same_thread=False, isolation_level=None
        )
        with self._lock:
            self._initialise()

    def _initialise(self) -> None:
        # Switching a new file to WAL takes an exclusive lock, and SQLite may answer "database
        # is locked" at once, without waiting on the busy timeout, when another process is
        # doing the same: retry for as long as the busy timeout would have waited.
        deadline = time.monotonic() + _BUSY_TIMEOUT_SEC
        delay = 0.01
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(_SCHEMA)
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
        query = (
            "SELECT session_id, summary_json, has_transcript, recording_bytes,"
            " recording_rows_json, vad_key FROM sessions"
        )
        with self._lock:
            found = self._db.execute(query).fetchall()
        wanted = None if session_ids is None else set(session_ids)
        return {row[0]: _row(row) for row in found if wanted is None or row[0] in wanted}

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

    def put_transcript(self, session_id: str, present: bool) -> None:
        self._upsert(session_id, "has_transcript", int(present))

    def put_recording(self, session_id: str, size: int | None) -> None:
        """Record the file's size; forgets rows measured from an earlier file."""
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (session_id, recording_bytes) VALUES (?, ?)"
                " ON CONFLICT(session_id) DO UPDATE SET recording_bytes = excluded.recording_bytes,"
                " recording_rows_json = NULL, vad_key = NULL,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (session_id, size),
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


def _row(row: tuple[Any, ...]) -> IndexRow:
    session_id, summary, has_transcript, size, rows, vad_key = row
    return IndexRow(
        session_id=session_id,
        summary=json.loads(summary) if summary else None,
        has_transcript=bool(has_transcript),
        recording_bytes=size,
        recording_rows=json.loads(rows) if rows else None,
        vad_key=vad_key,
    )
