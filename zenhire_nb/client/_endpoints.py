"""Every endpoint as data: what to send and how to read the answer.

Each builder returns a :class:`Call`; the sync and async clients only send it. Keeping request
construction and response parsing here is what keeps both clients identical in behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from zenhire_nb.client._validate import check_id
from zenhire_nb.client.errors import (
    AmbiguousRequestError,
    AmbiguousSessionCreateError,
    APIConnectionError,
    ResponseValidationError,
)
from zenhire_nb.contract import (
    Credits,
    Health,
    JsonValue,
    Persona,
    PersonaCreated,
    PersonaDetail,
    SessionCreated,
    SessionSummary,
)

__all__ = ["Call", "Page", "read_page"]

T = TypeVar("T")

INTERVIEW = "/api/v1/interview"
_PERSONAS_ADAPTER = TypeAdapter(list[Persona])


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request: method, path below the origin, query, JSON body, and how to parse the reply.

    ``what`` names the request in error messages (e.g. ``"session 'abc'"``). ``ambiguous`` turns a
    transport failure after sending a POST into the error to raise instead of retrying.
    """

    method: str
    path: str
    what: str
    parse: Callable[[Any], T]
    params: list[tuple[str, str]] = field(default_factory=list)
    json: Any = None
    authenticated: bool = True
    download: bool = False
    ambiguous: Callable[[APIConnectionError], AmbiguousRequestError] | None = None
    session_id: str | None = None  # the session a download belongs to (named in its errors)

    @property
    def idempotent(self) -> bool:
        return self.method in ("GET", "HEAD")


def _model(model: type[BaseModel], what: str) -> Callable[[Any], Any]:
    def parse(body: Any) -> Any:
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise ResponseValidationError(f"{what}: unexpected response shape: {exc}") from None

    return parse


def _session_created(
    what: str, persona_id: str, candidate_ref: str | None
) -> Callable[[Any], SessionCreated]:
    """Parse the create-session answer without ever echoing the candidate link's token.

    pydantic's messages quote the input, and the input holds the raw token, so a shape
    mismatch is reported by field and reason only. The session does exist by then (the
    platform answered 2xx), so the error says how to find it and keeps the link as served
    in ``error.candidate_link`` (an attribute only: never in ``str``/``repr``).
    """

    def parse(body: Any) -> SessionCreated:
        try:
            return SessionCreated.model_validate(body)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in err['loc']) or 'body'}: {err['msg']}"
                for err in exc.errors(include_input=False, include_url=False)
            )
            fields = body if isinstance(body, dict) else {}
            session = fields.get("id") or fields.get("session_id")
            check = f"client.sessions.list(persona_id={persona_id!r}" + (
                f", candidate_ref={candidate_ref!r})" if candidate_ref else ")"
            )
            error = ResponseValidationError(
                f"{what}: the platform accepted the request (session "
                f"{session if isinstance(session, str) else 'id unreadable'}) but its answer "
                f"does not fit the contract ({problems}); do not create it again, find it "
                f"with {check}"
            )
            link = fields.get("candidate_link")
            error.candidate_link = link if isinstance(link, str) else None
            raise error from None

    return parse


def _document(body: Any) -> JsonValue:
    # json.loads gives exactly the JsonValue shapes; the contract leaves the document opaque.
    return cast(JsonValue, body)


def _downloaded(result: Any) -> bytes | Path:
    # A download's "body" is what the client's sink committed: bytes, or the target path.
    return cast("bytes | Path", result)


def health() -> Call[Health]:
    return Call("GET", "/api/v1/health", "health", _model(Health, "health"), authenticated=False)


def credits() -> Call[Credits]:
    return Call("GET", "/api/v1/credits", "credits", _model(Credits, "credits"))


def create_persona(
    *, role_name: str, language: str, system_prompt: str | None, base_prompt_override: str | None
) -> Call[PersonaCreated]:
    body: dict[str, Any] = {"role_name": role_name, "language": language}
    if system_prompt is not None:
        body["system_prompt"] = system_prompt
    if base_prompt_override is not None:
        body["base_prompt_override"] = base_prompt_override

    def ambiguous(error: APIConnectionError) -> AmbiguousRequestError:
        return AmbiguousRequestError(
            f"creating persona {role_name!r} failed after the request was sent ({error}); it may "
            "have been created. It was not retried; check client.personas.list() first.",
            request=error.request,
        )

    what = "create persona"
    return Call(
        "POST",
        f"{INTERVIEW}/personas",
        what,
        _model(PersonaCreated, what),
        json=body,
        ambiguous=ambiguous,
    )


def list_personas() -> Call[list[Persona]]:
    def parse(body: Any) -> list[Persona]:
        rows = body.get("data") if isinstance(body, dict) else body
        try:
            return _PERSONAS_ADAPTER.validate_python(rows)
        except ValidationError as exc:
            raise ResponseValidationError(f"list personas: unexpected shape: {exc}") from None

    return Call("GET", f"{INTERVIEW}/personas", "list personas", parse)


def get_persona(persona_id: str) -> Call[PersonaDetail]:
    persona_id = check_id(persona_id, "persona_id")
    what = f"persona {persona_id!r}"
    return Call("GET", f"{INTERVIEW}/personas/{persona_id}", what, _model(PersonaDetail, what))


def create_session(
    persona_id: str,
    *,
    consent_mode: str,
    candidate_ref: str | None,
    metadata: Mapping[str, Any] | None,
    tags: list[str] | None,
) -> Call[SessionCreated]:
    persona_id = check_id(persona_id, "persona_id")
    body: dict[str, Any] = {"consent_mode": getattr(consent_mode, "value", consent_mode)}
    if candidate_ref is not None:
        body["candidate_ref"] = candidate_ref
    if metadata is not None:
        body["metadata"] = dict(metadata)
    if tags is not None:
        body["tags"] = list(tags)

    def ambiguous(error: APIConnectionError) -> AmbiguousRequestError:
        return AmbiguousSessionCreateError(
            persona_id, candidate_ref, str(error) or type(error).__name__, request=error.request
        )

    what = f"create session for persona {persona_id!r}"
    return Call(
        "POST",
        f"{INTERVIEW}/personas/{persona_id}/sessions",
        what,
        _session_created(what, persona_id, candidate_ref),
        json=body,
        ambiguous=ambiguous,
    )


@dataclass(frozen=True)
class Page:
    """One page of ``GET /sessions``: rows and the cursor of the next page (None: last page)."""

    rows: list[SessionSummary]
    next_cursor: str | None


def read_page(body: Any, cursor: str | None) -> Page:
    """Read a list-sessions body; a bare ``{"data": [...]}`` is a complete, single page.

    Raises ResponseValidationError when the server claims more pages but gives no new cursor
    (stopping there would silently drop sessions; looping would never end).
    """
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ResponseValidationError(
            f"list sessions: expected {{'data': [...]}}, got {body!r:.200}"
        )
    rows = [_model(SessionSummary, "list sessions")(row) for row in body["data"]]
    pagination = body.get("pagination")
    if not isinstance(pagination, dict) or not pagination.get("has_more"):
        return Page(rows, None)
    next_cursor = pagination.get("next_cursor")
    if not isinstance(next_cursor, str) or not next_cursor or next_cursor == cursor:
        raise ResponseValidationError(
            f"list sessions: has_more is true but next_cursor is {next_cursor!r} "
            f"(after cursor {cursor!r}); cannot page further"
        )
    return Page(rows, next_cursor)


def list_sessions(params: list[tuple[str, str]], cursor: str | None) -> Call[Page]:
    query = list(params) + ([("cursor", cursor)] if cursor else [])
    return Call(
        "GET",
        f"{INTERVIEW}/sessions",
        "list sessions",
        lambda body: read_page(body, cursor),
        params=query,
    )


def get_session(session_id: str) -> Call[SessionSummary]:
    session_id = check_id(session_id, "session_id")
    what = f"session {session_id!r}"
    return Call("GET", f"{INTERVIEW}/sessions/{session_id}", what, _model(SessionSummary, what))


def recording(session_id: str) -> Call[bytes | Path]:
    session_id = check_id(session_id, "session_id")
    return Call(
        "GET",
        f"{INTERVIEW}/sessions/{session_id}/recording",
        f"recording of session {session_id!r}",
        _downloaded,
        download=True,
        session_id=session_id,
    )


def transcript(session_id: str) -> Call[JsonValue]:
    session_id = check_id(session_id, "session_id")
    return Call(
        "GET",
        f"{INTERVIEW}/sessions/{session_id}/transcript",
        f"transcript of session {session_id!r}",
        _document,
    )
