"""Every error code of the contract provoked for real against the sandbox, and its class.

INTERNAL_ERROR and SERVICE_UNAVAILABLE cannot be provoked in the sandbox without fault
injection; they are covered with MockTransport in test_errors.py and test_retry.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from zenhire_nb.client import Client
from zenhire_nb.client import errors as e
from zenhire_nb.sandbox import Sandbox

MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    with Sandbox(credits=10_000) as sandbox:
        yield sandbox


def client_for(sb: Any, api_key: str, **kw: Any) -> Client:
    return Client(api_key=api_key, base_url=sb.base_url, max_retries=0, **kw)


def tenant_client(sb: Any, **tenant: Any) -> Client:
    return client_for(sb, sb.admin.create_client(**tenant).api_key)


def persona_id(sb: Any) -> str:
    with client_for(sb, sb.api_key) as client:
        return client.personas.create(role_name="Errors", language="en").id


def test_missing_api_key(sb: Any) -> None:
    # Client refuses to be built without a key, so strip the header on its way out.
    def drop_key(request: httpx.Request) -> None:
        request.headers.pop("X-API-Key", None)

    http = httpx.Client(event_hooks={"request": [drop_key]})
    with (
        client_for(sb, "placeholder", http_client=http) as client,
        pytest.raises(e.MissingApiKeyError) as info,
    ):
        client.credits()
    assert info.value.status == 401 and info.value.code == "MISSING_API_KEY"
    http.close()


def test_invalid_api_key(sb: Any) -> None:
    with (
        client_for(sb, "zh_api_not_a_real_key") as client,
        pytest.raises(e.InvalidApiKeyError) as info,
    ):
        client.personas.list()
    assert info.value.status == 401


def test_api_key_expired(sb: Any) -> None:
    past = datetime.now(timezone.utc) - timedelta(days=1)
    key = sb.admin.create_key(sb.client_id, expires_at=past)
    with client_for(sb, key) as client, pytest.raises(e.ApiKeyExpiredError):
        client.credits()


def test_client_inactive(sb: Any) -> None:
    with tenant_client(sb, active=False) as client, pytest.raises(e.ClientInactiveError):
        client.personas.list()


def test_missing_permission(sb: Any) -> None:
    with tenant_client(sb, interview_permission=False) as client:
        with pytest.raises(e.MissingPermissionError) as info:
            persona = client.personas.create(role_name="No permission", language="en")
            client.sessions.create(persona.id, consent_mode="explicit")
        assert isinstance(info.value, e.PermissionDeniedError) and info.value.status == 403


def test_ip_not_allowed(sb: Any) -> None:
    with (
        tenant_client(sb, ip_allowlist=["203.0.113.7"]) as client,
        pytest.raises(e.IpNotAllowedError),
    ):
        client.credits()


def test_insufficient_credits(sb: Any) -> None:
    with tenant_client(sb, credits=0) as client:
        persona = client.personas.create(role_name="Broke", language="en")
        with pytest.raises(e.InsufficientCreditsError) as info:
            client.sessions.create(persona.id, consent_mode="integrator")
        assert info.value.status == 402 and info.value.request_id


def test_rate_limit_exceeded(sb: Any) -> None:
    with tenant_client(sb, rate_limit_per_minute=2) as client:
        client.credits()
        client.credits()
        with pytest.raises(e.RateLimitError) as info:
            client.credits()
    assert info.value.status == 429 and info.value.retry_after and info.value.retry_after > 0


def test_invalid_input(sb: Any) -> None:
    with client_for(sb, sb.api_key) as client:
        with pytest.raises(e.InvalidInputError) as info:
            client.personas.create(role_name="", language="en")
        assert "role_name" in info.value.fields
        with pytest.raises(e.InvalidInputError) as info:
            client.sessions.create(persona_id(sb), consent_mode="sometimes")
        assert "consent_mode" in info.value.fields


def test_artifact_not_ready(sb: Any) -> None:
    with client_for(sb, sb.api_key) as client:
        created = client.sessions.create(persona_id(sb), consent_mode="integrator")
        with pytest.raises(e.ArtifactNotReadyError) as info:
            client.sessions.recording(created.id)
        assert info.value.status == 409 and info.value.session_status == "initiated"


def test_not_found_and_foreign_ids(sb: Any) -> None:
    with client_for(sb, sb.api_key) as client:
        with pytest.raises(e.NotFoundError):
            client.sessions.get(MISSING_UUID)
        with pytest.raises(e.NotFoundError):
            client.personas.get(MISSING_UUID)
        own = client.sessions.create(persona_id(sb), consent_mode="integrator")
    with tenant_client(sb) as other, pytest.raises(e.NotFoundError) as info:
        other.sessions.get(own.id)  # another tenant's session: 404, not 403
    assert info.value.request_id and info.value.request_id in str(info.value)
