"""Fixtures of the candidate-page tests: a sandbox with a short script, sessions, Chromium.

Every test talks to a real sandbox over HTTP on 127.0.0.1; the browser tests drive Debian's
``chromium`` through Playwright (never a downloaded browser), with the suite-wide ``browser``
and ``page`` fixtures of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.candidate_page import configure_candidate_page
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import token_of

TOKEN_HEADER = "X-Candidate-Token"


@dataclass(frozen=True)
class Link:
    """A session made for a test: its id, the raw link token and the full candidate link."""

    session_id: str
    token: str
    url: str

    @property
    def headers(self) -> dict[str, str]:
        return {TOKEN_HEADER: self.token}


def make_link(
    sandbox: Sandbox, *, consent_mode: str = "explicit", role_name: str = "Data Analyst"
) -> Link:
    """Create a persona and a session on the sandbox's default tenant."""
    with sandbox.default_tenant.http(timeout=30) as http:
        persona = http.post(f"{API}/personas", json={"role_name": role_name, "language": "en"})
        assert persona.status_code == 201, persona.text
        created = http.post(
            f"{API}/personas/{persona.json()['id']}/sessions", json={"consent_mode": consent_mode}
        )
        assert created.status_code == 201, created.text
    body = created.json()
    return Link(body["id"], token_of(body["candidate_link"]), body["candidate_link"])


def session_of(sandbox: Sandbox, session_id: str) -> dict[str, Any]:
    with sandbox.default_tenant.http(timeout=30) as http:
        response = http.get(f"{API}/sessions/{session_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture(scope="module")
def page_sandbox() -> Iterator[Sandbox]:
    """A sandbox whose interviews ask two questions between opening and closing."""
    with Sandbox(plugins=[configure_candidate_page(questions=2)]) as sandbox:
        yield sandbox


@pytest.fixture
def new_link(page_sandbox: Sandbox) -> Callable[..., Link]:
    return lambda **kwargs: make_link(page_sandbox, **kwargs)


@pytest.fixture
def candidate_http(page_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """Plain httpx on the sandbox origin, without any key (as the candidate's browser)."""
    with httpx.Client(base_url=page_sandbox.base_url, timeout=60) as http:
        yield http


@pytest.fixture
def link_maker() -> Callable[..., Link]:
    """:func:`make_link` for any sandbox: ``link_maker(sandbox, consent_mode=...)``."""
    return make_link


@pytest.fixture
def read_session() -> Callable[[Sandbox, str], dict[str, Any]]:
    """The contract's view of a session: ``read_session(sandbox, session_id)``."""
    return session_of
