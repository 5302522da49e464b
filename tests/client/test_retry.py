"""Retry policy: what is retried, how long it waits, and what is never retried (fake clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from zenhire_nb.client import RetryPolicy
from zenhire_nb.client import errors as e


def sequence(
    *steps: Callable[[httpx.Request], httpx.Response],
) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering with each step in turn (the last one repeats)."""
    it: Iterator[Callable[[httpx.Request], httpx.Response]] = iter(steps)
    last: list[Callable[[httpx.Request], httpx.Response]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(it, None)
        if step is not None:
            last[:] = [step]
        return last[0](request)

    return handler


def fail(exc_type: type[httpx.RequestError]) -> Callable[[httpx.Request], httpx.Response]:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return step


def ok(h: Any, body: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: h.respond(200, body)


CREATED = {
    "session_id": "ses-9",
    "candidate_link": "https://i.example/#t=SECRETTOKEN",
    "expires_in": 604800,
}


def test_429_honours_retry_after_header(driver: Any, h: Any, clock: Any) -> None:
    d = driver(
        sequence(
            lambda r: h.respond(429, h.error_body("RATE_LIMIT_EXCEEDED"), {"Retry-After": "2"}),
            ok(h, {"balance": 10}),
        )
    )
    assert d.call("credits").balance == 10
    assert clock.sleeps == [2.0] and len(d.requests) == 2


def test_503_honours_retry_after_seconds_in_body(driver: Any, h: Any, clock: Any) -> None:
    warming = h.error_body("SERVICE_UNAVAILABLE", retryAfterSeconds=4)
    d = driver(sequence(lambda r: h.respond(503, warming), ok(h, h.session_json())))
    assert d.call("sessions.get", "ses-1").id == "ses-1"
    assert clock.sleeps == [4.0]


def test_retry_after_is_capped(driver: Any, h: Any, clock: Any) -> None:
    d = driver(
        sequence(
            lambda r: h.respond(429, h.error_body("RATE_LIMIT_EXCEEDED"), {"Retry-After": "3600"}),
            ok(h, {"balance": 1}),
        )
    )
    d.call("credits")
    assert clock.sleeps == [60.0]


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError,
        httpx.ReadError,
        httpx.RemoteProtocolError,
        httpx.ReadTimeout,
        httpx.ConnectTimeout,
        httpx.WriteTimeout,
    ],
)
def test_get_retried_on_connection_errors_and_timeouts(
    driver: Any, h: Any, clock: Any, exc: type
) -> None:
    d = driver(sequence(fail(exc), fail(exc), ok(h, {"data": []})))
    assert d.call("personas.list") == []
    assert len(d.requests) == 3
    # Exponential backoff with equal jitter (random fixed at 0.5): 0.75 * 0.5 * 2**n.
    assert clock.sleeps == [0.375, 0.75]


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_get_retried_on_408_and_5xx(driver: Any, h: Any, status: int) -> None:
    d = driver(sequence(lambda r: httpx.Response(status), ok(h, {"status": "ok"})))
    assert d.call("health").status == "ok"
    assert len(d.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409])
def test_client_errors_are_not_retried(driver: Any, h: Any, clock: Any, status: int) -> None:
    d = driver(lambda r: h.respond(status, h.error_body("WHATEVER")))
    with pytest.raises(e.APIStatusError):
        d.call("sessions.get", "ses-1")
    assert len(d.requests) == 1 and clock.sleeps == []


def test_gives_up_after_max_retries(driver: Any, clock: Any) -> None:
    d = driver(fail(httpx.ConnectError), max_retries=2)
    with pytest.raises(e.APIConnectionError) as info:
        d.call("credits")
    assert not isinstance(info.value, e.APITimeoutError)
    assert len(d.requests) == 3 and len(clock.sleeps) == 2
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_timeout_error_class(driver: Any) -> None:
    d = driver(fail(httpx.ReadTimeout), max_retries=0)
    with pytest.raises(e.APITimeoutError, match="ReadTimeout"):
        d.call("credits")


def test_per_call_max_retries(driver: Any) -> None:
    d = driver(fail(httpx.ConnectError), max_retries=5)
    with pytest.raises(e.APIConnectionError):
        d.call("credits", max_retries=1)
    assert len(d.requests) == 2


def test_with_options_max_retries(h: Any, clock: Any) -> None:
    d = h.Driver("sync", fail(httpx.ConnectError), clock)
    from zenhire_nb.client import Client

    http = httpx.Client(transport=httpx.MockTransport(d._record))
    client = Client(http_client=http, **d._kwargs())
    with pytest.raises(e.APIConnectionError):
        client.with_options(max_retries=0).credits()
    assert len(d.requests) == 1


# -- POST: never retried blindly ------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout,
        httpx.ReadError,
        httpx.RemoteProtocolError,
        httpx.WriteTimeout,
        httpx.WriteError,
    ],
)
def test_session_create_ambiguous_failure_is_not_retried(
    driver: Any, clock: Any, exc: type
) -> None:
    d = driver(fail(exc))
    with pytest.raises(e.AmbiguousSessionCreateError) as info:
        d.call("sessions.create", "per-1", consent_mode="explicit", candidate_ref="ats-77")
    assert len(d.requests) == 1 and clock.sleeps == []
    err = info.value
    assert isinstance(err, e.APIConnectionError)
    assert err.persona_id == "per-1" and err.candidate_ref == "ats-77"
    assert "sessions.list(persona_id='per-1', candidate_ref='ats-77')" in str(err)


@pytest.mark.parametrize("status", [502, 504])
def test_session_create_gateway_timeout_is_ambiguous(driver: Any, status: int) -> None:
    d = driver(lambda r: httpx.Response(status))
    with pytest.raises(e.AmbiguousSessionCreateError):
        d.call("sessions.create", "per-1", consent_mode="integrator")
    assert len(d.requests) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_session_create_server_error_is_raised_not_retried(
    driver: Any, h: Any, status: int
) -> None:
    d = driver(lambda r: h.respond(status, h.error_body("INTERNAL_ERROR")))
    with pytest.raises(e.InternalServerError):
        d.call("sessions.create", "per-1", consent_mode="integrator")
    assert len(d.requests) == 1


def test_session_create_retried_when_never_connected(driver: Any, h: Any) -> None:
    d = driver(
        sequence(
            fail(httpx.ConnectError), fail(httpx.ConnectTimeout), lambda r: h.respond(201, CREATED)
        )
    )
    created = d.call("sessions.create", "per-1", consent_mode="explicit")
    assert created.id == "ses-9" and len(d.requests) == 3


def test_session_create_retried_after_429(driver: Any, h: Any, clock: Any) -> None:
    # The rate limiter rejects before any handler runs: nothing can have been created.
    limited = h.error_body("RATE_LIMIT_EXCEEDED", retryAfterSeconds=1)
    d = driver(sequence(lambda r: h.respond(429, limited), lambda r: h.respond(201, CREATED)))
    assert d.call("sessions.create", "per-1", consent_mode="explicit").id == "ses-9"
    assert clock.sleeps == [1.0]


def test_persona_create_ambiguous_failure(driver: Any) -> None:
    d = driver(fail(httpx.ReadTimeout))
    with pytest.raises(e.AmbiguousRequestError, match="personas.list") as info:
        d.call("personas.create", role_name="Analyst", language="en")
    assert not isinstance(info.value, e.AmbiguousSessionCreateError)
    assert len(d.requests) == 1


# -- the policy on its own ------------------------------------------------------------------


def test_backoff_is_jittered_and_capped() -> None:
    policy = RetryPolicy(max_retries=20, initial_delay=1.0, max_delay=8.0, random=lambda: 0.999)
    error = e.APIConnectionError("x")
    delays = [policy.delay(error, attempt=n, idempotent=True) for n in range(6)]
    assert delays == pytest.approx([1.0, 2.0, 4.0, 8.0, 8.0, 8.0], rel=1e-2)
    low = RetryPolicy(initial_delay=1.0, random=lambda: 0.0)
    assert low.delay(error, attempt=2, idempotent=True) == 2.0  # half of 4: never zero


def test_negative_max_retries_refused() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


def test_retry_after_http_date() -> None:
    from zenhire_nb.client._retry import parse_retry_after

    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("1.5") == 1.5
