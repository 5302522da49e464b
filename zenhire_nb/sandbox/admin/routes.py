"""The ``/sandbox`` admin namespace (not part of the contract; see docs/internals.md).

Authorised by ``X-Sandbox-Admin-Token``, except the webhook receiver (its signature) and the
candidate routes (the link token). These let a test or notebook act for the platform operator,
for the candidate and for the interview backend.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr, field_validator

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.api.bodies import AUDIO_UPLOAD_MAX_BYTES, json_model
from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.api.schemas import RawBody, raw_body
from zenhire_nb.sandbox.core.completion import staged_key
from zenhire_nb.sandbox.core.state import SandboxState, get_state, require_admin
from zenhire_nb.sandbox.core.timestamps import epoch_of
from zenhire_nb.sandbox.store.tenants import MAX_CREDITS, KeyInUseError, new_api_key

__all__ = ["router"]

router = APIRouter(prefix="/sandbox", tags=["sandbox admin"])
AdminState = Annotated[SandboxState, Depends(require_admin)]

MAX_RECORDING_BYTES = AUDIO_UPLOAD_MAX_BYTES
_MAX_RATE_LIMIT = 10**9


def _networks(entries: list[str] | None) -> list[str] | None:
    """Refuse an allowlist entry that is not an IP address or network (it would make every
    later request of the tenant fail to check)."""
    for entry in entries or ():
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return entries


class ClientCreate(BaseModel):
    name: str | None = Field(None, max_length=200)
    credits: int = Field(10_000, ge=-MAX_CREDITS, le=MAX_CREDITS)
    interview_permission: StrictBool = True
    active: StrictBool = True
    ip_allowlist: list[str] | None = Field(None, max_length=100)
    rate_limit_per_minute: int | None = Field(None, ge=1, le=_MAX_RATE_LIMIT)
    api_key: StrictStr | None = Field(None, min_length=1, max_length=200)

    _check_allowlist = field_validator("ip_allowlist")(_networks)


class ClientPatch(BaseModel):
    name: str | None = Field(None, max_length=200)
    credits: int | None = Field(None, ge=-MAX_CREDITS, le=MAX_CREDITS)
    interview_permission: StrictBool | None = None
    active: StrictBool | None = None
    ip_allowlist: list[str] | None = Field(None, max_length=100)
    rate_limit_per_minute: int | None = Field(None, ge=1, le=_MAX_RATE_LIMIT)

    _check_allowlist = field_validator("ip_allowlist")(_networks)


class KeyCreate(BaseModel):
    expires_at: datetime | None = None
    api_key: StrictStr | None = Field(None, min_length=1, max_length=200)


class StartBody(BaseModel):
    consent: StrictBool | None = None


class FeedbackBody(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str | None = None


class CompleteBody(BaseModel):
    duration_sec: int = Field(ge=0, le=Limits.MAX_INTERVIEW_SEC)
    transcript: Any = None
    recording_b64: str | None = None
    feedback: FeedbackBody | None = None


class FailBody(BaseModel):
    error_code: str | None = Field(None, max_length=64)


def _client_or_404(state: SandboxState, client_id: str) -> None:
    if state.tenants.get(client_id) is None:
        raise ApiError("NOT_FOUND", f"Client {client_id} not found.", status=404)


def _session_or_404(state: SandboxState, session_id: str) -> Any:
    row = state.sessions.row(session_id)
    if row is None:
        raise ApiError("NOT_FOUND", f"Session {session_id} not found.", status=404)
    return row


def _key_in_use() -> ApiError:
    return ApiError("API_KEY_IN_USE", "This API key already belongs to another client.", status=409)


@router.post("/clients", status_code=201)
def create_client(
    state: AdminState, body: Annotated[ClientCreate, json_model(ClientCreate)]
) -> Any:
    api_key = body.api_key or new_api_key()
    try:
        client_id = state.tenants.create(
            name=body.name,
            credits=body.credits,
            interview_permission=body.interview_permission,
            active=body.active,
            ip_allowlist=body.ip_allowlist,
            rate_limit_per_minute=body.rate_limit_per_minute,
            api_key=api_key,
        )
    except KeyInUseError:
        raise _key_in_use() from None
    return {"client_id": client_id, "api_key": api_key}


@router.get("/clients/{client_id}")
def get_client(client_id: str, state: AdminState) -> Any:
    client = state.tenants.get(client_id)
    if client is None:
        raise ApiError("NOT_FOUND", f"Client {client_id} not found.", status=404)
    return client.public()


@router.patch("/clients/{client_id}")
def patch_client(
    client_id: str, state: AdminState, body: Annotated[ClientPatch, json_model(ClientPatch)]
) -> Any:
    client = state.tenants.update(client_id, body.model_dump(exclude_unset=True))
    if client is None:
        raise ApiError("NOT_FOUND", f"Client {client_id} not found.", status=404)
    return client.public()


@router.post("/clients/{client_id}/keys", status_code=201)
def create_key(
    client_id: str, state: AdminState, body: Annotated[KeyCreate, json_model(KeyCreate)]
) -> Any:
    _client_or_404(state, client_id)
    api_key = body.api_key or new_api_key()
    try:
        state.tenants.add_key(client_id, api_key, epoch_of(body.expires_at))
    except KeyInUseError:
        raise _key_in_use() from None
    return {"api_key": api_key}


@router.get("/clients/{client_id}/ledger")
def ledger(client_id: str, state: AdminState) -> Any:
    client = state.tenants.get(client_id)
    if client is None:
        raise ApiError("NOT_FOUND", f"Client {client_id} not found.", status=404)
    return {"balance": client.balance, "entries": state.tenants.ledger(client_id)}


@router.post("/sessions/{session_id}/start")
def admin_start(
    session_id: str,
    state: AdminState,
    body: Annotated[StartBody | None, json_model(StartBody, optional=True)],
) -> Any:
    """Start for the candidate under the concurrency cap, as the page does: ``active``, or
    ``waiting`` with a ``position`` in line (call again to keep the place)."""
    row = _session_or_404(state, session_id)
    cap = state.candidate_page.concurrency_cap
    return state.gate.admit(state, row, body.consent if body else None, cap)


@router.put("/sessions/{session_id}/recording")
async def stage_recording(session_id: str, request: Request, state: AdminState) -> Any:
    """Stage a WAV for the next completion, read from the request stream chunk by chunk."""
    row = state.sessions.row(session_id)  # one indexed read: brief, fine on the event loop
    if row is None:
        raise ApiError("NOT_FOUND", f"Session {session_id} not found.", status=404)
    try:
        # No capped_stream: BodyLimitMiddleware caps this route at the same
        # AUDIO_UPLOAD_MAX_BYTES (413 PAYLOAD_TOO_LARGE), before write_stream's own check.
        size = await state.artifacts.write_stream(
            staged_key(session_id), request.stream(), max_bytes=MAX_RECORDING_BYTES
        )
    except ValueError as exc:
        raise invalid_input({"recording": str(exc)}) from None
    return {"session_id": session_id, "staged_bytes": size}


@router.post("/sessions/{session_id}/complete")
def complete(
    session_id: str, state: AdminState, body: Annotated[CompleteBody, json_model(CompleteBody)]
) -> Any:
    row = _session_or_404(state, session_id)
    if row["status"] == "initiated":
        raise ApiError(
            "SESSION_NOT_STARTED",
            f"Session {session_id} has not started.",
            status=409,
            details={"status": "initiated"},
        )
    return state.completion.complete(
        row,
        duration_sec=body.duration_sec,
        transcript=body.transcript,
        recording_b64=body.recording_b64,
        feedback=body.feedback.model_dump() if body.feedback else None,
    )


@router.post("/sessions/{session_id}/fail")
def fail(
    session_id: str,
    state: AdminState,
    body: Annotated[FailBody | None, json_model(FailBody, optional=True)],
) -> Any:
    row = _session_or_404(state, session_id)
    return state.completion.fail(row, body.error_code if body else None)


@router.post("/sessions/{session_id}/timeout")
def timeout(session_id: str, state: AdminState) -> Any:
    return state.completion.timeout(_session_or_404(state, session_id))


@router.post("/webhook/sessions/{session_id}")
def webhook_receiver(
    session_id: str, request: Request, raw: Annotated[RawBody, Depends(raw_body)]
) -> Any:
    """The platform's completion webhook: authorised by its HMAC signature alone."""
    return get_state(request).receiver.receive(session_id, raw.data, request.headers)
