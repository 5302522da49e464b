"""A sandbox with a completed, simulated session, and clients whose retries never sleep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from zenhire_nb.client import Client, Clock, RetryPolicy
from zenhire_nb.sandbox import Sandbox


class RecordingClock(Clock):
    """Retries and waits record how long they would sleep instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def completed(sandbox: Sandbox) -> dict[str, str]:
    """Ids of a persona and a completed session (a ~15 s recording) of the default tenant."""
    with sandbox.client() as client:
        persona = client.personas.create(role_name="Data Analyst", language="en")
        session = client.sessions.create(persona.id, consent_mode="integrator")
    sandbox.admin.simulate(session.id, seed=1, target_minutes=0.25)
    return {"persona_id": persona.id, "session_id": session.id}


@pytest.fixture(autouse=True)
def no_faults_left(sandbox: Sandbox) -> Iterator[None]:
    yield
    sandbox.set_faults([])


@pytest.fixture
def make_client(sandbox: Sandbox) -> Iterator[Callable[..., tuple[Client, RecordingClock]]]:
    clients: list[Client] = []

    def make(max_retries: int = 3, **kwargs: Any) -> tuple[Client, RecordingClock]:
        clock = RecordingClock()
        policy = RetryPolicy(max_retries=max_retries, clock=clock, random=lambda: 0.0)
        client = sandbox.client(max_retries=max_retries, retry_policy=policy, **kwargs)
        clients.append(client)
        return client, clock

    yield make
    for client in clients:
        client.close()
