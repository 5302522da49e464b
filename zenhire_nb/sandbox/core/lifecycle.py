"""Starting a session for its candidate: shared by the admin route and the candidate link.

A link admits one candidate to one interview: starting an ``active`` session again is a reload
or reconnect and answers the same session; a terminal session, or a never-started one whose
link has expired, starts nothing.

The interview budget (docs/contract.md §5: 90 minutes) is enforced for interviews a
candidate's browser holds (the candidate page and the candidate-link routes): one still
``active`` past it is closed as ``failed`` with ``SESSION_TIMEOUT`` through the core's signed
webhook the next time anyone looks at it (:func:`expire_overdue`), so a frozen or moved
clock behaves as a running one would.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.api.errors import ApiError

if TYPE_CHECKING:  # the state imports this module
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = [
    "candidate_view",
    "check_startable",
    "expire_overdue",
    "row_for_token",
    "settled",
    "start_session",
]


def row_for_token(state: SandboxState, token: str | None) -> sqlite3.Row:
    """The session whose candidate link carries the raw ``token``.

    Raises :class:`ApiError` 404 ``NOT_FOUND`` for a missing or unknown token (the message
    never repeats the token).
    """
    row = state.sessions.row_by_token(token) if token else None
    if row is None:
        raise ApiError("NOT_FOUND", "This interview link is not valid.", status=404)
    return row


def expire_overdue(state: SandboxState, client_id: str) -> int:
    """Close every candidate-held interview of ``client_id`` past the budget as ``failed``
    ``SESSION_TIMEOUT``; returns how many were closed."""
    overdue = state.sessions.overdue(Limits.MAX_INTERVIEW_SEC, client_id)
    for row in overdue:
        state.completion.timeout(row)  # a no-op for one another request closed meanwhile
        state.live.drop(row["id"])
    return len(overdue)


def settled(state: SandboxState, row: sqlite3.Row) -> sqlite3.Row:
    """``row`` as it stands once the budget has been applied to its tenant's interviews."""
    if row["status"] != "active" or not expire_overdue(state, row["client_id"]):
        return row
    fresh = state.sessions.row(row["id"])
    assert fresh is not None
    return fresh


def start_session(state: SandboxState, row: sqlite3.Row, consent: bool | None) -> dict[str, Any]:
    """``initiated`` -> ``active`` honouring the consent mode; returns ``{session_id, status,
    started_at}``.

    Raises :class:`ApiError`: 409 ``SESSION_TERMINAL``, 410 ``LINK_EXPIRED``, 400
    ``CONSENT_REQUIRED`` (explicit mode without ``consent: true``).
    """
    check_startable(state, row, consent)
    if row["status"] == "initiated":
        state.sessions.mark_active(row["id"], consent=consent)
    fresh = state.sessions.row(row["id"])
    assert fresh is not None
    return {"session_id": row["id"], "status": fresh["status"], "started_at": fresh["started_at"]}


def check_startable(state: SandboxState, row: sqlite3.Row, consent: bool | None) -> None:
    """Raise the :func:`start_session` errors for ``row`` without starting it (an ``active``
    session passes: starting it again is a reload)."""
    session_id = row["id"]
    if row["status"] in ("completed", "failed"):
        raise ApiError(
            "SESSION_TERMINAL",
            f"Session {session_id} is {row['status']}.",
            status=409,
            details={"status": row["status"]},
        )
    if row["status"] == "initiated":
        if state.sessions.link_expired(row):
            raise ApiError(
                "LINK_EXPIRED",
                f"The link of session {session_id} has expired.",
                status=410,
                details={"status": row["status"]},
            )
        if row["consent_mode"] == "explicit" and consent is not True:
            raise ApiError(
                "CONSENT_REQUIRED",
                "This interview needs the candidate's consent.",
                status=400,
                details={"consent_mode": "explicit"},
            )


def candidate_view(row: sqlite3.Row, state: SandboxState) -> dict[str, Any]:
    """What a candidate page may show before starting (no tenant data, no token)."""
    return {
        "session_id": row["id"],
        "status": row["status"],
        "consent_mode": row["consent_mode"],
        "role_name": row["p_role_name"],
        "language": row["p_language"],
        "link_expired": row["status"] == "initiated" and state.sessions.link_expired(row),
    }
