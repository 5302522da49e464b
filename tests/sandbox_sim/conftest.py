"""A simulating sandbox on 127.0.0.1 and helpers to make sessions through the real client.

Interviews are kept to ~20 seconds of audio so the whole folder runs in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from zenhire_nb.sandbox import Sandbox

SHORT = 0.35  # minutes of interview per simulated session in these tests


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=5, mistake_rate=0.1) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[Any]:
    with sandbox.client(max_retries=0) as c:
        yield c


def new_session(
    client: Any,
    *,
    role: str = "Data Analyst",
    language: str = "en",
    consent_mode: str = "integrator",
    candidate_ref: str | None = None,
) -> str:
    persona = client.personas.create(role_name=role, language=language)
    session = client.sessions.create(
        persona.id, consent_mode=consent_mode, candidate_ref=candidate_ref
    )
    return str(session.id)


@pytest.fixture
def make_session(client: Any) -> Callable[..., str]:
    def make(**kwargs: Any) -> str:
        return new_session(client, **kwargs)

    return make
