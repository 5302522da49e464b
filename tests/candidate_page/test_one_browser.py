"""A candidate link admits one browser while the interview runs, and the interview budget holds.

Each "browser" is its own httpx client with its own cookie jar, on a real sandbox over HTTP;
the budget is tested on the sandbox's fake clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from zenhire_nb.contract import Limits
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.candidate_page import configure_candidate_page
from zenhire_nb.sandbox.testing import FakeClock, assert_error

C = "/sandbox/candidate"


def browser(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(base_url=sandbox.base_url, timeout=60)


def test_a_second_browser_cannot_join_or_end_a_running_interview(
    page_sandbox: Sandbox, new_link: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    with browser(page_sandbox) as first, browser(page_sandbox) as second:
        assert first.post(f"{C}/verify", json={"token": link.token}).json()["page"] == "start"
        started = first.post(f"{C}/begin", json={}, headers=link.headers).json()
        assert started["status"] == "active" and started["turn"]["index"] == 0

        page = second.post(f"{C}/verify", json={"token": link.token}).json()["page"]
        assert page == "in_use"
        for method, path, body in (
            ("POST", f"{C}/begin", {}),
            ("GET", f"{C}/turn", None),
            ("POST", f"{C}/simulate-answer", {"index": 0}),
            ("POST", f"{C}/end", None),
        ):
            answer = second.request(method, path, json=body, headers=link.headers)
            assert_error(answer, 409, "SESSION_IN_USE")
        legacy = second.post(f"{C}/start", json={"token": link.token})
        assert_error(legacy, 409, "SESSION_IN_USE")
        assert read_session(page_sandbox, link.session_id)["status"] == "active"

        # The first browser reloads and carries on (its cookie proves it is the same one).
        reloaded = first.post(f"{C}/begin", json={}, headers=link.headers).json()
        assert reloaded["status"] == "active" and reloaded["turn"]["index"] == 0
        assert first.post(f"{C}/simulate-answer", json={"index": 0}, headers=link.headers)
        ended = first.post(f"{C}/end", headers=link.headers).json()
        assert ended["status"] == "completed"
        # Once it is over, the link shows the end to anyone.
        assert second.post(f"{C}/verify", json={"token": link.token}).json()["page"] == "ended"


def test_an_operator_started_interview_goes_to_the_first_browser(
    page_sandbox: Sandbox, new_link: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    page_sandbox.admin.start(link.session_id)
    with browser(page_sandbox) as first, browser(page_sandbox) as second:
        first.post(f"{C}/verify", json={"token": link.token})  # sets the browser's cookie
        assert first.get(f"{C}/turn", headers=link.headers).status_code == 200
        assert_error(second.get(f"{C}/turn", headers=link.headers), 409, "SESSION_IN_USE")


@pytest.fixture
def clocked_page() -> Iterator[tuple[Sandbox, FakeClock]]:
    clock = FakeClock()
    with Sandbox(clock=clock, plugins=[configure_candidate_page(questions=1)]) as sandbox:
        yield sandbox, clock


def test_an_interview_past_the_budget_ends_as_session_timeout(
    clocked_page: tuple[Sandbox, FakeClock],
    link_maker: Callable[..., Any],
    read_session: Callable[..., Any],
) -> None:
    sandbox, clock = clocked_page
    link = link_maker(sandbox, consent_mode="integrator")
    with browser(sandbox) as page:
        assert page.post(f"{C}/begin", json={}, headers=link.headers).json()["status"] == "active"
        clock.advance(Limits.MAX_INTERVIEW_SEC - 60)
        assert page.get(f"{C}/turn", headers=link.headers).status_code == 200  # still in time
        clock.advance(120)
        assert_error(page.get(f"{C}/turn", headers=link.headers), 409, "SESSION_TERMINAL")
        assert_error(
            page.post(f"{C}/begin", json={}, headers=link.headers), 409, "SESSION_TERMINAL"
        )
        assert page.post(f"{C}/verify", json={"token": link.token}).json()["page"] == "ended"
    session = read_session(sandbox, link.session_id)
    assert (session["status"], session["error_code"]) == ("failed", "SESSION_TIMEOUT")
    assert session["credit_charged"] == 0


def test_an_abandoned_interview_times_out_for_the_integrator_too(
    clocked_page: tuple[Sandbox, FakeClock],
    link_maker: Callable[..., Any],
    read_session: Callable[..., Any],
) -> None:
    sandbox, clock = clocked_page
    link = link_maker(sandbox, consent_mode="integrator")
    with browser(sandbox) as page:
        assert page.post(f"{C}/begin", json={}, headers=link.headers).json()["status"] == "active"
    clock.advance(365 * 86_400)  # the tab was closed a year ago
    with sandbox.default_tenant.http() as http:
        listed = http.get("/api/v1/interview/sessions", params={"status": "active"}).json()
    assert link.session_id not in [row["id"] for row in listed["data"]]
    assert read_session(sandbox, link.session_id)["error_code"] == "SESSION_TIMEOUT"
