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
``POST /sandbox/candidate/session`` (what the page would show) and ``/start`` (same rules as
the admin start), with the token in the JSON body.
"""

from __future__ import annotations

import sqlite3
import uuid
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, StrictBool, StrictStr

from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.candidate_page.flow import (
    check_turn,
    finish_interview,
    live_interview,
    page_for,
    store_answer,
)
from zenhire_nb.sandbox.core.lifecycle import candidate_view, row_for_token, start_session
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


def candidate_row(request: Request) -> sqlite3.Row:
    """Dependency: the session whose link token is in the ``X-Candidate-Token`` header."""
    return row_for_token(get_state(request), request.headers.get(TOKEN_HEADER))


Row = Annotated[sqlite3.Row, Depends(candidate_row)]


@router.post("/sandbox/candidate/session")
def candidate_session(body: TokenBody, request: Request) -> Any:
    """What the candidate page shows before the interview (role, consent mode, status)."""
    state = get_state(request)
    return candidate_view(row_for_token(state, body.token), state)


@router.post("/sandbox/candidate/start")
def candidate_start(body: StartBody, request: Request) -> Any:
    """The candidate starts (after consent in explicit mode). Same rules as the admin start."""
    state = get_state(request)
    return start_session(state, row_for_token(state, body.token), body.consent)


@router.post("/sandbox/candidate/verify")
def verify(body: TokenBody, request: Request) -> Any:
    """What the page shows: ``page`` is consent, start, interview, expired or ended."""
    state = get_state(request)
    row = row_for_token(state, body.token)
    return {
        "session_id": row["id"],
        "status": row["status"],
        "consent_mode": row["consent_mode"],
        "role_name": row["p_role_name"],
        "language": row["p_language"],
        "page": page_for(state, row),
    }


@router.post("/sandbox/candidate/begin")
def begin(row: Row, request: Request, body: BeginBody | None = None) -> Any:
    """Start (after consent in explicit mode) under the cap: ``active`` with the current turn,
    or ``waiting`` with a ``position`` in line (call again to keep the place)."""
    state = get_state(request)
    cap = state.candidate_page.concurrency_cap
    answer = state.gate.admit(state, row, body.consent if body else None, cap)
    if answer["status"] == "active":
        fresh = state.sessions.row(row["id"])
        assert fresh is not None
        answer["turn"] = live_interview(state, fresh).turn_view()
    return answer


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
def turn_audio(row: Row, request: Request, index: Annotated[int, Query(ge=0)]) -> Any:
    """The interviewer's line ``index`` (asked already or now) as a 16 kHz mono WAV."""
    live = live_interview(get_state(request), row)
    if index > live.index:
        raise invalid_input({"index": f"line {index} has not been asked yet"})
    return FileResponse(
        live.question_clip(index), media_type="audio/wav", headers={"Cache-Control": "no-store"}
    )


@router.post("/sandbox/candidate/simulate-answer")
def simulate_answer(body: SimulateBody, row: Row, request: Request) -> Any:
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
        size = 0
        with upload.open("wb") as handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise invalid_input({"body": f"answer larger than {limit} bytes"})
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
