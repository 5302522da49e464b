"""The candidate page and its API: ``GET /candidate`` and ``/sandbox/candidate/...``.

The page reads the link token from the URL fragment and sends it only in a header
(``X-Candidate-Token``) or, for ``verify``, in the JSON body; it never appears in a URL, so
access logs and referrers never see it. Every route here is authorised by that token alone.

Flow: ``verify`` (what to show) → ``begin`` (consent, concurrency cap: ``active`` or
``waiting``, polled) → per turn ``turn`` / ``turn-audio`` → ``answer`` (microphone, 16-bit
PCM WAV body) or ``simulate-answer`` → ``end`` (or the natural end after the closing line),
which completes the session through the core's signed completion webhook.
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
from zenhire_nb.sandbox.candidate_page.audio import UploadError, convert_upload
from zenhire_nb.sandbox.candidate_page.finish import finish_interview, gate_of, live_of, settings_of
from zenhire_nb.sandbox.candidate_page.live import CandidatePageSettings, LiveInterview
from zenhire_nb.sandbox.core.lifecycle import row_for_token
from zenhire_nb.sandbox.core.state import SandboxState, get_state

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


class VerifyBody(BaseModel):
    token: StrictStr = Field(min_length=1, max_length=200)


class BeginBody(BaseModel):
    consent: StrictBool | None = None


class SimulateBody(BaseModel):
    index: int = Field(ge=0)


def candidate_row(request: Request) -> sqlite3.Row:
    """Dependency: the session whose link token is in the ``X-Candidate-Token`` header."""
    return row_for_token(get_state(request), request.headers.get(TOKEN_HEADER))


Row = Annotated[sqlite3.Row, Depends(candidate_row)]


def _page_for(state: SandboxState, row: sqlite3.Row) -> str:
    if row["status"] in ("completed", "failed"):
        return "ended"
    if row["status"] == "active":
        return "interview"
    if state.sessions.link_expired(row):
        return "expired"
    return "consent" if row["consent_mode"] == "explicit" else "start"


@router.post("/sandbox/candidate/verify")
def verify(body: VerifyBody, request: Request) -> Any:
    """What the page shows: ``page`` is consent, start, interview, expired or ended."""
    state = get_state(request)
    row = row_for_token(state, body.token)
    return {
        "session_id": row["id"],
        "status": row["status"],
        "consent_mode": row["consent_mode"],
        "role_name": row["p_role_name"],
        "language": row["p_language"],
        "page": _page_for(state, row),
    }


def _live(state: SandboxState, row: sqlite3.Row) -> LiveInterview:
    """The live interview of an ``active`` session (409 for any other status)."""
    if row["status"] != "active":
        if row["status"] != "initiated":  # ended elsewhere (admin fail, timeout): free clips
            live_of(state).drop(row["id"])
        code = "SESSION_TERMINAL" if row["status"] != "initiated" else "SESSION_NOT_STARTED"
        raise ApiError(
            code,
            f"Session {row['id']} is {row['status']}.",
            status=409,
            details={"status": row["status"]},
        )
    return live_of(state).get(
        row["id"], row["p_role_name"] or "", row["p_language"] or "en", settings_of(state)
    )


@router.post("/sandbox/candidate/begin")
def begin(row: Row, request: Request, body: BeginBody | None = None) -> Any:
    """Start (after consent in explicit mode) under the cap: ``active`` with the current turn,
    or ``waiting`` with a ``position`` in line (call again to keep the place)."""
    state = get_state(request)
    settings = settings_of(state)
    answer = gate_of(state).admit(
        state, row, body.consent if body else None, settings.concurrency_cap
    )
    if answer["status"] == "active":
        fresh = state.sessions.row(row["id"])
        assert fresh is not None
        answer["turn"] = _live(state, fresh).turn_view()
    return answer


@router.post("/sandbox/candidate/decline")
def decline(row: Row, request: Request) -> Any:
    """The candidate declines consent: nothing starts, the session stays as it is."""
    gate_of(get_state(request)).leave(row["client_id"], row["id"])
    return {"session_id": row["id"], "status": row["status"]}


@router.get("/sandbox/candidate/turn")
def turn(row: Row, request: Request) -> Any:
    """The current turn of the active interview (for a reload)."""
    return _live(get_state(request), row).turn_view()


@router.get("/sandbox/candidate/turn-audio")
def turn_audio(row: Row, request: Request, index: Annotated[int, Query(ge=0)]) -> Any:
    """The interviewer's line ``index`` (asked already or now) as a 16 kHz mono WAV."""
    live = _live(get_state(request), row)
    if index > live.index:
        raise invalid_input({"index": f"line {index} has not been asked yet"})
    return FileResponse(
        live.question_clip(index), media_type="audio/wav", headers={"Cache-Control": "no-store"}
    )


def _check_turn(live: LiveInterview, index: int) -> None:
    if index != live.index or live.at_closing:
        raise ApiError(
            "TURN_MISMATCH",
            f"Session {live.session_id} awaits no answer to line {index}.",
            status=409,
            details={"current": live.index},
        )


@router.post("/sandbox/candidate/simulate-answer")
def simulate_answer(body: SimulateBody, row: Row, request: Request) -> Any:
    """The simulated candidate answers line ``index`` (spoken with eSpeak); next turn."""
    live = _live(get_state(request), row)
    with live.lock:
        _check_turn(live, body.index)
        live.simulate_answer()
        return live.turn_view()


@router.post("/sandbox/candidate/answer")
async def microphone_answer(row: Row, request: Request, index: Annotated[int, Query(ge=0)]) -> Any:
    """A microphone answer to line ``index``: body = 16-bit PCM WAV (any rate 8–48 kHz, mono
    or stereo), streamed to disk, converted to 16 kHz mono; next turn."""
    state = get_state(request)
    live = await run_in_threadpool(_live, state, row)
    limit = int(settings_of(state).max_answer_sec * 48_000 * 2 * 2) + 4096
    upload = live.folder / f"upload-{uuid.uuid4().hex}.wav"
    try:
        size = 0
        with upload.open("wb") as handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise invalid_input({"body": f"answer larger than {limit} bytes"})
                handle.write(chunk)
        return await run_in_threadpool(_store_answer, live, index, upload, settings_of(state))
    finally:
        upload.unlink(missing_ok=True)


def _store_answer(
    live: LiveInterview, index: int, upload: Path, settings: CandidatePageSettings
) -> dict[str, object]:
    with live.lock:
        _check_turn(live, index)
        try:
            convert_upload(upload, live.answer_path(index), max_seconds=settings.max_answer_sec)
        except UploadError as exc:
            raise invalid_input({"body": f"answer of session {live.session_id}: {exc}"}) from None
        live.microphone_answered(live.answer_path(index))
        return live.turn_view()


@router.post("/sandbox/candidate/end")
def end(row: Row, request: Request) -> Any:
    """End the interview now (or after the closing line): the recording and transcript are
    assembled and the session completes through the signed webhook. Idempotent."""
    state = get_state(request)
    if row["status"] in ("completed", "failed"):
        return {"session_id": row["id"], "status": row["status"]}
    return finish_interview(state, _live(state, row))
