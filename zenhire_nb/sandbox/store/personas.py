"""Personas in the sandbox database, and their JSON forms (list, create, detail)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from zenhire_nb.sandbox.core.timestamps import iso_at
from zenhire_nb.sandbox.store.database import Database

__all__ = ["Personas", "default_system_prompt"]

_LIST_FIELDS = ("id", "client_id", "role_name", "language", "status", "created_at")


def default_system_prompt(role_name: str, language: str) -> str:
    """The sandbox's stand-in for the platform's prompt template (role + language)."""
    return (
        f"You are a friendly, professional interviewer for the role of {role_name}. "
        f"Conduct the whole interview in the language '{language}'. Ask one question at a "
        "time, listen carefully, ask short follow-ups, and keep the interview on topic."
    )


class Personas:
    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock

    def create(
        self,
        client_id: str,
        *,
        role_name: str,
        language: str,
        system_prompt: str | None,
        base_prompt_override: str | None,
    ) -> dict[str, Any]:
        """Store a persona; returns the create response (list view + base_prompt_override)."""
        persona_id = str(uuid.uuid4())
        now = iso_at(self._clock())
        prompt = (
            system_prompt
            if system_prompt is not None
            else default_system_prompt(role_name, language)
        )
        with self._db.tx() as conn:
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM personas").fetchone()[0]
            conn.execute(
                "INSERT INTO personas VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    persona_id,
                    seq,
                    client_id,
                    role_name,
                    language,
                    prompt,
                    base_prompt_override,
                    "active",
                    now,
                    None,
                ),
            )
        row = self.row(client_id, persona_id)
        assert row is not None
        return self.created_view(row)

    def row(self, client_id: str, persona_id: str) -> sqlite3.Row | None:
        """The persona if it belongs to ``client_id`` (another tenant's is simply absent)."""
        return self._db.one(
            "SELECT * FROM personas WHERE id=? AND client_id=?", (persona_id, client_id)
        )

    def backdate(self, persona_id: str, created_ts: float) -> None:
        """Move a persona's creation into the past (the demo cohort's, before its sessions)."""
        with self._db.tx() as conn:
            conn.execute(
                "UPDATE personas SET created_at=? WHERE id=?", (iso_at(created_ts), persona_id)
            )

    def list(self, client_id: str) -> list[dict[str, Any]]:
        rows = self._db.all(
            "SELECT * FROM personas WHERE client_id=? ORDER BY seq DESC", (client_id,)
        )
        return [self.list_view(row) for row in rows]

    @staticmethod
    def list_view(row: sqlite3.Row) -> dict[str, Any]:
        return {name: row[name] for name in _LIST_FIELDS}

    @classmethod
    def created_view(cls, row: sqlite3.Row) -> dict[str, Any]:
        return {**cls.list_view(row), "base_prompt_override": row["base_prompt_override"]}

    @classmethod
    def detail_view(cls, row: sqlite3.Row) -> dict[str, Any]:
        return {
            **cls.created_view(row),
            "system_prompt": row["system_prompt"],
            "updated_at": row["updated_at"],
        }
