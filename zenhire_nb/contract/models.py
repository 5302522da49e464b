"""Response models of the contract (docs/contract.md §3).

The models accept unknown fields (``extra="allow"``) because the hosted platform may add fields
before this project learns of them; reading must never break on that. Times are tz-aware UTC
``datetime`` objects; :func:`iso_ms` writes them the way the platform does.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Union

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

MetadataValue = str | int | float | bool
# A document decoded from JSON (e.g. a transcript, which the contract leaves opaque). Union, not
# ``|``: the recursive alias must also evaluate at runtime on Python 3.10.
JsonValue = Union[dict[str, "JsonValue"], list["JsonValue"], str, int, float, bool, None]  # noqa: UP007


def iso_ms(moment: datetime) -> str:
    """ISO 8601 with milliseconds and ``Z``, as the platform writes its timestamps."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def mask_candidate_link(link: str) -> str:
    """The link with its token hidden: safe for reprs and logs."""
    head, sep, _token = link.partition("#t=")
    return f"{head}{sep}***" if sep else link


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        # A naive timestamp from a server is taken as UTC, so every datetime is tz-aware.
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Health(_Model):
    status: str = "ok"


class Credits(_Model):
    """``GET /api/v1/credits``: the client's balance (credits)."""

    balance: int
    client_id: str | None = None


class Persona(_Model):
    """A persona as the list endpoint shows it."""

    id: str
    client_id: str
    role_name: str
    language: str
    status: str = "active"
    created_at: datetime


class PersonaCreated(Persona):
    """The create response: the list view plus ``base_prompt_override``."""

    base_prompt_override: str | None = None


class PersonaDetail(PersonaCreated):
    """``GET /personas/{id}`` [decided]: adds ``system_prompt`` and ``updated_at``."""

    system_prompt: str | None = None
    updated_at: datetime | None = None


class PersonaRef(_Model):
    """The persona context on a single-session response [decided fields]."""

    id: str
    role_name: str | None = None
    language: str | None = None


class Feedback(_Model):
    """Post-interview survey [decided]: rating 1..5, ``negative`` when rating <= 2."""

    rating: int
    negative: bool
    comment: str | None = None


class SessionCreated(_Model):
    """Create-session response. The guides name the id ``session_id``; the schema says ``id``.

    ``candidate_link`` holds the candidate's one-time admission token: it is returned once and
    kept out of ``repr`` so that notebooks and logs do not leak it.
    """

    id: str = Field(validation_alias=AliasChoices("id", "session_id"))
    candidate_link: str = Field(repr=False)
    expires_in: int

    def __repr_args__(self):  # type: ignore[no-untyped-def]
        yield from super().__repr_args__()
        yield "candidate_link", mask_candidate_link(self.candidate_link)

    @property
    def session_id(self) -> str:
        return self.id


class SessionSummary(_Model):
    """One session.

    List rows carry ``role_name``/``language``; a single read carries ``persona``/``feedback``.
    """

    id: str
    client_id: str
    persona_id: str
    candidate_ref: str | None = None
    status: str
    consent_mode: str
    source: str = "requests"
    project_id: str | None = None
    tags: list[str] | None = None
    metadata: dict[str, MetadataValue] | None = None
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    duration_sec: int | None = None
    credit_charged: int | None = None
    recording_s3_key: str | None = None
    transcript_s3_key: str | None = None
    interview_svc_session_id: str | None = None
    error_code: str | None = None
    role_name: str | None = None
    language: str | None = None
    persona: PersonaRef | None = None
    feedback: Feedback | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in ("completed", "failed")
