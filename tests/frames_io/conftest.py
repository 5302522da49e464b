"""Completed sandbox sessions for the cache and bulk-fetch tests (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import io
import wave
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import pytest

from zenhire_nb import Client
from zenhire_nb.client import Clock, RetryPolicy

QUESTIONS = ("Tell me about yourself.", "Why this role?", "A hard bug you fixed?")


def wav_bytes(seconds: float, *, rate: int = 16_000, seed: int = 0) -> bytes:
    """A mono 16-bit WAV: a tone with pauses, so voice activity finds speech and silence."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * (180 + seed) * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((tone * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def transcript(n_questions: int = 3) -> list[dict[str, object]]:
    turns: list[dict[str, object]] = []
    clock = 0.0
    for index in range(n_questions):
        question = QUESTIONS[index % len(QUESTIONS)]
        turns.append({"speaker": "interviewer", "text": question, "start": clock, "end": clock + 2})
        answer = f"answer number {index} with some words"
        turns.append(
            {"speaker": "candidate", "text": answer, "start": clock + 2.5, "end": clock + 5}
        )
        clock += 6
    return turns


class FakeClock(Clock):
    """Retry backoff without the wait: time moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def fast_retries() -> RetryPolicy:
    """The default retry rules on a fake clock: a lost artifact's retried 5xx costs no time."""
    return RetryPolicy(clock=FakeClock())


@dataclass
class Counting:
    """A client whose requests are counted by their last path segment."""

    client: Client
    counts: Counter[str] = field(default_factory=Counter)

    def artifact_requests(self) -> int:
        return self.counts["transcript"] + self.counts["recording"]


def counting_client(tenant: object) -> Counting:
    counter: Counter[str] = Counter()

    def hook(request: httpx.Request) -> None:
        counter[request.url.path.rstrip("/").rsplit("/", 1)[-1]] += 1

    http = httpx.Client(event_hooks={"request": [hook]})
    client = Client(
        tenant.api_key,  # type: ignore[attr-defined]
        tenant.base_url,  # type: ignore[attr-defined]
        http_client=http,
        retry_policy=fast_retries(),
    )
    return Counting(client, counter)


def make_completed(
    sandbox: object, tenant: object, n: int, *, seconds: float = 3.0, tags: list[str] | None = None
) -> list[str]:
    """``n`` completed sessions of a fresh persona of ``tenant``; returns their ids."""
    admin = sandbox.admin  # type: ignore[attr-defined]
    with tenant.client() as client:  # type: ignore[attr-defined]
        persona = client.personas.create(role_name="Backend engineer", language="en")
        ids = []
        for index in range(n):
            created = client.sessions.create(
                persona.id, consent_mode="integrator", candidate_ref=f"cand-{index}", tags=tags
            )
            admin.start(created.id)
            admin.complete(
                created.id,
                duration_sec=int(seconds) + 1,
                transcript=transcript(),
                recording=wav_bytes(seconds, seed=index),
            )
            ids.append(created.id)
    return ids


@pytest.fixture
def retry_policy() -> RetryPolicy:
    """``fast_retries()`` for tests building their own client (conftest is not importable)."""
    return fast_retries()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    # No test may fall back on the real user cache dir.
    monkeypatch.setenv("ZENHIRE_CACHE_DIR", str(tmp_path / "env-cache"))
    yield


@pytest.fixture
def completed(zenhire_sandbox: object, zenhire_tenant: object) -> Callable[..., list[str]]:
    """``completed(n, seconds=3.0, tags=None)``: make n completed sessions of the tenant."""

    def make(n: int, **options: object) -> list[str]:
        return make_completed(zenhire_sandbox, zenhire_tenant, n, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def completed_for(zenhire_sandbox: object) -> Callable[..., list[str]]:
    """``completed_for(tenant, n, **options)``: as ``completed``, for another tenant."""

    def make(tenant: object, n: int, **options: object) -> list[str]:
        return make_completed(zenhire_sandbox, tenant, n, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def counting(zenhire_tenant: object) -> Iterator[Counting]:
    """A client of the tenant whose requests are counted (``.counts["recording"]``)."""
    result = counting_client(zenhire_tenant)
    yield result
    result.client.close()
