"""The concurrency cap over HTTP: starts beyond it wait in line (first come, first served),
are never rejected, and go ahead when a running interview finishes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.candidate_page import configure_candidate_page
from zenhire_nb.sandbox.candidate_page.gate import STALE_AFTER_SEC, ConcurrencyGate
from zenhire_nb.sandbox.testing import FakeClock

C = "/sandbox/candidate"


@pytest.fixture
def capped() -> Iterator[Sandbox]:
    """A sandbox with a cap of one interview per tenant and no questions (opening, closing)."""
    with Sandbox(plugins=[configure_candidate_page(questions=0, concurrency_cap=1)]) as sandbox:
        yield sandbox


def begin(http: httpx.Client, link: Any) -> dict[str, Any]:
    response = http.post(f"{C}/begin", json={"consent": True}, headers=link.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_starts_beyond_the_cap_wait_then_go(
    capped: Sandbox, link_maker: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    first, second, third = (link_maker(capped) for _ in range(3))
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        assert begin(http, first)["status"] == "active"
        assert begin(http, second) == {
            "session_id": second.session_id,
            "status": "waiting",
            "position": 1,
            "running": 1,
        }
        assert begin(http, third)["position"] == 2
        assert begin(http, second)["position"] == 1  # polling keeps the place in line
        assert read_session(capped, second.session_id)["status"] == "initiated"
        assert http.post(f"{C}/end", headers=first.headers).json()["status"] == "completed"
        assert begin(http, third)["position"] == 2  # the slot is the first waiter's
        assert begin(http, second)["status"] == "active"
        assert begin(http, third) == {**begin(http, third), "status": "waiting", "position": 1}
        http.post(f"{C}/end", headers=second.headers)
        assert begin(http, third)["status"] == "active"
    assert read_session(capped, third.session_id)["status"] == "active"


def test_admin_started_sessions_count_towards_the_cap(
    capped: Sandbox, link_maker: Callable[..., Any]
) -> None:
    operator, candidate = link_maker(capped), link_maker(capped)
    capped.admin.start(operator.session_id, consent=True)  # a free slot: admitted at once
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        assert begin(http, candidate)["status"] == "waiting"
        capped.admin.fail(operator.session_id)
        assert begin(http, candidate)["status"] == "active"


def test_admin_start_waits_for_the_cap_like_the_page(
    capped: Sandbox, link_maker: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    running, queued = link_maker(capped), link_maker(capped)
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        assert begin(http, running)["status"] == "active"
        answer = capped.admin.start(queued.session_id, consent=True, wait_sec=0)
        assert answer["status"] == "waiting" and answer["position"] == 1
        with pytest.raises(TimeoutError, match=queued.session_id):
            capped.admin.start(queued.session_id, consent=True, wait_sec=0.5, poll_sec=0.1)
        assert read_session(capped, queued.session_id)["status"] == "initiated"
        http.post(f"{C}/end", headers=running.headers)
    assert capped.admin.start(queued.session_id, consent=True)["status"] == "active"


def test_legacy_candidate_start_waits_for_the_cap(
    capped: Sandbox, link_maker: Callable[..., Any]
) -> None:
    running, queued = link_maker(capped), link_maker(capped)
    capped.admin.start(running.session_id, consent=True)
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        start = {"token": queued.token, "consent": True}
        waiting = http.post(f"{C}/start", json=start).json()
        assert waiting["status"] == "waiting" and waiting["position"] == 1
        capped.admin.fail(running.session_id)
        assert http.post(f"{C}/start", json=start).json()["status"] == "active"


def test_cap_is_per_tenant(capped: Sandbox, link_maker: Callable[..., Any]) -> None:
    other = capped.new_tenant(name="other")
    mine = link_maker(capped)
    with other.http() as api:
        persona = api.post(
            "/api/v1/interview/personas", json={"role_name": "Cook", "language": "en"}
        ).json()
        created = api.post(
            f"/api/v1/interview/personas/{persona['id']}/sessions",
            json={"consent_mode": "integrator"},
        ).json()
    theirs = created["candidate_link"].partition("#t=")[2]
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        assert begin(http, mine)["status"] == "active"
        started = http.post(f"{C}/begin", json={}, headers={"X-Candidate-Token": theirs})
        assert started.json()["status"] == "active"


def test_declining_or_going_silent_leaves_the_line(
    capped: Sandbox, link_maker: Callable[..., Any]
) -> None:
    clock = FakeClock(0.0)
    capped.state.gate = ConcurrencyGate(monotonic=clock)
    running, gone, declined, patient = (link_maker(capped) for _ in range(4))
    with httpx.Client(base_url=capped.base_url, timeout=60) as http:
        begin(http, running)
        begin(http, gone)
        begin(http, declined)
        assert begin(http, patient)["position"] == 3
        http.post(f"{C}/decline", headers=declined.headers)
        clock.advance(STALE_AFTER_SEC / 2)
        assert begin(http, patient)["position"] == 2
        clock.advance(STALE_AFTER_SEC / 2 + 1)  # "gone" stopped polling: its tab was closed
        assert begin(http, patient)["position"] == 1
