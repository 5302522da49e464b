"""Request bodies of the contract with every documented limit, and the list envelopes.

Bodies are parsed by :func:`parse_body` rather than by FastAPI, so that authentication and the
documented pre-checks (permission, credits, persona) answer before body validation does, and
so that a bad body always answers ``400 INVALID_INPUT`` with ``details.fields``. The models'
JSON Schemas still document the bodies in the OpenAPI document.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from fastapi import Request
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
)

from zenhire_nb.contract.limits import Limits
from zenhire_nb.contract.models import Persona, SessionSummary
from zenhire_nb.sandbox.api.bodies import load_json, validate_model

__all__ = [
    "Pagination",
    "PersonaCreateRequest",
    "PersonaList",
    "RawBody",
    "SessionCreateRequest",
    "SessionList",
    "body_schema",
    "parse_body",
    "raw_body",
]

_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
_Text = Annotated[StrictStr, Field(max_length=Limits.METADATA_VALUE_MAX)]
_Value = StrictBool | StrictInt | _Number | _Text
_Tag = Annotated[StrictStr, Field(min_length=1, max_length=Limits.TAG_MAX)]


class PersonaCreateRequest(BaseModel):
    role_name: StrictStr = Field(min_length=1, max_length=Limits.ROLE_NAME_MAX)
    language: StrictStr = Field(min_length=1, max_length=Limits.LANGUAGE_MAX)
    system_prompt: StrictStr | None = Field(None, max_length=Limits.SYSTEM_PROMPT_MAX)
    base_prompt_override: StrictStr | None = None


class SessionCreateRequest(BaseModel):
    consent_mode: Literal["explicit", "integrator"]
    candidate_ref: StrictStr | None = Field(
        None, description="Longer than 256 characters: truncated to 256, not rejected."
    )
    metadata: dict[Annotated[str, Field(max_length=Limits.METADATA_KEY_MAX)], _Value] | None = (
        Field(None, json_schema_extra={"maxProperties": Limits.METADATA_MAX_KEYS})
    )
    tags: list[_Tag] | None = Field(
        None, max_length=Limits.TAGS_MAX, json_schema_extra={"uniqueItems": True}
    )

    @field_validator("candidate_ref")
    @classmethod
    def _truncate(cls, value: str | None) -> str | None:
        return value[: Limits.CANDIDATE_REF_MAX] if value is not None else None

    @field_validator("metadata")
    @classmethod
    def _metadata_limits(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        if len(value) > Limits.METADATA_MAX_KEYS:
            raise ValueError(f"at most {Limits.METADATA_MAX_KEYS} keys")
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        if size > Limits.METADATA_MAX_BYTES:
            raise ValueError(f"larger than {Limits.METADATA_MAX_BYTES} bytes as JSON")
        return value

    @field_validator("tags")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("tags must be distinct")
        return value


class Pagination(BaseModel):
    limit: int
    next_cursor: str | None = None
    has_more: bool


class PersonaList(BaseModel):
    model_config = ConfigDict(extra="allow")
    data: list[Persona]


class SessionList(BaseModel):
    model_config = ConfigDict(extra="allow")
    data: list[SessionSummary]
    pagination: Pagination


Body = TypeVar("Body", bound=BaseModel)


class RawBody(NamedTuple):
    """A request body as received, with its declared media type."""

    data: bytes
    content_type: str | None


async def raw_body(request: Request) -> RawBody:
    """Dependency: the raw request body (declared after the auth dependencies, so it runs
    after them; its size is capped before it is read, see :mod:`.bodies`)."""
    return RawBody(await request.body(), request.headers.get("content-type"))


def parse_body(model: type[Body], raw: RawBody) -> Body:
    """Validate ``raw`` JSON against ``model`` (the rules of :func:`.bodies.load_json`).

    Raises 415 ``UNSUPPORTED_MEDIA_TYPE``, or 400 ``INVALID_INPUT`` naming fields.
    """
    return validate_model(model, load_json(raw.data, raw.content_type))


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting ``model`` as the required JSON request body."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
