"""Shared helpers for the sandbox tests: plain httpx against a real sandbox on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox, Tenant
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import FakeClock


@pytest.fixture
def http(zenhire_tenant: Tenant) -> Iterator[httpx.Client]:
    with zenhire_tenant.http(timeout=60) as client:
        yield client


@pytest.fixture
def make_persona(http: httpx.Client) -> Callable[..., str]:
    def make(**fields: Any) -> str:
        body = {"role_name": "Data Analyst", "language": "en", **fields}
        response = http.post(f"{API}/personas", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    return make


@pytest.fixture
def make_session(http: httpx.Client, make_persona: Callable[..., str]) -> Callable[..., dict]:
    """Create a session (on a new persona unless ``persona_id`` is given); returns the body."""

    def make(persona_id: str | None = None, **fields: Any) -> dict[str, Any]:
        persona_id = persona_id or make_persona()
        body = {"consent_mode": "integrator", **fields}
        response = http.post(f"{API}/personas/{persona_id}/sessions", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture(scope="module")
def clocked_sandbox() -> Iterator[tuple[Sandbox, FakeClock]]:
    """A separate sandbox whose clock the test moves."""
    clock = FakeClock()
    with Sandbox(clock=clock) as sandbox:
        yield sandbox, clock
