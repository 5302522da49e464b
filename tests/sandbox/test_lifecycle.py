"""initiated -> active -> completed/failed, driven through the admin namespace and the
candidate link; artifacts before and after completion; billing on completion only."""

from __future__ import annotations

import io
import json
import wave

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox, SandboxAdminError
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error, token_of


def _wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x01\x00" * int(seconds * rate))
    return buffer.getvalue()


def _status(http: httpx.Client, session_id: str) -> dict:
    return dict(http.get(f"{API}/sessions/{session_id}").json())


def test_explicit_consent_is_honoured(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session = make_session(consent_mode="explicit")
    with pytest.raises(SandboxAdminError) as refused:
        zenhire_sandbox.admin.start(session["id"])
    assert refused.value.code == "CONSENT_REQUIRED" and refused.value.status == 400
    with pytest.raises(SandboxAdminError):
        zenhire_sandbox.admin.start(session["id"], consent=False)
    assert _status(http, session["id"])["status"] == "initiated"
    started = zenhire_sandbox.admin.start(session["id"], consent=True)
    assert started["status"] == "active"
    again = zenhire_sandbox.admin.start(session["id"], consent=True)  # a reload
    assert again["started_at"] == started["started_at"]
    row = _status(http, session["id"])
    assert row["status"] == "active" and row["started_at"] == started["started_at"]


def test_integrator_mode_needs_no_consent(zenhire_sandbox: Sandbox, make_session) -> None:
    session = make_session(consent_mode="integrator")
    assert zenhire_sandbox.admin.start(session["id"])["status"] == "active"


def test_candidate_link_starts_once_and_never_after_the_end(
    zenhire_sandbox: Sandbox, http, make_session
) -> None:
    session = make_session(consent_mode="explicit")
    link = session["candidate_link"]
    assert link.startswith(zenhire_sandbox.base_url + "/candidate#t=")
    token = token_of(link)
    assert len(token) >= 43  # 32 random bytes, base64url
    info = httpx.post(
        zenhire_sandbox.base_url + "/sandbox/candidate/session", json={"token": token}
    ).json()
    assert info["consent_mode"] == "explicit" and info["role_name"] == "Data Analyst"
    assert zenhire_sandbox.admin.candidate_start(token, consent=True)["status"] == "active"
    assert zenhire_sandbox.admin.candidate_start(token, consent=True)["status"] == "active"
    zenhire_sandbox.admin.complete(session["id"], duration_sec=60)
    with pytest.raises(SandboxAdminError) as ended:
        zenhire_sandbox.admin.candidate_start(token, consent=True)
    assert ended.value.code == "SESSION_TERMINAL" and ended.value.status == 409
    with pytest.raises(SandboxAdminError) as unknown:
        zenhire_sandbox.admin.candidate_start(token + "x", consent=True)
    assert unknown.value.status == 404


def test_token_is_stored_only_as_a_hash(zenhire_sandbox: Sandbox, make_session) -> None:
    token = token_of(make_session()["candidate_link"])
    dump = repr([tuple(r) for r in zenhire_sandbox.state.db.all("SELECT * FROM sessions")])
    assert token not in dump


def test_link_expires_after_seven_days(clocked_sandbox) -> None:
    sandbox, clock = clocked_sandbox
    with sandbox.default_tenant.http() as http:
        persona = http.post(f"{API}/personas", json={"role_name": "A", "language": "en"})
        made = http.post(
            f"{API}/personas/{persona.json()['id']}/sessions", json={"consent_mode": "integrator"}
        ).json()
        assert made["expires_in"] == 604_800
        clock.advance(604_800 + 1)
        with pytest.raises(SandboxAdminError) as expired:
            sandbox.admin.candidate_start(token_of(made["candidate_link"]))
        assert expired.value.code == "LINK_EXPIRED" and expired.value.status == 410
        assert http.get(f"{API}/sessions/{made['id']}").json()["status"] == "initiated"


def test_artifacts_not_ready_until_completed(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    for expected in ("initiated", "active"):
        for artifact in ("recording", "transcript"):
            error = assert_error(
                http.get(f"{API}/sessions/{session_id}/{artifact}"), 409, "ARTIFACT_NOT_READY"
            )
            assert error["details"] == {"status": expected}
        if expected == "initiated":
            zenhire_sandbox.admin.start(session_id)
    with pytest.raises(SandboxAdminError):
        zenhire_sandbox.admin.start(session_id + "0")


def test_complete_with_given_artifacts(
    zenhire_sandbox: Sandbox, http, zenhire_tenant, make_session
) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    recording = _wav_bytes(1.5)
    transcript = {"turns": [{"role": "assistant", "content": "Hi", "start_ms": 0}]}
    done = zenhire_sandbox.admin.complete(
        session_id,
        duration_sec=742,
        transcript=transcript,
        recording=recording,
        feedback={"rating": 4, "comment": "nice"},
    )
    assert done == {"status": "completed", "charged": 65}  # ceil(742 / 60) * 5
    row = _status(http, session_id)
    assert row["status"] == "completed" and row["duration_sec"] == 742
    assert row["credit_charged"] == 65 and row["error_code"] is None
    assert row["feedback"] == {"rating": 4, "negative": False, "comment": "nice"}
    assert row["persona"]["role_name"] == "Data Analyst"
    assert row["interview_svc_session_id"].startswith("ses_")
    assert row["recording_s3_key"] and row["transcript_s3_key"]
    wav = http.get(f"{API}/sessions/{session_id}/recording")
    assert wav.headers["content-type"] == "audio/wav" and wav.content == recording
    assert wav.headers["content-length"] == str(len(recording))
    served = http.get(f"{API}/sessions/{session_id}/transcript")
    assert served.headers["content-type"] == "application/json"
    assert served.json() == transcript
    assert http.get("/api/v1/credits").json()["balance"] == 10_000 - 65
    ledger = zenhire_sandbox.admin.ledger(zenhire_tenant.client_id)
    assert ledger["entries"][-1]["delta"] == -65
    assert ledger["entries"][-1]["session_id"] == session_id


def test_complete_generates_missing_artifacts(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    assert zenhire_sandbox.admin.complete(session_id, duration_sec=3)["charged"] == 5
    wav = http.get(f"{API}/sessions/{session_id}/recording").content
    with wave.open(io.BytesIO(wav)) as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (
            16_000,
            1,
            2,
        )
        assert reader.getnframes() == 3 * 16_000
    turns = http.get(f"{API}/sessions/{session_id}/transcript").json()
    assert {t["speaker"] for t in turns} == {"interviewer", "candidate"}
    assert all(0 <= t["start"] < t["end"] <= 3 for t in turns)
    assert _status(http, session_id)["feedback"] is None


def test_complete_twice_charges_once(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    assert zenhire_sandbox.admin.complete(session_id, duration_sec=61)["charged"] == 10
    again = zenhire_sandbox.admin.complete(session_id, duration_sec=600)
    assert again == {"status": "completed", "charged": 0}
    assert _status(http, session_id)["duration_sec"] == 61


def test_complete_needs_a_started_session(zenhire_sandbox: Sandbox, make_session) -> None:
    with pytest.raises(SandboxAdminError) as refused:
        zenhire_sandbox.admin.complete(make_session()["id"], duration_sec=10)
    assert refused.value.code == "SESSION_NOT_STARTED"


def test_fail_and_timeout_charge_nothing(zenhire_sandbox: Sandbox, http, make_session) -> None:
    failed, timed_out = make_session()["id"], make_session()["id"]
    for session_id in (failed, timed_out):
        zenhire_sandbox.admin.start(session_id)
    assert zenhire_sandbox.admin.fail(failed, error_code="CANDIDATE_LEFT") == {
        "status": "failed",
        "charged": 0,
    }
    assert zenhire_sandbox.admin.timeout(timed_out) == {"status": "failed", "charged": 0}
    assert _status(http, failed)["error_code"] == "CANDIDATE_LEFT"
    row = _status(http, timed_out)
    assert row["error_code"] == "SESSION_TIMEOUT" and row["credit_charged"] == 0
    assert http.get("/api/v1/credits").json()["balance"] == 10_000
    error = assert_error(http.get(f"{API}/sessions/{failed}/recording"), 409, "ARTIFACT_NOT_READY")
    assert error["details"] == {"status": "failed"}
    assert zenhire_sandbox.admin.complete(failed, duration_sec=5)["charged"] == 0


def test_bad_recordings_are_refused_and_nothing_is_lost(
    zenhire_sandbox: Sandbox, http, make_session
) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    with pytest.raises(SandboxAdminError) as not_wav:
        zenhire_sandbox.admin.complete(session_id, duration_sec=5, recording=b"MP3 data" * 4)
    assert not_wav.value.code == "INVALID_INPUT"
    with pytest.raises(SandboxAdminError):
        zenhire_sandbox.admin.stage_recording(session_id, b"not a wav file at all")
    staged_dir = zenhire_sandbox.state.artifacts.root / "staging"
    assert not list(staged_dir.glob("*")) if staged_dir.exists() else True
    assert _status(http, session_id)["status"] == "active"


def test_staged_recording_is_used(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    recording = _wav_bytes(2.0)
    assert zenhire_sandbox.admin.stage_recording(
        session_id, iter([recording[:10], recording[10:]])
    ) == len(recording)
    zenhire_sandbox.admin.complete(session_id, duration_sec=2)
    assert http.get(f"{API}/sessions/{session_id}/recording").content == recording
    assert not (zenhire_sandbox.state.artifacts.root / "staging" / f"{session_id}.wav").exists()


def test_admin_404s(zenhire_sandbox: Sandbox) -> None:
    for call in (
        lambda: zenhire_sandbox.admin.fail("nope"),
        lambda: zenhire_sandbox.admin.ledger("nope"),
        lambda: zenhire_sandbox.admin.update_client("nope", active=False),
    ):
        with pytest.raises(SandboxAdminError) as missing:
            call()
        assert missing.value.status == 404


def test_transcript_is_served_as_stored(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    document = [{"speaker": "interviewer", "text": "Grüß Gott", "start": 0.0, "end": 1.0}]
    zenhire_sandbox.admin.complete(session_id, duration_sec=1, transcript=document)
    raw = http.get(f"{API}/sessions/{session_id}/transcript").content
    assert json.loads(raw) == document
