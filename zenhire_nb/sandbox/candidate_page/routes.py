"""The candidate page and its API: ``GET /candidate`` and ``/sandbox/candidate/...``.

These routes only translate HTTP; what happens lives in :mod:`.flow`, :mod:`.gate` and the
core's :mod:`~zenhire_nb.sandbox.core.lifecycle`.

The page reads the link token from the URL fragment and sends it only in a header
(``X-Candidate-Token``) or, for ``verify``, in the JSON body; it never appears in a URL, so
access logs and referrers never see it. Every route here is authorised by that token alone.

Flow: ``verify`` (what to show) → ``begin`` (consent, concurrency cap: ``active`` or
``waiting``, polled) → per turn ``turn`` / ``turn-audio`` → ``answer`` (microphone, 16-bit
PCM WAV body) or ``simulate-answer`` → ``end`` (or the natural end after the closing line),
which completes the session through the core's signed completion webhook.

Two older candidate-link routes remain for scripts that act for a candidate without the page:
``POST /sandbox/candidate/session`` (what the page would show) and ``/start`` (the page's
rules: the concurrency cap and the one-browser binding), with the token in the JSON body.
"""

from __future__ import annotations

import sqlite3
import uuid
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, StrictBool, StrictStr

from zenhire_nb.sandbox.api.bodies import capped_stream, json_model
from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.candidate_page.browser import browser_secret, claim_browser
from zenhire_nb.sandbox.candidate_page.flow import (
    begin_interview,
    check_turn,
    finish_interview,
    live_interview,
    page_for,
    start_for_candidate,
    store_answer,
)
from zenhire_nb.sandbox.core.lifecycle import candidate_view, row_for_token, settled
from zenhire_nb.sandbox.core.state import get_state

__all__ = ["TOKEN_HEADER", "router"]

TOKEN_HEADER = "X-Candidate-Token"
_STATIC = ("candidate.css", "candidate.js", "recorder-worklet.js")
_MEDIA = {".css": "text/css", ".js": "text/javascript", ".html": "text/html"}
# No caching (state changes), no referrer (belt and braces: the token is only in the fragment).
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter(tags=["sandbox candidate page"])


def _static(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath("static").joinpath(name)))


@router.get("/candidate")
def candidate_page() -> Any:
    """The candidate page (HTML); it reads the link token from ``#t=…`` in the browser."""
    return FileResponse(_static("candidate.html"), media_type="text/html", headers=_PAGE_HEADERS)


@router.get("/candidate/static/{name}")
def candidate_static(name: str) -> Any:
    if name not in _STATIC:
        raise ApiError("NOT_FOUND", f"No static file {name!r}.", status=404)
    return FileResponse(_static(name), media_type=_MEDIA[Path(name).suffix], headers=_PAGE_HEADERS)


class TokenBody(BaseModel):
    token: StrictStr = Field(min_length=1, max_length=200)


class StartBody(TokenBody):
    consent: StrictBool | None = None


class BeginBody(BaseModel):
    consent: StrictBool | None = None


class SimulateBody(BaseModel):
    index: int = Field(ge=0)


def _row(request: Request, *, claim: bool) -> sqlite3.Row:
    state = get_state(request)
    row = settled(state, row_for_token(state, request.headers.get(TOKEN_HEADER)))
    if row["status"] == "active":
        claim_browser(state, row, browser_secret(request), claim=claim)
    return row


def candidate_row(request: Request) -> sqlite3.Row:
    """Dependency: the session whose link token is in the ``X-Candidate-Token`` header, after
    the interview budget was applied; an active one only for the browser holding it (409
    ``SESSION_IN_USE`` otherwise; see :mod:`.browser`)."""
    return _row(request, claim=True)


def candidate_row_checked(request: Request) -> sqlite3.Row:
    """:func:`candidate_row` for a call whose answer cannot set a cookie: checks, never binds."""
    return _row(request, claim=False)


Row = Annotated[sqlite3.Row, Depends(candidate_row)]
CheckedRow = Annotated[sqlite3.Row, Depends(candidate_row_checked)]


@router.post("/sandbox/candidate/session")
def candidate_session(request: Request, body: Annotated[TokenBody, json_model(TokenBody)]) -> Any:
    """What the candidate page shows before the interview (role, consent mode, status)."""
    state = get_state(request)
    return candidate_view(settled(state, row_for_token(state, body.token)), state)


@router.post("/sandbox/candidate/start")
def candidate_start(
    request: Request, response: Response, body: Annotated[StartBody, json_model(StartBody)]
) -> Any:
    """The candidate starts (after consent in explicit mode), under the concurrency cap as
    the page is: ``active``, or ``waiting`` with a ``position`` (call again to keep it)."""
    state = get_state(request)
    row = settled(state, row_for_token(state, body.token))
    return start_for_candidate(state, row, body.consent, browser_secret(request, response))


@router.post("/sandbox/candidate/verify")
def verify(
    request: Request, response: Response, body: Annotated[TokenBody, json_model(TokenBody)]
) -> Any:
    """What the page shows: ``page`` is consent, start, interview, in_use, expired or ended.
    Sets the browser's cookie (see :mod:`.browser`) if it has none yet."""
    state = get_state(request)
    row = settled(state, row_for_token(state, body.token))
    return {
        "session_id": row["id"],
        "status": row["status"],
        "consent_mode": row["consent_mode"],
        "role_name": row["p_role_name"],
        "language": row["p_language"],
        "page": page_for(state, row, browser_secret(request, response)),
    }


@router.post("/sandbox/candidate/begin")
def begin(
    row: Row,
    request: Request,
    response: Response,
    body: Annotated[BeginBody | None, json_model(BeginBody, optional=True)],
) -> Any:
    """Start (after consent in explicit mode) under the cap: ``active`` with the current turn,
    or ``waiting`` with a ``position`` in line (call again to keep the place)."""
    consent = body.consent if body else None
    browser = browser_secret(request, response)
    return begin_interview(get_state(request), row, consent, browser)


@router.post("/sandbox/candidate/decline")
def decline(row: Row, request: Request) -> Any:
    """The candidate declines consent: nothing starts, the session stays as it is."""
    get_state(request).gate.leave(row["client_id"], row["id"])
    return {"session_id": row["id"], "status": row["status"]}


@router.get("/sandbox/candidate/turn")
def turn(row: Row, request: Request) -> Any:
    """The current turn of the active interview (for a reload)."""
    return live_interview(get_state(request), row).turn_view()


@router.get("/sandbox/candidate/turn-audio")
def turn_audio(row: CheckedRow, request: Request, index: Annotated[int, Query(ge=0)]) -> Any:
    """The interviewer's line ``index`` (asked already or now) as a 16 kHz mono WAV."""
    live = live_interview(get_state(request), row)
    if index > live.index:
        raise invalid_input({"index": f"line {index} has not been asked yet"})
    return FileResponse(
        live.question_clip(index), media_type="audio/wav", headers={"Cache-Control": "no-store"}
    )


@router.post("/sandbox/candidate/simulate-answer")
def simulate_answer(
    row: Row, request: Request, body: Annotated[SimulateBody, json_model(SimulateBody)]
) -> Any:
    """The simulated candidate answers line ``index`` (spoken with eSpeak); next turn."""
    live = live_interview(get_state(request), row)
    with live.lock:
        check_turn(live, body.index)
        live.simulate_answer()
        return live.turn_view()


@router.post("/sandbox/candidate/answer")
async def microphone_answer(row: Row, request: Request, index: Annotated[int, Query(ge=0)]) -> Any:
    """A microphone answer to line ``index``: body = 16-bit PCM WAV (any rate 8–48 kHz, mono
    or stereo), streamed to disk, converted to 16 kHz mono; next turn."""
    state = get_state(request)
    live = await run_in_threadpool(live_interview, state, row)
    settings = state.candidate_page
    limit = int(settings.max_answer_sec * 48_000 * 2 * 2) + 4096
    upload = live.folder / f"upload-{uuid.uuid4().hex}.wav"
    try:
        with upload.open("wb") as handle:
            async for chunk in capped_stream(request, limit):
                handle.write(chunk)
        return await run_in_threadpool(store_answer, live, index, upload, settings)
    finally:
        upload.unlink(missing_ok=True)


@router.post("/sandbox/candidate/end")
def end(row: Row, request: Request) -> Any:
    """End the interview now (or after the closing line): the recording and transcript are
    assembled and the session completes through the signed webhook. Idempotent."""
    state = get_state(request)
    if row["status"] in ("completed", "failed"):
        return {"session_id": row["id"], "status": row["status"]}
    return finish_interview(state, live_interview(state, row))
