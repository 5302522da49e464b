"""The candidate page in headless Chromium (Debian's), against a real sandbox on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zenhire_nb.contract.limits import credits_for
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import FakeClock

pytestmark = pytest.mark.browser


def wait_view(page: Any, name: str, timeout: float = 30_000) -> None:
    page.locator(f"#view-{name}").wait_for(state="visible", timeout=timeout)


def answer_simulated(page: Any, answered: int) -> None:
    """Press the simulated-answer button and wait for the next line (or the closing)."""
    page.locator("#simulate:not([disabled])").click()
    page.wait_for_function(
        "n => document.body.dataset.view !== 'interview'"
        " || document.getElementById('progress').textContent === 'Line ' + n + ' of 4'"
        " || document.getElementById('progress').textContent === 'Closing'",
        arg=answered + 1,
    )


def test_consent_interview_and_natural_end(
    page: Any, page_sandbox: Sandbox, new_link: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    link = new_link()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(link.url)
    wait_view(page, "consent")
    assert read_session(page_sandbox, link.session_id)["status"] == "initiated"
    page.click("#consent-accept")
    wait_view(page, "interview")
    assert "Data Analyst" in page.text_content("#caption")  # the opening names the role
    captions = []
    for answered in range(3):  # opening, two questions; then the closing line
        captions.append(page.text_content("#caption"))
        answer_simulated(page, answered + 1)
    wait_view(page, "done", timeout=60_000)  # after the closing line, by itself
    assert len(set(captions)) == 3
    session = read_session(page_sandbox, link.session_id)
    assert session["status"] == "completed"
    assert session["credit_charged"] == credits_for(session["duration_sec"]) > 0
    ledger = page_sandbox.admin.ledger(page_sandbox.client_id)["entries"]
    assert [e["delta"] for e in ledger if e["session_id"] == link.session_id] == [
        -session["credit_charged"]
    ]
    with page_sandbox.default_tenant.http(timeout=60) as http:
        transcript = http.get(f"{API}/sessions/{link.session_id}/transcript").json()
        recording = http.get(f"{API}/sessions/{link.session_id}/recording")
    assert [t["text"] for t in transcript if t["speaker"] == "interviewer"][:3] == captions
    assert len(transcript) == 7 and recording.content[:4] == b"RIFF"
    assert any("/turn-audio?index=" in url for url in urls)  # lines were fetched to be spoken
    assert not any(link.token in url for url in urls)  # the token never travels in a URL


def test_declining_consent_keeps_the_session_initiated(
    page: Any, page_sandbox: Sandbox, new_link: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    link = new_link()
    page.goto(link.url)
    wait_view(page, "consent")
    page.click("#consent-decline")
    wait_view(page, "declined")
    page.reload()
    wait_view(page, "consent")  # nothing started: the gate shows again
    session = read_session(page_sandbox, link.session_id)
    assert session["status"] == "initiated" and session["started_at"] is None


def test_integrator_mode_has_no_gate(page: Any, new_link: Callable[..., Any]) -> None:
    page.goto(new_link(consent_mode="integrator").url)
    wait_view(page, "interview")


def test_unknown_missing_and_terminal_links(
    page: Any, page_sandbox: Sandbox, new_link: Callable[..., Any]
) -> None:
    page.goto(page_sandbox.base_url + "/candidate#t=not-a-real-token")
    wait_view(page, "unknown")
    page.goto(page_sandbox.base_url + "/candidate")
    wait_view(page, "unknown")
    link = new_link(consent_mode="integrator")
    page_sandbox.admin.start(link.session_id)
    page_sandbox.admin.complete(link.session_id, duration_sec=61)
    page.goto(link.url)
    wait_view(page, "ended")
    assert page.locator("#view-interview").is_hidden()


def test_expired_link_page(page: Any, link_maker: Callable[..., Any]) -> None:
    clock = FakeClock()
    with Sandbox(clock=clock) as sandbox:
        link = link_maker(sandbox)
        clock.advance(604_800 + 1)
        page.goto(link.url)
        wait_view(page, "expired")


def test_reload_mid_interview_continues(
    page: Any, page_sandbox: Sandbox, new_link: Callable[..., Any], read_session: Callable[..., Any]
) -> None:
    link = new_link()
    page.goto(link.url)
    wait_view(page, "consent")
    page.click("#consent-accept")
    wait_view(page, "interview")
    answer_simulated(page, 1)
    caption = page.text_content("#caption")
    page.reload()
    wait_view(page, "interview")  # no consent gate again: the interview is running
    assert page.text_content("#caption") == caption
    assert page.text_content("#progress") == "Line 2 of 4"
    page.locator("#end:not([disabled])").click()
    wait_view(page, "done", timeout=60_000)
    session = read_session(page_sandbox, link.session_id)
    assert session["status"] == "completed"
    with page_sandbox.default_tenant.http(timeout=60) as http:
        transcript = http.get(f"{API}/sessions/{link.session_id}/transcript").json()
    # opening, its answer, and the question being asked when the candidate ended
    assert [t["speaker"] for t in transcript] == ["interviewer", "candidate", "interviewer"]
    assert transcript[-1]["text"] == caption


def test_a_second_browser_is_told_the_interview_runs_elsewhere(
    browser: Any, page: Any, page_sandbox: Sandbox, new_link: Callable[..., Any], tmp_path
) -> None:
    link = new_link(consent_mode="integrator")
    page.goto(link.url)
    wait_view(page, "interview")
    other = browser.new_context()  # another browser: its own cookies
    try:
        second = other.new_page()
        second.goto(link.url)
        wait_view(second, "in-use")
        second.screenshot(path=str(tmp_path / "in-use.png"))
        assert "another browser" in second.text_content("#view-in-use")
    finally:
        other.close()
    page.reload()  # the first browser carries on
    wait_view(page, "interview")
    assert page_sandbox.state.sessions.row(link.session_id)["status"] == "active"
