"""The session launcher against the sandbox: check, start, links, errors beside their cause."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from zenhire_nb.widgets import SessionLauncher

from .conftest import wait_for


def started(launcher: SessionLauncher) -> None:
    launcher.start()
    assert launcher.batch is not None and launcher.batch.run is not None
    assert launcher.batch.run.wait(30)
    wait_for(lambda: not launcher.check_button.disabled)


def test_check_then_start_a_pasted_batch(client, persona):
    launcher = SessionLauncher(client)
    assert launcher.persona.value == persona.id
    launcher.source.value = "Paste a list"
    launcher.pasted.value = "c-1\nc-2, c-1"
    launcher.consent.value = "integrator"
    launcher.tags.value = "wave-1, eu"
    launcher.metadata.value = "team=data"
    assert launcher.start_button.disabled
    launcher.check_button.click()
    text = launcher.plan_box.value
    assert "2 session(s) will start; balance 10000 credits, needed to start 10" in text
    assert "invited once: &#x27;c-1&#x27;" in text
    assert launcher.start_button.description == "Start 2 session(s)"
    started(launcher)

    made = {s.candidate_ref: s for s in client.sessions.list(persona_id=persona.id)}
    assert set(made) == {"c-1", "c-2"}
    assert made["c-1"].tags == ["wave-1", "eu"] and made["c-1"].metadata == {"team": "data"}
    assert made["c-1"].consent_mode == "integrator"
    rows = launcher.links.rows
    assert [r["state"] for r in rows] == ["started", "started"]
    assert all(r["link"].endswith("#t=***") for r in rows)
    assert "2 started" in launcher.messages.value
    assert launcher.task.status.value == "Starting sessions: 2/2 finished"


def test_links_reach_the_front_end_only_as_messages(client, persona):
    launcher = SessionLauncher(client)
    launcher.one.value = "solo"
    launcher.check()
    started(launcher)
    sent = []
    launcher.links.send = lambda content, buffers=None: sent.append((content, buffers))
    session_id = launcher.links.rows[0]["session_id"]
    launcher.links._message(launcher.links, {"type": "reveal", "session_id": session_id}, [])
    launcher.links._message(launcher.links, {"type": "csv"}, [])
    link = sent[0][0]["link"]
    assert "#t=" in link and not link.endswith("***")
    assert link.encode() in sent[1][1][0]
    assert link not in str(launcher.links.get_state())


def test_open_session_of_a_candidate_is_warned_about(client, persona):
    client.sessions.create(persona.id, consent_mode="explicit", candidate_ref="again")
    launcher = SessionLauncher(client)
    launcher.one.value = "again"
    launcher.check()
    assert "already has an open session for this persona" in launcher.plan_box.value


def test_changing_the_form_asks_for_a_new_check(client, persona):
    launcher = SessionLauncher(client)
    launcher.one.value = "x"
    launcher.check()
    assert not launcher.start_button.disabled
    launcher.one.value = "y"
    assert launcher.start_button.disabled
    assert "press Check again" in launcher.plan_box.value


def test_create_a_persona_from_the_launcher(client):
    launcher = SessionLauncher(client)
    assert launcher.persona.value == "__new__"
    assert launcher.new_persona.layout.display is None
    launcher.create_persona_button.click()
    assert "enter the role and the language" in launcher.persona_messages.value
    launcher.role.value = "Support Agent"
    launcher.create_persona_button.click()
    [created] = client.personas.list()
    assert launcher.persona.value == created.id and created.role_name == "Support Agent"


def test_missing_input_is_shown_next_to_its_control(client, persona):
    launcher = SessionLauncher(client)
    launcher.check_button.click()
    assert "enter at least one candidate reference" in launcher.candidate_messages.value
    launcher.one.value = "x"
    launcher.metadata.value = "oops"
    launcher.check_button.click()
    assert "metadata filter &#x27;oops&#x27;: write key=value" in launcher.batch_messages.value
    launcher.source.value = "Upload a CSV"
    launcher.check_button.click()
    assert "choose a CSV file first" in launcher.candidate_messages.value


def test_csv_upload(client, persona):
    launcher = SessionLauncher(client)
    launcher.source.value = "Upload a CSV"
    data = b"candidate_ref,tags,site\nr-1,a;b,berlin\nr-2,,paris\n"
    launcher.upload.value = (
        {
            "name": "people.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc),
        },
    )
    # Read at once, then the bytes are dropped from the synced (saved) widget state.
    assert launcher.upload.value == ()
    assert launcher.upload.get_state()["value"] == []
    assert "people.csv: 2 candidate(s) read." in launcher.candidate_messages.value
    assert launcher.uploaded is not None and launcher.uploaded[1].refs == ["r-1", "r-2"]
    launcher.check()
    started(launcher)
    made = {s.candidate_ref: s for s in client.sessions.list(persona_id=persona.id)}
    assert made["r-1"].tags == ["a", "b"] and made["r-2"].metadata == {"site": "paris"}


def test_a_bad_csv_upload_is_named_and_not_kept(client, persona):
    launcher = SessionLauncher(client)
    launcher.source.value = "Upload a CSV"
    data = "candidate_ref\n\xe9".encode("latin-1")
    launcher.upload.value = (
        {
            "name": "bad.csv",
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc),
        },
    )
    assert "bad.csv is not UTF-8 text" in launcher.candidate_messages.value
    assert launcher.upload.value == () and launcher.uploaded is None
    launcher.check()
    assert "choose a CSV file first" in launcher.candidate_messages.value


def test_insufficient_credits_fail_per_row_in_plain_words(zenhire_sandbox):
    tenant = zenhire_sandbox.new_tenant(credits=0)
    with tenant.client() as client:
        persona = client.personas.create(role_name="Analyst", language="en")
        launcher = SessionLauncher(client)
        launcher.source.value = "Paste a list"
        launcher.pasted.value = "a\nb"
        launcher.check()
        assert "below what 2 sessions need to start (10: 5 each)" in launcher.plan_box.value
        started(launcher)
        rows = launcher.links.rows
        assert {r["state"] for r in rows} == {"failed"}
        assert "not enough credits (402)" in rows[0]["message"]
        assert "2 not done" in launcher.task.failures.value
        assert not launcher.task.retry_button.disabled
        assert list(client.sessions.list(persona_id=persona.id)) == []


def test_validation_errors_name_the_field(client, persona):
    launcher = SessionLauncher(client)
    launcher.one.value = "x"
    launcher.metadata.value = "k" * 41 + "=v"
    launcher.check()
    started(launcher)
    [row] = launcher.links.rows
    assert row["state"] == "failed" and "field &#x27;" not in row["message"]
    assert "field 'metadata" in row["message"]


def test_no_permission_is_explained(zenhire_sandbox):
    tenant = zenhire_sandbox.new_tenant()
    with tenant.client() as client:
        client.personas.create(role_name="Analyst", language="en")
        zenhire_sandbox.admin.update_client(tenant.client_id, interview_permission=False)
        launcher = SessionLauncher(client)
        assert "may not start interviews (403" in launcher.messages.value  # listing personas
        launcher.one.value = "x"
        launcher.check()
        assert "choose a persona" in launcher.plan_box.value  # none could be listed
        assert launcher.start_button.disabled


def test_an_unsure_start_is_reported_and_never_retried(client, persona, zenhire_sandbox):
    launcher = SessionLauncher(client)
    launcher.source.value = "Paste a list"
    launcher.pasted.value = "u-1"
    launcher.check()
    zenhire_sandbox.set_faults(["create_session:drop=1"])
    try:
        started(launcher)
    finally:
        zenhire_sandbox.set_faults([])
    [row] = launcher.links.rows
    assert row["state"] == "unsure"
    assert "may have been created" in row["message"] and "candidate_ref='u-1'" in row["message"]
    assert "look them up in the results browser" in launcher.messages.value
    before = len(list(client.sessions.list(persona_id=persona.id)))
    launcher.retry()
    assert launcher.batch.run.wait(10)
    assert launcher.batch.run.items == []
    assert len(list(client.sessions.list(persona_id=persona.id))) == before


@pytest.mark.parametrize("mode", ["explicit", "integrator"])
def test_consent_mode_reaches_the_platform(client, persona, mode):
    launcher = SessionLauncher(client)
    launcher.one.value = f"consent-{mode}"
    launcher.consent.value = mode
    launcher.check()
    started(launcher)
    [made] = client.sessions.list(persona_id=persona.id)
    assert made.consent_mode == mode
