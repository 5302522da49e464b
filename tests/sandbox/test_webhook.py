"""The completion webhook: signing and verifying, and the receiver over real HTTP (valid,
forged, stale, replayed, duplicate delivery charged once)."""

from __future__ import annotations

import json

import httpx
import pytest

from zenhire_nb.contract import Limits
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.core import webhook
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import FakeClock, assert_error

SECRET = "s3cret"


def test_sign_then_verify_roundtrip() -> None:
    clock = FakeClock(1_000_000)
    headers = webhook.sign(b'{"a":1}', SECRET, clock=clock)
    assert headers[webhook.TIMESTAMP_HEADER] == "1000000"
    assert headers[webhook.SIGNATURE_HEADER].startswith("t=1000000,v1=")
    assert webhook.verify(b'{"a":1}', headers, SECRET, clock=clock) == 1_000_000


def test_signature_is_hmac_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"42.body", hashlib.sha256).hexdigest()
    assert webhook.signature_of(b"body", "k", 42) == expected


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda h, b: ({}, b), "missing"),
        (lambda h, b: ({webhook.SIGNATURE_HEADER: "v1=abc"}, b), "malformed"),
        (lambda h, b: ({**h, webhook.TIMESTAMP_HEADER: "1"}, b), "malformed"),
        (lambda h, b: (h, b + b" "), "mismatch"),
        (lambda h, b: (webhook.sign(b, "other-secret", timestamp=1_000_000), b), "mismatch"),
    ],
)
def test_verify_rejects(mutate, reason: str) -> None:
    clock = FakeClock(1_000_000)
    body = b'{"status":"completed"}'
    headers, body = mutate(webhook.sign(body, SECRET, clock=clock), body)
    with pytest.raises(webhook.SignatureError) as rejected:
        webhook.verify(body, headers, SECRET, clock=clock)
    assert rejected.value.reason == reason


def test_tolerance_is_five_minutes_either_way() -> None:
    clock = FakeClock(1_000_000)
    for offset, ok in ((300, True), (-300, True), (301, False), (-301, False)):
        headers = webhook.sign(b"x", SECRET, timestamp=int(clock()) + offset)
        if ok:
            webhook.verify(b"x", headers, SECRET, clock=clock)
        else:
            with pytest.raises(webhook.SignatureError, match="tolerance"):
                webhook.verify(b"x", headers, SECRET, clock=clock)


@pytest.fixture
def live_session(zenhire_sandbox: Sandbox, make_session) -> str:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    return str(session_id)


def _stored_artifacts(sandbox: Sandbox, session_id: str, name: str = "test") -> dict[str, str]:
    """Files staged for the session, where the interview backend stores them."""
    row = sandbox.state.sessions.row(session_id)
    assert row is not None
    base = f"{row['client_id']}/{session_id}/{name}"
    keys = {
        "recording_s3_key": f"recordings/{base}.wav",
        "transcript_s3_key": f"transcripts/{base}.json",
    }
    sandbox.state.artifacts.write_bytes(keys["recording_s3_key"], b"RIFF\0\0\0\0WAVEfmt ")
    sandbox.state.artifacts.write_json(keys["transcript_s3_key"], [])
    return keys


def _deliver(
    sandbox: Sandbox,
    session_id: str,
    payload: dict,
    *,
    secret: str | None = None,
    timestamp: int | None = None,
) -> httpx.Response:
    """Sign and post ``payload`` for ``session_id`` (which it names, unless it names one)."""
    body = json.dumps({"session_id": session_id, **payload}).encode()
    headers = webhook.sign(body, secret or sandbox.webhook_secret, timestamp=timestamp)
    return httpx.post(
        f"{sandbox.base_url}/sandbox/webhook/sessions/{session_id}",
        content=body,
        headers={**headers, "Content-Type": "application/json"},
    )


def _completed(sandbox: Sandbox, session_id: str, delivery_id: str = "wh_1") -> dict:
    return {
        "status": "completed",
        "duration_sec": 742,
        "delivery_id": delivery_id,
        "interview_svc_session_id": "ses_x",
        **_stored_artifacts(sandbox, session_id),
    }


def test_valid_delivery_completes_and_bills(
    zenhire_sandbox: Sandbox, http, live_session: str
) -> None:
    answer = _deliver(zenhire_sandbox, live_session, _completed(zenhire_sandbox, live_session))
    assert answer.status_code == 200 and answer.json() == {"status": "completed", "charged": 65}
    row = http.get(f"{API}/sessions/{live_session}").json()
    assert row["status"] == "completed" and row["credit_charged"] == 65
    assert http.get(f"{API}/sessions/{live_session}/transcript").json() == []


def test_forged_delivery_is_rejected(zenhire_sandbox: Sandbox, http, live_session: str) -> None:
    payload = _completed(zenhire_sandbox, live_session)
    forged = _deliver(zenhire_sandbox, live_session, payload, secret="guessed")
    assert assert_error(forged, 401, "INVALID_SIGNATURE")["details"]["reason"] == "mismatch"
    unsigned = httpx.post(
        f"{zenhire_sandbox.base_url}/sandbox/webhook/sessions/{live_session}",
        json={"session_id": live_session, **payload},
    )
    assert assert_error(unsigned, 401, "INVALID_SIGNATURE")["details"]["reason"] == "missing"
    assert http.get(f"{API}/sessions/{live_session}").json()["status"] == "active"


def test_stale_delivery_is_rejected(zenhire_sandbox: Sandbox, http, live_session: str) -> None:
    import time

    stale = _deliver(
        zenhire_sandbox,
        live_session,
        _completed(zenhire_sandbox, live_session),
        timestamp=int(time.time()) - 301,
    )
    assert assert_error(stale, 401, "INVALID_SIGNATURE")["details"]["reason"] == "stale"
    assert http.get(f"{API}/sessions/{live_session}").json()["status"] == "active"


def test_replayed_signature_is_rejected(zenhire_sandbox: Sandbox, live_session: str) -> None:
    body = json.dumps(
        {"session_id": live_session, "status": "failed", "delivery_id": "wh_r"}
    ).encode()
    headers = {
        **webhook.sign(body, zenhire_sandbox.webhook_secret),
        "Content-Type": "application/json",
    }
    url = f"{zenhire_sandbox.base_url}/sandbox/webhook/sessions/{live_session}"
    assert httpx.post(url, content=body, headers=headers).status_code == 200
    replay = httpx.post(url, content=body, headers=headers)
    assert assert_error(replay, 401, "INVALID_SIGNATURE")["details"]["reason"] == "replayed"


def test_duplicate_delivery_is_charged_once(
    zenhire_sandbox: Sandbox, http, live_session: str
) -> None:
    import time

    payload = _completed(zenhire_sandbox, live_session, delivery_id="wh_dup")
    now = int(time.time())
    first = _deliver(zenhire_sandbox, live_session, payload, timestamp=now)
    # The backend retries: same delivery, signed anew (a second later: a new signature).
    retry = _deliver(zenhire_sandbox, live_session, payload, timestamp=now + 1)
    other = _deliver(
        zenhire_sandbox,
        live_session,
        {**payload, "delivery_id": "wh_other", "duration_sec": 3000},
        timestamp=now + 2,
    )
    assert first.json() == {"status": "completed", "charged": 65}
    assert retry.status_code == 200 and retry.json() == {"status": "completed", "charged": 0}
    assert other.json() == {"status": "completed", "charged": 0}  # terminal: a no-op
    assert http.get("/api/v1/credits").json()["balance"] == 10_000 - 65
    assert http.get(f"{API}/sessions/{live_session}").json()["duration_sec"] == 742


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "done"}, "status"),
        (
            {"status": "completed", "recording_s3_key": "a", "transcript_s3_key": "b"},
            "duration_sec",
        ),
        ({"status": "completed", "duration_sec": -1}, "duration_sec"),
        (
            {
                "status": "completed",
                "duration_sec": 5,
                "recording_s3_key": "../../etc/passwd",
                "transcript_s3_key": "x",
            },
            "recording_s3_key",
        ),
        ({"status": "failed", "feedback": {"rating": 9}}, "feedback"),
    ],
)
def test_bad_payloads(
    zenhire_sandbox: Sandbox, live_session: str, payload: dict, field: str
) -> None:
    error = assert_error(_deliver(zenhire_sandbox, live_session, payload), 400, "INVALID_INPUT")
    assert field in error["details"]["fields"]


def test_unknown_session(zenhire_sandbox: Sandbox) -> None:
    answer = _deliver(zenhire_sandbox, "nope", {"status": "failed"})
    assert_error(answer, 404, "NOT_FOUND")


def _signed(sandbox: Sandbox, payload: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {**webhook.sign(body, sandbox.webhook_secret), "Content-Type": "application/json"}


def _url(sandbox: Sandbox, session_id: str) -> str:
    return f"{sandbox.base_url}/sandbox/webhook/sessions/{session_id}"


def test_another_sessions_artifacts_are_refused(zenhire_sandbox: Sandbox) -> None:
    """Tenant A's recording cannot complete tenant B's session, even in a validly signed
    delivery: the artifacts must be staged for the session posted for."""
    tenants = [zenhire_sandbox.new_tenant(), zenhire_sandbox.new_tenant()]
    sessions = []
    for tenant in tenants:
        with tenant.http() as http:
            persona = http.post(f"{API}/personas", json={"role_name": "QA", "language": "en"})
            created = http.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator"},
            )
            sessions.append(created.json()["id"])
            zenhire_sandbox.admin.start(sessions[-1])
    theirs, mine = sessions
    zenhire_sandbox.admin.complete(theirs, duration_sec=3)
    with tenants[0].http() as http:
        stolen = http.get(f"{API}/sessions/{theirs}").json()
    payload = {
        "status": "completed",
        "duration_sec": 3,
        "recording_s3_key": stolen["recording_s3_key"],
        "transcript_s3_key": stolen["transcript_s3_key"],
        "delivery_id": "wh_stolen",
    }
    answer = _deliver(zenhire_sandbox, mine, payload)
    fields = assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
    assert "recording_s3_key" in fields
    with tenants[1].http() as http:
        assert http.get(f"{API}/sessions/{mine}").json()["status"] == "active"
        assert_error(http.get(f"{API}/sessions/{mine}/recording"), 409, "ARTIFACT_NOT_READY")


def test_a_delivery_names_its_session(zenhire_sandbox: Sandbox, make_session) -> None:
    first, second = make_session()["id"], make_session()["id"]
    for session_id in (first, second):
        zenhire_sandbox.admin.start(session_id)
    # Signed for the first session, posted for the second (or naming none at all).
    for payload in ({"session_id": first, "status": "failed"}, {"status": "failed"}):
        body, headers = _signed(zenhire_sandbox, payload)
        answer = httpx.post(_url(zenhire_sandbox, second), content=body, headers=headers)
        assert "session_id" in assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
    assert zenhire_sandbox.state.sessions.row(second)["status"] == "active"


def test_duration_is_capped_at_the_budget(
    zenhire_sandbox: Sandbox, http, live_session: str
) -> None:
    payload = {**_completed(zenhire_sandbox, live_session, "wh_budget"), "duration_sec": 10**12}
    answer = _deliver(zenhire_sandbox, live_session, payload)
    assert "duration_sec" in assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
    at_budget = {**payload, "duration_sec": Limits.MAX_INTERVIEW_SEC}
    accepted = _deliver(zenhire_sandbox, live_session, at_budget)
    assert accepted.json()["charged"] == 450, accepted.text
    assert http.get("/api/v1/credits").json()["balance"] == 10_000 - 450


def test_a_rejected_delivery_does_not_use_up_its_signature(
    zenhire_sandbox: Sandbox, live_session: str
) -> None:
    body, headers = _signed(zenhire_sandbox, {"session_id": live_session, "status": "failed"})
    refused = httpx.post(_url(zenhire_sandbox, "no-such-session"), content=body, headers=headers)
    assert_error(refused, 404, "NOT_FOUND")
    accepted = httpx.post(_url(zenhire_sandbox, live_session), content=body, headers=headers)
    assert accepted.status_code == 200 and accepted.json()["status"] == "failed"


def test_signature_case_does_not_make_a_new_signature(
    zenhire_sandbox: Sandbox, make_session
) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    body, headers = _signed(zenhire_sandbox, {"session_id": session_id, "status": "failed"})
    timestamp, _, digest = headers[webhook.SIGNATURE_HEADER].partition(",v1=")
    upper = {**headers, webhook.SIGNATURE_HEADER: f"{timestamp},v1={digest.upper()}"}
    first = httpx.post(_url(zenhire_sandbox, session_id), content=body, headers=upper)
    assert first.status_code == 200, first.text  # compared without regard to case
    for variant in (
        headers,
        {**headers, webhook.SIGNATURE_HEADER: f"{timestamp},v1=00,v1={digest}"},
    ):
        replay = httpx.post(_url(zenhire_sandbox, session_id), content=body, headers=variant)
        assert assert_error(replay, 401, "INVALID_SIGNATURE")["details"]["reason"] == "replayed"
