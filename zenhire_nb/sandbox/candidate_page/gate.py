"""The concurrency cap on candidate starts: extra starts wait in line, they are not rejected.

docs/contract.md §5: ``maxConcurrentRequests`` applies when a candidate starts; starts beyond
it wait for a running interview to finish. Here the cap counts a tenant's ``active`` sessions
(whoever started them). A start that does not fit joins the tenant's first-in-first-out line
and is answered ``{"status": "waiting", "position": n}``; the candidate page polls the same
call until it is admitted. A place in line is kept only while its page keeps polling: a waiter
silent for :data:`STALE_AFTER_SEC` (tab closed) is dropped, so it cannot block the line.

Every start made for a candidate goes through this line: the page's ``begin``, the legacy
``/sandbox/candidate/start`` and the admin route ``POST /sandbox/sessions/{id}/start`` (whose
helper polls while it waits). Only ``/simulate``, the operator rehearsing a whole interview
at once, starts without waiting; its sessions count towards the cap all the same.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zenhire_nb.sandbox.core.lifecycle import check_startable, start_session

if TYPE_CHECKING:  # the state imports this module
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = ["STALE_AFTER_SEC", "ConcurrencyGate"]

STALE_AFTER_SEC = 20.0  # the page polls every 1.5 s; a silent waiter has gone away


class ConcurrencyGate:
    """Admits candidate starts under a per-tenant cap; thread-safe.

    ``monotonic`` is the liveness clock for the waiting line (seconds); it is deliberately not
    the sandbox's contract clock, which tests may freeze.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._lines: dict[str, OrderedDict[str, float]] = {}
        self._monotonic = monotonic

    def admit(
        self, state: SandboxState, row: sqlite3.Row, consent: bool | None, cap: int
    ) -> dict[str, Any]:
        """Start ``row`` if a slot is free and nobody waits ahead, else keep it waiting.

        Returns ``{session_id, status: "active", started_at}`` or ``{session_id, status:
        "waiting", position}`` (1 = next). Raises the errors of ``start_session`` (terminal
        session, expired link, consent missing) before anything else.
        """
        check_startable(state, row, consent)
        if row["status"] == "active":  # a reload: it already holds its slot
            return start_session(state, row, consent)
        with self._lock:
            line = self._line(row["client_id"])
            line[row["id"]] = self._monotonic()
            position = list(line).index(row["id"])
            running = _active_count(state, row["client_id"])
            if running + position < cap:
                del line[row["id"]]
                return start_session(state, row, consent)
            return {
                "session_id": row["id"],
                "status": "waiting",
                "position": position + 1,
                "running": running,
            }

    def leave(self, client_id: str, session_id: str) -> None:
        """Take a session out of its tenant's line (the candidate declined or went away)."""
        with self._lock:
            self._lines.get(client_id, OrderedDict()).pop(session_id, None)

    def _line(self, client_id: str) -> OrderedDict[str, float]:
        line = self._lines.setdefault(client_id, OrderedDict())
        horizon = self._monotonic() - STALE_AFTER_SEC
        for session_id in [s for s, seen in line.items() if seen < horizon]:
            del line[session_id]
        return line


def _active_count(state: SandboxState, client_id: str) -> int:
    row = state.db.one(
        "SELECT COUNT(*) FROM sessions WHERE client_id=? AND status='active'", (client_id,)
    )
    return int(row[0]) if row is not None else 0
