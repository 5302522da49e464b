"""The completion webhook: signing and verifying, and the receiver over real HTTP (valid,
forged, stale, replayed, duplicate delivery charged once)."""

from __future__ import annotations

import json

import httpx
import pytest

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
