"""Fixtures of the client tests: a fake clock and a driver that runs one scenario through
either the sync ``Client`` or the ``AsyncClient`` (the parity harness)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from zenhire_nb.client import AsyncClient, Client, RetryPolicy

API_KEY = "zh_api_unit_test_secret_key_0123456789"
ORIGIN = "http://127.0.0.1:9"  # never contacted: every unit test uses MockTransport


class FakeClock:
    """Time that moves only when someone sleeps; records every sleep (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def error_body(
    code: str, message: str = "nope", request_id: str | None = "req_123", **extra: Any
) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "timestamp": "2026-01-01T00:00:00.000Z",
    }
    if request_id:
        error["requestId"] = request_id
    error.update(extra)
    return {"error": error}


def session_json(
    session_id: str = "ses-1", status: str = "completed", **extra: Any
) -> dict[str, Any]:
    row = {
        "id": session_id,
        "client_id": "cli-1",
        "persona_id": "per-1",
        "status": status,
        "consent_mode": "explicit",
        "created_at": "2026-01-01T00:00:00.000Z",
    }
    row.update(extra)
    return row


class Driver:
    """Runs client calls given as dotted method names, through sync or async clients."""

    def __init__(
        self,
        kind: str,
        handler: Callable[[httpx.Request], httpx.Response],
        clock: FakeClock,
        **client_kw: Any,
    ) -> None:
        self.kind = kind
        self.handler = handler
        self.clock = clock
        self.client_kw = client_kw
        self.requests: list[httpx.Request] = []

    def _record(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def _kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {
            "api_key": API_KEY,
            "base_url": ORIGIN,
            "retry_policy": RetryPolicy(clock=self.clock, random=lambda: 0.5),
        }
        kw.update(self.client_kw)
        return kw

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call e.g. ``"sessions.get"``; ``sessions.list`` results are collected in a list."""
        if self.kind == "sync":
            client = Client(
                http_client=httpx.Client(transport=httpx.MockTransport(self._record)),
                **self._kwargs(),
            )
            with client:
                result = _resolve(client, method)(*args, **kwargs)
                return list(result) if method == "sessions.list" else result
        return asyncio.run(self._acall(method, *args, **kwargs))

    async def _acall(self, method: str, *args: Any, **kwargs: Any) -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self._record))
        async with http:
            client = AsyncClient(http_client=http, **self._kwargs())
            target = _resolve(client, method)
            if method == "sessions.list":
                return [row async for row in target(*args, **kwargs)]
            return await target(*args, **kwargs)


def _resolve(client: Any, method: str) -> Any:
    target = client
    for part in method.split("."):
        target = getattr(target, part)
    return target


def respond(
    status: int = 200, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    base = {"content-type": "application/json"} if body is not None else {}
    return httpx.Response(status, content=content, headers={**base, **(headers or {})})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def driver(kind: str, clock: FakeClock) -> Callable[..., Driver]:
    """``driver(handler, **client_kw)``: a Driver of the parametrized kind (sync and async)."""

    def make(handler: Callable[[httpx.Request], httpx.Response], **client_kw: Any) -> Driver:
        return Driver(kind, handler, clock, **client_kw)

    return make


@pytest.fixture
def h() -> SimpleNamespace:
    """Helpers for building responses (test modules cannot import conftest under importlib)."""
    return SimpleNamespace(
        API_KEY=API_KEY,
        ORIGIN=ORIGIN,
        error_body=error_body,
        session_json=session_json,
        respond=respond,
        FakeClock=FakeClock,
        Driver=Driver,
    )
