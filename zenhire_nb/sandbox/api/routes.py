"""The contract's routes: health, credits and the 8 interview endpoints (docs/contract.md §3)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse

from zenhire_nb.contract.codes import ErrorCode
from zenhire_nb.contract.limits import Limits
from zenhire_nb.contract.models import (
    Credits,
    Health,
    PersonaCreated,
    PersonaDetail,
    SessionCreated,
    SessionSummary,
)
from zenhire_nb.sandbox.api.auth import authenticate, require_interview
from zenhire_nb.sandbox.api.errors import ApiError, ErrorEnvelope, invalid_input
from zenhire_nb.sandbox.api.schemas import (
    PersonaCreateRequest,
    PersonaList,
    RawBody,
    SessionCreateRequest,
    SessionList,
    body_schema,
    parse_body,
    raw_body,
)
from zenhire_nb.sandbox.core.lifecycle import expire_overdue
from zenhire_nb.sandbox.core.state import SandboxState, get_state
from zenhire_nb.sandbox.core.timestamps import epoch_of
from zenhire_nb.sandbox.store.sessions import (
    CursorError,
    ListFilters,
    decode_cursor,
    encode_cursor,
    session_view,
)
from zenhire_nb.sandbox.store.tenants import Client

__all__ = ["router"]

router = APIRouter()
PREFIX = "/api/v1/interview"
AuthClient = Annotated[Client, Depends(authenticate)]
InterviewClient = Annotated[Client, Depends(require_interview)]
Raw = Annotated[RawBody, Depends(raw_body)]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    auth = (401, 403, 429, 500)
    return {status: {"model": ErrorEnvelope} for status in sorted({*auth, *statuses})}


def _not_found(what: str, ident: str) -> ApiError:
    return ApiError(ErrorCode.NOT_FOUND, f"{what} {ident} not found.")


@router.get(
    "/api/v1/health",
    response_model=Health,
    tags=["platform"],
    responses={500: {"model": ErrorEnvelope}},
)
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/v1/credits", response_model=Credits, tags=["platform"], responses=_errors())
def credits(client: AuthClient) -> dict[str, Any]:
    return {"balance": client.balance, "client_id": client.id}


@router.post(
    PREFIX + "/personas",
    status_code=201,
    response_model=PersonaCreated,
    tags=["interview"],
    responses=_errors(400),
    openapi_extra=body_schema(PersonaCreateRequest),
)
def create_persona(request: Request, client: InterviewClient, raw: Raw) -> JSONResponse:
    body = parse_body(PersonaCreateRequest, raw)
    created = get_state(request).personas.create(
        client.id,
        role_name=body.role_name,
        language=body.language,
        system_prompt=body.system_prompt,
        base_prompt_override=body.base_prompt_override,
    )
    return JSONResponse(created, status_code=201)


@router.get(
    PREFIX + "/personas", response_model=PersonaList, tags=["interview"], responses=_errors()
)
def list_personas(request: Request, client: InterviewClient) -> JSONResponse:
    return JSONResponse({"data": get_state(request).personas.list(client.id)})


@router.get(
    PREFIX + "/personas/{personaId}",
    response_model=PersonaDetail,
    tags=["interview"],
    responses=_errors(404),
)
def get_persona(
    personaId: str,
    request: Request,  # noqa: N803 - the contract's name
    client: InterviewClient,
) -> JSONResponse:
    row = get_state(request).personas.row(client.id, personaId)
    if row is None:
        raise _not_found("Persona", personaId)
    return JSONResponse(get_state(request).personas.detail_view(row))


def _require_credits(request: Request, client: InterviewClient) -> Client:
    # Second documented pre-check, before the persona lookup and the body.
    if client.balance < Limits.MIN_BALANCE_TO_START:
        raise ApiError(
            ErrorCode.INSUFFICIENT_CREDITS,
            "Not enough credits to start a session.",
            details={"balance": client.balance, "required": Limits.MIN_BALANCE_TO_START},
        )
    return client


FundedClient = Annotated[Client, Depends(_require_credits)]


@router.post(
    PREFIX + "/personas/{personaId}/sessions",
    status_code=201,
    response_model=SessionCreated,
    tags=["interview"],
    responses=_errors(400, 402, 404),
    openapi_extra=body_schema(SessionCreateRequest),
)
def create_session(
    personaId: str,
    request: Request,  # noqa: N803
    client: FundedClient,
    raw: Raw,
) -> JSONResponse:
    state = get_state(request)
    if state.personas.row(client.id, personaId) is None:
        raise _not_found("Persona", personaId)
    body = parse_body(SessionCreateRequest, raw)
    session_id, token = state.sessions.create(
        client.id,
        personaId,
        consent_mode=body.consent_mode,
        candidate_ref=body.candidate_ref,
        metadata=body.metadata,
        tags=body.tags,
    )
    base = (state.public_base_url or str(request.base_url)).rstrip("/")
    return JSONResponse(
        {
            "id": session_id,
            "candidate_link": f"{base}/candidate#t={token}",
            "expires_in": Limits.LINK_EXPIRES_IN_SEC,
        },
        status_code=201,
    )


def _metadata_filters(request: Request) -> list[tuple[str, str]]:
    return [
        (name[len("metadata.") :], value)
        for name, value in request.query_params.multi_items()
        if name.startswith("metadata.")
    ]


@router.get(
    PREFIX + "/sessions",
    response_model=SessionList,
    tags=["interview"],
    responses=_errors(400),
    description="Newest first. Also filterable by `metadata.<key>=<value>` "
    "(repeatable; all must match).",
)
def list_sessions(
    request: Request,
    client: InterviewClient,
    status: Literal["initiated", "active", "completed", "failed"] | None = None,
    persona_id: str | None = None,
    candidate_ref: str | None = None,
    tag: list[str] = Query(default=[], description="Repeatable: all must match."),  # noqa: B008
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    limit: int = Query(default=Limits.LIST_LIMIT_DEFAULT, ge=1, le=Limits.LIST_LIMIT_MAX),
    cursor: str | None = None,
) -> JSONResponse:
    filters = ListFilters(
        status,
        persona_id,
        candidate_ref,
        list(tag),
        _metadata_filters(request),
        epoch_of(created_after),
        epoch_of(created_before),
    )
    state = get_state(request)
    expire_overdue(state, client.id)
    try:
        after = decode_cursor(cursor) if cursor else None  # "cursor=" is no cursor
        rows, has_more = state.sessions.list(client.id, filters, limit=limit, after=after)
    except CursorError:
        raise invalid_input({"cursor": "not a cursor from this server"}) from None
    next_cursor = encode_cursor(rows[-1]["id"]) if has_more and rows else None
    return JSONResponse(
        {
            "data": [session_view(row, single=False) for row in rows],
            "pagination": {"limit": limit, "next_cursor": next_cursor, "has_more": has_more},
        }
    )


def _own_session(state: SandboxState, client: Client, session_id: str) -> Any:
    row = state.sessions.row(session_id, client.id)
    if row is None:
        raise _not_found("Session", session_id)
    return row


@router.get(
    PREFIX + "/sessions/{sessionId}",
    response_model=SessionSummary,
    tags=["interview"],
    responses=_errors(404),
)
def get_session(
    sessionId: str,
    request: Request,  # noqa: N803
    client: InterviewClient,
) -> JSONResponse:
    state = get_state(request)
    expire_overdue(state, client.id)
    return JSONResponse(session_view(_own_session(state, client, sessionId), single=True))


def _artifact(
    request: Request, client: Client, session_id: str, column: str, media_type: str
) -> FileResponse:
    state = get_state(request)
    row = _own_session(state, client, session_id)
    if row["status"] != "completed" or not row[column]:
        raise ApiError(
            ErrorCode.ARTIFACT_NOT_READY,
            f"Session {session_id} is {row['status']}: no artifact yet.",
            details={"status": row["status"]},
        )
    # FileResponse streams the file in chunks and sets Content-Length.
    return FileResponse(state.artifacts.path(row[column]), media_type=media_type)


@router.get(
    PREFIX + "/sessions/{sessionId}/recording",
    tags=["interview"],
    response_class=FileResponse,
    responses={
        **_errors(404, 409),
        200: {
            "description": "The recording as RIFF/WAVE bytes.",
            "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}},
        },
    },
)
def get_recording(
    sessionId: str,
    request: Request,  # noqa: N803
    client: InterviewClient,
) -> FileResponse:
    return _artifact(request, client, sessionId, "recording_s3_key", "audio/wav")


@router.get(
    PREFIX + "/sessions/{sessionId}/transcript",
    tags=["interview"],
    response_class=FileResponse,
    responses={
        **_errors(404, 409),
        200: {
            "description": "The interview backend's transcript document, as stored.",
            "content": {"application/json": {"schema": {}}},
        },
    },
)
def get_transcript(
    sessionId: str,
    request: Request,  # noqa: N803
    client: InterviewClient,
) -> FileResponse:
    return _artifact(request, client, sessionId, "transcript_s3_key", "application/json")
