"""sessions.wait: polling with growing intervals, clear timeout error (fake clock)."""

from __future__ import annotations

from typing import Any

import pytest

from zenhire_nb.client import InvalidArgumentError, SessionWaitTimeoutError, ZenHireError


def statuses(h: Any, *names: str) -> Any:
    it = iter(names)

    def handler(request: Any) -> Any:
        return h.respond(200, h.session_json("ses-1", next(it)))

    return handler


def test_waits_until_terminal_with_growing_intervals(driver: Any, h: Any, clock: Any) -> None:
    d = driver(statuses(h, "initiated", "active", "active", "active", "completed"))
    session = d.call("sessions.wait", "ses-1", timeout=600, poll_interval=2.0)
    assert session.status == "completed"
    assert clock.sleeps == [2.0, 3.0, 4.5, 6.75]


def test_failed_is_terminal(driver: Any, h: Any) -> None:
    d = driver(statuses(h, "active", "failed"))
    assert d.call("sessions.wait", "ses-1", poll_interval=0.1).status == "failed"


def test_interval_is_capped(driver: Any, h: Any, clock: Any) -> None:
    d = driver(statuses(h, *(["active"] * 12), "completed"))
    d.call("sessions.wait", "ses-1", timeout=10_000, poll_interval=1.0)
    assert max(clock.sleeps) == 15.0


def test_timeout_names_session_and_last_status(driver: Any, h: Any, clock: Any) -> None:
    d = driver(lambda r: h.respond(200, h.session_json("ses-1", "active")))
    with pytest.raises(SessionWaitTimeoutError) as info:
        d.call("sessions.wait", "ses-1", timeout=10, poll_interval=4)
    err = info.value
    assert isinstance(err, ZenHireError) and isinstance(err, TimeoutError)
    assert err.session_id == "ses-1" and err.last_status == "active"
    assert "ses-1" in str(err) and "active" in str(err)
    assert sum(clock.sleeps) == pytest.approx(10.0)  # never sleeps past the deadline


def test_bad_timing_arguments(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, h.session_json()))
    with pytest.raises(InvalidArgumentError, match="poll_interval"):
        d.call("sessions.wait", "ses-1", poll_interval=0)
    with pytest.raises(InvalidArgumentError, match="timeout"):
        d.call("sessions.wait", "ses-1", timeout=-1)
    assert d.requests == []
