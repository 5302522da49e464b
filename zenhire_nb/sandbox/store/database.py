"""SQLite access for the sandbox: one connection guarded by one lock.

uvicorn runs sync routes in a thread pool, so the connection is shared across threads
(``check_same_thread=False``) and every use goes through :meth:`Database.tx`, which holds the
lock for the whole transaction. A sandbox serves a handful of users; a single writer is simpler
and safer than a connection per thread, and SQLite serialises writers anyway.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Database"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    id TEXT PRIMARY KEY, name TEXT, balance INTEGER NOT NULL,
    interview_permission INTEGER NOT NULL, active INTEGER NOT NULL,
    ip_allowlist TEXT, rate_limit_per_minute INTEGER, is_default INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),
    expires_ts REAL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, at TEXT NOT NULL,
    delta INTEGER NOT NULL, reason TEXT NOT NULL, session_id TEXT
);
CREATE TABLE IF NOT EXISTS personas (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, client_id TEXT NOT NULL,
    role_name TEXT NOT NULL, language TEXT NOT NULL, system_prompt TEXT,
    base_prompt_override TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, client_id TEXT NOT NULL,
    persona_id TEXT NOT NULL, candidate_ref TEXT, status TEXT NOT NULL,
    consent_mode TEXT NOT NULL, source TEXT NOT NULL, project_id TEXT,
    tags TEXT, metadata TEXT, created_at TEXT NOT NULL, created_ts REAL NOT NULL,
    started_at TEXT, completed_at TEXT, duration_sec INTEGER, credit_charged INTEGER,
    recording_s3_key TEXT, transcript_s3_key TEXT, interview_svc_session_id TEXT,
    error_code TEXT, feedback TEXT, consent_given INTEGER,
    token_hash TEXT NOT NULL UNIQUE, token_expires_ts REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_client ON sessions(client_id, seq);
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen_signatures (signature TEXT PRIMARY KEY, seen_ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS candidate_browsers (
    session_id TEXT PRIMARY KEY, browser_hash TEXT NOT NULL, claimed_ts REAL NOT NULL
);
"""


def _metadata_matches(metadata_json: str | None, key: str, wanted: str) -> int:
    """SQL function: does the stored metadata hold ``key`` equal to the query text ``wanted``?

    Query strings are text; stored values may be numbers or booleans, so compare their text
    forms (``true``/``false`` for booleans, as JSON writes them) and, for numbers, the value.
    """
    if not metadata_json:
        return 0
    value = json.loads(metadata_json).get(key, _MISSING)
    if value is _MISSING:
        return 0
    if isinstance(value, bool):
        return int(wanted.lower() == ("true" if value else "false"))
    if isinstance(value, (int, float)):
        try:
            return int(float(wanted) == float(value))
        except ValueError:
            return 0
    return int(value == wanted)


_MISSING = object()


class Database:
    """A SQLite database at ``path`` (a file, or ``":memory:"``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("metadata_matches", 3, _metadata_matches, deterministic=True)
        with self._lock:
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; rolled back if the block raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def close(self) -> None:
        with self._lock:
            self._conn.close()
