"""Tenants of the sandbox: clients, their API keys (hashes only) and their credit ledger.

Raw API keys are never stored: only their SHA-256, so a copied database file admits nobody.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zenhire_nb.sandbox.core.timestamps import iso_at
from zenhire_nb.sandbox.store.database import Database

__all__ = ["Client", "KeyCheck", "KeyInUseError", "Tenants", "hash_secret", "new_api_key"]

# SQLite integers are 64-bit; credits and limits stay far inside that, so sums cannot overflow.
MAX_CREDITS = 10**12

Clock = Callable[[], float]


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_api_key() -> str:
    """A fresh key in the platform's current format (``zh_api_`` + 256 random bits)."""
    return "zh_api_" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Client:
    id: str
    name: str | None
    balance: int
    interview_permission: bool
    active: bool
    ip_allowlist: list[str] | None
    rate_limit_per_minute: int | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Client:
        allow = json.loads(row["ip_allowlist"]) if row["ip_allowlist"] else None
        return cls(
            row["id"],
            row["name"],
            row["balance"],
            bool(row["interview_permission"]),
            bool(row["active"]),
            allow,
            row["rate_limit_per_minute"],
        )

    def public(self) -> dict[str, Any]:
        return {
            "client_id": self.id,
            "name": self.name,
            "balance": self.balance,
            "interview_permission": self.interview_permission,
            "active": self.active,
            "ip_allowlist": self.ip_allowlist,
            "rate_limit_per_minute": self.rate_limit_per_minute,
        }


class KeyInUseError(ValueError):
    """The API key is already registered to another client: a key belongs to exactly one
    tenant (docs/contract.md §2), so it is never moved silently."""


@dataclass(frozen=True)
class KeyCheck:
    """Outcome of looking a key up: ``client`` is None for an unknown key."""

    client: Client | None
    expired: bool
    key_hash: str


class Tenants:
    """Clients, keys and ledger in the sandbox database."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def _now_iso(self) -> str:
        return iso_at(self._clock())

    def create(
        self,
        *,
        name: str | None = None,
        credits: int = 0,
        interview_permission: bool = True,
        active: bool = True,
        ip_allowlist: list[str] | None = None,
        rate_limit_per_minute: int | None = None,
        is_default: bool = False,
        api_key: str | None = None,
    ) -> str:
        """Create a client with an opening balance (written to its ledger) and, if given, its
        first API key, in one transaction; returns its id. Raises :class:`KeyInUseError`
        (creating nothing) if ``api_key`` belongs to another client."""
        client_id = str(uuid.uuid4())
        allow = json.dumps(ip_allowlist) if ip_allowlist is not None else None
        with self._db.tx() as conn:
            conn.execute(
                "INSERT INTO clients VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    client_id,
                    name,
                    0,
                    int(interview_permission),
                    int(active),
                    allow,
                    rate_limit_per_minute,
                    int(is_default),
                    self._now_iso(),
                ),
            )
            self._adjust(conn, client_id, credits, "opening balance", None)
            if api_key is not None:
                self._insert_key(conn, client_id, api_key, None)
        return client_id

    def default_client_id(self) -> str | None:
        row = self._db.one("SELECT id FROM clients WHERE is_default=1 ORDER BY created_at")
        return row["id"] if row else None

    def ensure_default(self, api_key: str | None, credits: int) -> tuple[str, str]:
        """The default tenant's ``(client_id, api_key)``, creating the tenant on first use.

        ``credits`` is the opening balance of a new database; a reopened one keeps its balance.
        ``api_key`` is registered if given; otherwise a new key is minted (only hashes are
        stored, so an earlier run's key cannot be shown again, though it still works).
        """
        client_id = self.default_client_id()
        if client_id is None:
            client_id = self.create(name="default", credits=credits, is_default=True)
        key = api_key or new_api_key()
        self.add_key(client_id, key)
        return client_id, key

    def get(self, client_id: str) -> Client | None:
        row = self._db.one("SELECT * FROM clients WHERE id=?", (client_id,))
        return Client.from_row(row) if row else None

    def update(self, client_id: str, changes: dict[str, Any]) -> Client | None:
        """Apply admin changes; a new ``credits`` value is written to the ledger as a delta."""
        columns = {
            "interview_permission": int,
            "active": int,
            "rate_limit_per_minute": None,
            "ip_allowlist": None,
            "name": None,
        }
        with self._db.tx() as conn:
            row = conn.execute("SELECT balance FROM clients WHERE id=?", (client_id,)).fetchone()
            if row is None:
                return None
            for column, convert in columns.items():
                if column in changes:
                    value = changes[column]
                    if column == "ip_allowlist" and value is not None:
                        value = json.dumps(value)
                    elif convert is not None and value is not None:
                        value = convert(value)
                    conn.execute(f"UPDATE clients SET {column}=? WHERE id=?", (value, client_id))
            if changes.get("credits") is not None:
                self._adjust(
                    conn, client_id, changes["credits"] - row["balance"], "admin adjustment", None
                )
        return self.get(client_id)

    def add_key(self, client_id: str, raw_key: str, expires_ts: float | None = None) -> None:
        """Register ``raw_key`` (only its hash is kept); re-adding a key of this client sets
        its expiry anew. Raises :class:`KeyInUseError` if it belongs to another client."""
        with self._db.tx() as conn:
            self._insert_key(conn, client_id, raw_key, expires_ts)

    def _insert_key(
        self, conn: sqlite3.Connection, client_id: str, raw_key: str, expires_ts: float | None
    ) -> None:
        key_hash = hash_secret(raw_key)
        owner = conn.execute("SELECT client_id FROM api_keys WHERE key_hash=?", (key_hash,))
        found = owner.fetchone()
        if found is not None and found["client_id"] != client_id:
            raise KeyInUseError("this API key already belongs to another client")
        conn.execute(
            "INSERT OR REPLACE INTO api_keys VALUES (?,?,?,?)",
            (key_hash, client_id, expires_ts, self._now_iso()),
        )

    def check_key(self, raw_key: str) -> KeyCheck:
        key_hash = hash_secret(raw_key)
        row = self._db.one(
            "SELECT c.*, k.expires_ts FROM api_keys k JOIN clients c ON c.id = k.client_id "
            "WHERE k.key_hash=?",
            (key_hash,),
        )
        if row is None:
            return KeyCheck(None, False, key_hash)
        expired = row["expires_ts"] is not None and row["expires_ts"] <= self._clock()
        return KeyCheck(Client.from_row(row), expired, key_hash)

    def ledger(self, client_id: str) -> list[dict[str, Any]]:
        rows = self._db.all(
            "SELECT at, delta, reason, session_id FROM ledger WHERE client_id=? ORDER BY id",
            (client_id,),
        )
        return [dict(row) for row in rows]

    def charge(
        self, conn: sqlite3.Connection, client_id: str, credits: int, session_id: str
    ) -> None:
        """Debit ``credits`` inside the caller's transaction (the balance may go negative:
        the interview has already happened)."""
        if credits:
            self._adjust(conn, client_id, -credits, "interview", session_id)

    def _adjust(
        self,
        conn: sqlite3.Connection,
        client_id: str,
        delta: int,
        reason: str,
        session_id: str | None,
    ) -> None:
        conn.execute("UPDATE clients SET balance = balance + ? WHERE id=?", (delta, client_id))
        conn.execute(
            "INSERT INTO ledger (client_id, at, delta, reason, session_id) VALUES (?,?,?,?,?)",
            (client_id, self._now_iso(), delta, reason, session_id),
        )
