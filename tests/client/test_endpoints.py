"""Every endpoint through both clients: method, path, body, headers and the typed result."""

from __future__ import annotations

import json
import traceback
from typing import Any

import httpx
import pytest

from zenhire_nb.client import ResponseValidationError
from zenhire_nb.contract import (
    Credits,
    Health,
    PersonaCreated,
    PersonaDetail,
    SessionCreated,
    SessionSummary,
)

PERSONA = {
    "id": "per-1",
    "client_id": "cli-1",
    "role_name": "Analyst",
    "language": "en",
    "status": "active",
    "created_at": "2026-01-01T00:00:00.000Z",
}
LINK = "https://interview.zenhire.ai/#t=RAWTOKEN123"


def test_health_needs_no_key(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"status": "ok"}))
    assert isinstance(d.call("health"), Health)
    request = d.requests[0]
    assert request.url.path == "/api/v1/health" and "x-api-key" not in request.headers


def test_credits(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"balance": 65, "client_id": "cli-1"}))
    credits = d.call("credits")
    assert isinstance(credits, Credits) and credits.balance == 65
    assert d.requests[0].url.path == "/api/v1/credits"


def test_personas_create_list_get(driver: Any, h: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return h.respond(201, {**PERSONA, "base_prompt_override": None})
        if request.url.path.endswith("/personas"):
            return h.respond(200, {"data": [PERSONA]})
        return h.respond(200, {**PERSONA, "system_prompt": "You are...", "updated_at": None})

    d = driver(handler)
    created = d.call("personas.create", role_name="Analyst", language="en", system_prompt="Hi")
    assert isinstance(created, PersonaCreated) and created.id == "per-1"
    assert json.loads(d.requests[0].content) == {
        "role_name": "Analyst",
        "language": "en",
        "system_prompt": "Hi",
    }
    assert d.requests[0].url.path == "/api/v1/interview/personas"
    assert [p.id for p in d.call("personas.list")] == ["per-1"]
    detail = d.call("personas.get", "per-1")
    assert isinstance(detail, PersonaDetail) and detail.system_prompt == "You are..."
    assert d.requests[-1].url.path == "/api/v1/interview/personas/per-1"


def test_sessions_create_accepts_id_or_session_id(driver: Any, h: Any) -> None:
    for key in ("id", "session_id"):
        d = driver(
            lambda r, key=key: h.respond(
                201, {key: "ses-1", "candidate_link": LINK, "expires_in": 604800}
            )
        )
        created = d.call(
            "sessions.create",
            "per-1",
            consent_mode="explicit",
            candidate_ref="ats-1",
            metadata={"team": "data"},
            tags=("a", "b"),
        )
        assert isinstance(created, SessionCreated)
        assert created.id == created.session_id == "ses-1"
        assert "RAWTOKEN123" not in repr(created) and "RAWTOKEN123" not in str(created)
        request = d.requests[0]
        assert request.url.path == "/api/v1/interview/personas/per-1/sessions"
        assert json.loads(request.content) == {
            "consent_mode": "explicit",
            "candidate_ref": "ats-1",
            "metadata": {"team": "data"},
            "tags": ["a", "b"],
        }


def test_sessions_get_and_transcript(driver: Any, h: Any) -> None:
    turns = [{"speaker": "interviewer", "text": "Hello", "start": 0.0, "end": 1.2}]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/transcript"):
            return h.respond(200, turns)
        return h.respond(200, h.session_json("ses-1", feedback={"rating": 2, "negative": True}))

    d = driver(handler)
    session = d.call("sessions.get", "ses-1")
    assert isinstance(session, SessionSummary) and session.feedback.negative
    assert d.call("sessions.transcript", "ses-1") == turns


def test_api_key_travels_only_in_its_header_and_is_scrubbed_after(driver: Any, h: Any) -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        return h.respond(200, {"balance": 1})

    d = driver(handler)
    d.call("credits")
    assert seen[0]["x-api-key"] == h.API_KEY
    assert h.API_KEY not in str(d.requests[0].url)
    assert "x-api-key" not in d.requests[0].headers  # removed once the request finished


@pytest.mark.parametrize(
    "body",
    [
        {"session_id": "ses-1", "candidate_link": LINK},  # expires_in missing
        {"candidate_link": LINK, "expires_in": "7 days"},  # no id, wrong type
    ],
    ids=["missing-field", "no-id"],
)
def test_unreadable_create_answer_never_shows_the_token(driver: Any, h: Any, body: Any) -> None:
    d = driver(lambda r: h.respond(201, body))
    with pytest.raises(ResponseValidationError) as info:
        d.call("sessions.create", "per-1", consent_mode="explicit", candidate_ref="ats-9")
    error = info.value
    text = str(error) + repr(error) + "".join(traceback.format_exception(error))
    assert "RAWTOKEN123" not in text
    assert "candidate_ref='ats-9'" in text and "do not create it again" in text
    assert ("ses-1" in text) == ("session_id" in body)
    assert error.candidate_link == LINK  # kept for the caller, the only copy of the token
