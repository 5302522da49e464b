"""The results browser against the sandbox: listing, filters, selection, background refresh."""

from __future__ import annotations

import threading

from zenhire_nb.widgets import ResultsBrowser, TranscriptPlayer

from .conftest import wait_for


def test_lists_filters_and_shows_the_selected_session(client, persona, completed):
    [done] = completed(1, tags=["wave-1"], metadata={"team": "data"})
    client.sessions.create(persona.id, consent_mode="explicit", candidate_ref="waiting")
    browser = ResultsBrowser(client, refresh_seconds=0)
    assert browser.wait_loaded(20)
    wait_for(lambda: len(browser.view.rows) == 2)
    assert browser.view.info.startswith("Showing 1–2 of 2 matching sessions (2 loaded)")
    assert browser.view.rows[0]["candidate_ref"] == "waiting"  # newest first
    assert [label for label, _ in browser.tag.options] == ["All tags", "wave-1"]

    browser.status.value = ("completed",)
    assert [r["session_id"] for r in browser.view.rows] == [done]
    browser.clear_filters()
    browser.metadata.value = "team=data"
    assert len(browser.view.rows) == 1
    browser.metadata.value = "team"
    assert "write key=value" in browser.filter_messages.value
    browser.clear_filters()
    browser.search.value = "WAIT"
    assert [r["candidate_ref"] for r in browser.view.rows] == ["waiting"]
    browser.clear_filters()

    browser.view._handle_custom_msg({"type": "sort", "column": "candidate_ref"}, [])
    assert browser.view.sort_by == "candidate_ref" and browser.view.ascending
    assert browser.view.rows[0]["candidate_ref"] == "cand-000"

    browser.select(done)
    head, answers, _title, player = browser.detail.children
    assert (
        "completed" in head.value and "cand-000" in head.value and "Credits charged" in head.value
    )
    assert "Answers" in answers.value and "Question" in answers.value
    assert isinstance(player, TranscriptPlayer) and player.session_id == done
    assert player.turns and {t["speaker"] for t in player.turns} == {"interviewer", "candidate"}
    browser.close()


def test_selecting_an_open_session_says_why_there_is_no_recording(client, persona):
    waiting = client.sessions.create(persona.id, consent_mode="explicit", candidate_ref="w").id
    browser = ResultsBrowser(client, refresh_seconds=0)
    browser.view.selected = waiting  # as a click in the table does
    wait_for(lambda: len(browser.detail.children) == 2)
    assert "the session is initiated" in browser.detail.children[1].value
    browser.close()


def test_an_unknown_session_is_reported_in_the_detail_area(client):
    browser = ResultsBrowser(client, refresh_seconds=0)
    browser.select("00000000-0000-0000-0000-000000000000")
    [area] = browser.detail.children
    assert "not found (404)" in area.value
    browser.close()


def test_open_sessions_refresh_in_the_background_until_closed(client, persona, zenhire_sandbox):
    session = client.sessions.create(persona.id, consent_mode="integrator", candidate_ref="live")
    browser = ResultsBrowser(client, refresh_seconds=0.2)
    browser.wait_loaded(20)
    assert browser.view.rows[0]["status"] == "initiated"
    assert browser.refreshing
    # the kernel is free meanwhile: this thread goes on while the refresher runs
    assert threading.current_thread() is threading.main_thread()
    zenhire_sandbox.admin.simulate(session.id, seed=3, target_minutes=0.5)
    wait_for(lambda: browser.view.rows[0]["status"] == "completed")
    browser.close()
    wait_for(lambda: not browser.refreshing, timeout=5)


def test_pages_of_many_sessions(client, persona):
    for index in range(30):
        client.sessions.create(persona.id, consent_mode="explicit", candidate_ref=f"p-{index:02d}")
    browser = ResultsBrowser(client, page_size=25, refresh_seconds=0)
    browser.wait_loaded(20)
    wait_for(lambda: browser.view.pages == 2)
    browser.view._handle_custom_msg({"type": "page", "page": 1}, [])
    assert browser.view.page == 1 and len(browser.view.rows) == 5
    assert "Showing 26–30 of 30" in browser.view.info
    browser.close()
