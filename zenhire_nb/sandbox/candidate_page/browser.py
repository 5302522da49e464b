"""One link, one browser: a running interview stays with the browser that holds it.

The link token alone would let anyone who has the link (a forwarded mail, a second device)
join or end a running interview. So the first browser to start it (or, for an interview an
operator started, the first to open it) is bound to it: the sandbox sets a random per-browser
secret in an HttpOnly cookie (:data:`BROWSER_COOKIE`, only its SHA-256 is stored), and every
candidate call on an ``active`` session must bring the same secret. A reload or reconnect of
that browser continues; another browser gets ``409 SESSION_IN_USE`` and the page says so.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import TYPE_CHECKING

from fastapi import Request, Response

from zenhire_nb.sandbox.api.errors import ApiError
from zenhire_nb.sandbox.store.tenants import hash_secret

if TYPE_CHECKING:  # the state imports the candidate page package
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = ["BROWSER_COOKIE", "browser_secret", "claim_browser", "held_elsewhere"]

BROWSER_COOKIE = "zenhire_candidate_browser"
_COOKIE_PATH = "/sandbox/candidate"
_MAX_SECRET = 100


def browser_secret(request: Request, response: Response | None = None) -> str | None:
    """The calling browser's secret; with ``response``, a new one is minted and set on it
    when the browser has none yet (an oversized cookie counts as none)."""
    secret = request.cookies.get(BROWSER_COOKIE)
    if secret and len(secret) <= _MAX_SECRET:
        return secret
    if response is None:
        return None
    secret = secrets.token_urlsafe(32)
    response.set_cookie(BROWSER_COOKIE, secret, httponly=True, samesite="strict", path=_COOKIE_PATH)
    return secret


def _in_use(row: sqlite3.Row) -> ApiError:
    return ApiError(
        "SESSION_IN_USE",
        f"Session {row['id']} is running in another browser.",
        status=409,
        details={"status": row["status"]},
    )


def held_elsewhere(state: SandboxState, row: sqlite3.Row, secret: str | None) -> bool:
    """Is ``row`` an interview bound to a browser other than the one with ``secret``?"""
    bound = state.sessions.browser_of(row["id"])
    return bound is not None and (secret is None or bound != hash_secret(secret))


def claim_browser(
    state: SandboxState, row: sqlite3.Row, secret: str | None, *, claim: bool = True
) -> None:
    """Let the browser with ``secret`` act on the active session ``row``, binding it when the
    session is not bound yet (unless ``claim`` is False: a call that cannot hand a cookie
    back only checks). Raises 409 ``SESSION_IN_USE`` for any other browser."""
    if claim and secret is not None:
        # Claimed in one statement: False when another browser holds it, also one that
        # claimed it a moment ago.
        if not state.sessions.claim_browser(row["id"], hash_secret(secret)):
            raise _in_use(row)
    elif held_elsewhere(state, row, secret):
        raise _in_use(row)
