"""Sessions in the sandbox database: creation with a candidate link token, listing with the
contract's filters, the lifecycle transitions, and their JSON forms.

The raw candidate token exists only in the create response: the database keeps its SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import json
import secrets
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.core.timestamps import iso_at
from zenhire_nb.sandbox.store.database import Database
from zenhire_nb.sandbox.store.tenants import hash_secret

__all__ = [
    "CursorError",
    "ListFilters",
    "Sessions",
    "decode_cursor",
    "encode_cursor",
    "session_view",
]

_SELECT = (
    "SELECT s.*, p.role_name AS p_role_name, p.language AS p_language "
    "FROM sessions s LEFT JOIN personas p ON p.id = s.persona_id"
)

_COMMON_FIELDS = (
    "id",
    "client_id",
    "persona_id",
    "candidate_ref",
    "status",
    "consent_mode",
    "source",
    "project_id",
    "created_at",
    "started_at",
    "completed_at",
    "duration_sec",
    "credit_charged",
    "recording_s3_key",
    "transcript_s3_key",
    "interview_svc_session_id",
    "error_code",
)


_CURSOR_PREFIX = b"c1"


class CursorError(ValueError):
    """A list cursor this server did not hand to this tenant."""


def encode_cursor(session_id: str) -> str:
    """The opaque cursor continuing a listing after ``session_id`` (§3.5).

    It names the tenant's own last row, never a platform-wide position, so a cursor tells a
    tenant nothing it does not already know (how many sessions others hold, for one).
    """
    raw = _CURSOR_PREFIX + uuid.UUID(session_id).bytes
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The session id inside ``cursor``; raises :class:`CursorError` for anything else."""
    if len(cursor) > 64:  # a real one has 24 characters: refuse big input before decoding
        raise CursorError("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"==")
    except (binascii.Error, UnicodeError, ValueError):
        raise CursorError("cursor is not base64") from None
    if len(raw) != 18 or not raw.startswith(_CURSOR_PREFIX):
        raise CursorError("not a cursor of this server")
    return str(uuid.UUID(bytes=raw[2:]))


def session_view(row: sqlite3.Row, *, single: bool) -> dict[str, Any]:
    """The SessionSummary JSON: list rows add role_name/language, a single read adds
    ``persona`` and ``feedback`` (docs/contract.md §3.4)."""
    view = {name: row[name] for name in _COMMON_FIELDS}
    view["tags"] = json.loads(row["tags"]) if row["tags"] is not None else None
    view["metadata"] = json.loads(row["metadata"]) if row["metadata"] is not None else None
    if single:
        view["persona"] = (
            {
                "id": row["persona_id"],
                "role_name": row["p_role_name"],
                "language": row["p_language"],
            }
            if row["p_role_name"]
            else None
        )
        view["feedback"] = json.loads(row["feedback"]) if row["feedback"] else None
    else:
        view["role_name"] = row["p_role_name"]
        view["language"] = row["p_language"]
    return view


@dataclass
class ListFilters:
    """The list endpoint's filters; every one given must match (tags and metadata: all)."""

    status: str | None = None
    persona_id: str | None = None
    candidate_ref: str | None = None
    tags: list[str] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)
    created_after_ts: float | None = None
    created_before_ts: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("status", "persona_id", "candidate_ref"):
            if getattr(self, column) is not None:
                clauses.append(f"s.{column} = ?")
                params.append(getattr(self, column))
        for tag in self.tags:
            clauses.append("EXISTS (SELECT 1 FROM json_each(s.tags) WHERE value = ?)")
            params.append(tag)
        for key, value in self.metadata:
            clauses.append("metadata_matches(s.metadata, ?, ?)")
            params.extend((key, value))
        if self.created_after_ts is not None:
            clauses.append("s.created_ts > ?")
            params.append(self.created_after_ts)
        if self.created_before_ts is not None:
            clauses.append("s.created_ts < ?")
            params.append(self.created_before_ts)
        return " AND ".join(clauses), params


class Sessions:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    def _now_iso(self) -> str:
        return iso_at(self._clock())

    def create(
        self,
        client_id: str,
        persona_id: str,
        *,
        consent_mode: str,
        candidate_ref: str | None,
        metadata: dict[str, Any] | None,
        tags: list[str] | None,
    ) -> tuple[str, str]:
        """Store a new ``initiated`` session; returns ``(session_id, raw_token)``."""
        session_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(32)  # 256 bits; only the hash is stored
        now = self._clock()
        with self._db.tx() as conn:
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM sessions").fetchone()[0]
            conn.execute(
                "INSERT INTO sessions (id, seq, client_id, persona_id, candidate_ref, status, "
                "consent_mode, source, project_id, tags, metadata, created_at, created_ts, "
                "token_hash, token_expires_ts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    session_id,
                    seq,
                    client_id,
                    persona_id,
                    candidate_ref,
                    "initiated",
                    consent_mode,
                    "requests",
                    None,
                    json.dumps(tags) if tags is not None else None,
                    json.dumps(metadata) if metadata is not None else None,
                    self._now_iso(),
                    now,
                    hash_secret(token),
                    now + Limits.LINK_EXPIRES_IN_SEC,
                ),
            )
        return session_id, token

    def row(self, session_id: str, client_id: str | None = None) -> sqlite3.Row | None:
        """The session (restricted to ``client_id`` when given: another tenant's is absent)."""
        if client_id is None:
            return self._db.one(_SELECT + " WHERE s.id=?", (session_id,))
        return self._db.one(_SELECT + " WHERE s.id=? AND s.client_id=?", (session_id, client_id))

    def row_by_token(self, raw_token: str) -> sqlite3.Row | None:
        return self._db.one(_SELECT + " WHERE s.token_hash=?", (hash_secret(raw_token),))

    def list(
        self, client_id: str, filters: ListFilters, *, limit: int, after: str | None
    ) -> tuple[list[sqlite3.Row], bool]:
        """Newest first, after the tenant's session ``after`` (a cursor's); returns up to
        ``limit`` rows and whether more match. Raises :class:`CursorError` if ``after`` is
        not a session of ``client_id``."""
        where, params = filters.where()
        sql = _SELECT + " WHERE s.client_id = ?" + (f" AND {where}" if where else "")
        if after is not None:
            anchor = self._db.one(
                "SELECT seq FROM sessions WHERE id=? AND client_id=?", (after, client_id)
            )
            if anchor is None:
                raise CursorError("not a cursor of this tenant")
            sql += " AND s.seq < ?"
            params.append(anchor["seq"])
        rows = self._db.all(sql + " ORDER BY s.seq DESC LIMIT ?", (client_id, *params, limit + 1))
        return rows[:limit], len(rows) > limit

    def claim_browser(self, session_id: str, browser_hash: str) -> bool:
        """Bind the session to the browser whose secret hashes to ``browser_hash``, unless it
        is bound already; True if it is now bound to that browser."""
        with self._db.tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO candidate_browsers VALUES (?,?,?)",
                (session_id, browser_hash, self._clock()),
            )
            bound = conn.execute(
                "SELECT browser_hash FROM candidate_browsers WHERE session_id=?", (session_id,)
            ).fetchone()
        return bool(bound["browser_hash"] == browser_hash)

    def browser_of(self, session_id: str) -> str | None:
        """The hash of the browser secret the session is bound to (None: unbound)."""
        row = self._db.one(
            "SELECT browser_hash FROM candidate_browsers WHERE session_id=?", (session_id,)
        )
        return None if row is None else str(row["browser_hash"])

    def overdue(
        self, budget_sec: float, client_id: str
    ) -> builtins.list[sqlite3.Row]:  # the method above shadows the builtin here
        """Active sessions of ``client_id`` held by a candidate's browser that started more
        than ``budget_sec`` ago."""
        cutoff = iso_at(self._clock() - budget_sec)  # ISO texts of one format sort by time
        sql = (
            _SELECT + " JOIN candidate_browsers b ON b.session_id = s.id "
            "WHERE s.status = 'active' AND s.started_at <= ? AND s.client_id = ?"
        )
        return self._db.all(sql, (cutoff, client_id))

    def link_expired(self, row: sqlite3.Row) -> bool:
        return bool(row["token_expires_ts"] <= self._clock())

    def mark_active(self, session_id: str, *, consent: bool | None) -> bool:
        """``initiated`` -> ``active``; False if the session was no longer initiated."""
        with self._db.tx() as conn:
            changed = conn.execute(
                "UPDATE sessions SET status='active', started_at=?, consent_given=? "
                "WHERE id=? AND status='initiated'",
                (self._now_iso(), None if consent is None else int(consent), session_id),
            )
            return changed.rowcount == 1

    def backdate(
        self,
        session_id: str,
        *,
        created_ts: float,
        started_ts: float | None,
        completed_ts: float | None,
    ) -> None:
        """Move a session's timestamps into the past (the demo cohort spreads its interviews
        over weeks, as a real cohort's are). Its ledger charge moves with its completion, so the
        spend over time agrees with the sessions. Times are seconds since the epoch."""
        completed = iso_at(completed_ts) if completed_ts is not None else None
        with self._db.tx() as conn:
            conn.execute(
                "UPDATE sessions SET created_at=?, created_ts=?, started_at=?, completed_at=?, "
                "token_expires_ts=? WHERE id=?",
                (
                    iso_at(created_ts),
                    created_ts,
                    iso_at(started_ts) if started_ts is not None else None,
                    completed,
                    created_ts + Limits.LINK_EXPIRES_IN_SEC,
                    session_id,
                ),
            )
            if completed is not None:
                conn.execute(
                    "UPDATE ledger SET at=? WHERE session_id=? AND reason='interview'",
                    (completed, session_id),
                )

    def finish(
        self, conn: sqlite3.Connection, session_id: str, outcome: dict[str, Any], charged: int
    ) -> None:
        """Write a terminal outcome inside the caller's transaction (see the webhook receiver)."""
        conn.execute(
            "UPDATE sessions SET status=?, completed_at=?, duration_sec=?, credit_charged=?, "
            "recording_s3_key=?, transcript_s3_key=?, interview_svc_session_id=?, "
            "error_code=?, feedback=? WHERE id=?",
            (
                outcome["status"],
                self._now_iso(),
                outcome.get("duration_sec"),
                charged,
                outcome.get("recording_s3_key"),
                outcome.get("transcript_s3_key"),
                outcome.get("interview_svc_session_id"),
                outcome.get("error_code"),
                json.dumps(outcome["feedback"]) if outcome.get("feedback") else None,
                session_id,
            ),
        )
