"""The candidate page's HTTP API against a real sandbox: verify, consent, turns, answers, end."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
import pytest

from zenhire_nb.contract.limits import credits_for
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.candidate_page import MICROPHONE_TEXT, configure_candidate_page
from zenhire_nb.sandbox.simulation.interview.tts import synthesize
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import FakeClock, assert_error

C = "/sandbox/candidate"


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return buffer.getvalue()


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), "<i2"), wav.getframerate()


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0


def artifacts(sandbox: Sandbox, session_id: str) -> tuple[list[dict[str, Any]], bytes]:
    with sandbox.default_tenant.http(timeout=60) as http:
        transcript = http.get(f"{API}/sessions/{session_id}/transcript")
        recording = http.get(f"{API}/sessions/{session_id}/recording")
    assert transcript.status_code == 200 and recording.status_code == 200
    return transcript.json(), recording.content


def test_page_and_static_files(candidate_http: httpx.Client) -> None:
    page = candidate_http.get("/candidate")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    for name in ("candidate.js", "candidate.css", "recorder-worklet.js"):
        assert candidate_http.get(f"/candidate/static/{name}").status_code == 200
    assert_error(candidate_http.get("/candidate/static/..%2Fapp.py"), 404, "NOT_FOUND")
    script = candidate_http.get("/candidate/static/candidate.js").text
    assert "X-Candidate-Token" in script and "?t=" not in script


def test_unknown_token(candidate_http: httpx.Client) -> None:
    assert_error(candidate_http.post(f"{C}/verify", json={"token": "nope"}), 404, "NOT_FOUND")
    assert_error(candidate_http.post(f"{C}/begin", json={}), 404, "NOT_FOUND")
    assert_error(
        candidate_http.get(f"{C}/turn", headers={"X-Candidate-Token": "x"}), 404, "NOT_FOUND"
    )


def test_verify_pages_and_no_token(
    candidate_http: httpx.Client, new_link: Callable[..., Any]
) -> None:
    explicit, integrator = new_link(), new_link(consent_mode="integrator")
    answer = candidate_http.post(f"{C}/verify", json={"token": explicit.token})
    assert answer.json()["page"] == "consent" and explicit.token not in answer.text
    assert answer.json()["role_name"] == "Data Analyst"
    page = candidate_http.post(f"{C}/verify", json={"token": integrator.token}).json()["page"]
    assert page == "start"


def test_decline_leaves_session_initiated(
    candidate_http: httpx.Client,
    page_sandbox: Sandbox,
    new_link: Callable[..., Any],
    read_session: Callable[..., Any],
) -> None:
    link = new_link()
    refused = candidate_http.post(f"{C}/begin", json={"consent": False}, headers=link.headers)
    assert_error(refused, 400, "CONSENT_REQUIRED")
    declined = candidate_http.post(f"{C}/decline", headers=link.headers)
    assert declined.json()["status"] == "initiated"
    session = read_session(page_sandbox, link.session_id)
    assert session["status"] == "initiated" and session["started_at"] is None


def test_simulated_interview_completes_through_webhook(
    candidate_http: httpx.Client,
    page_sandbox: Sandbox,
    new_link: Callable[..., Any],
    read_session: Callable[..., Any],
) -> None:
    link = new_link(consent_mode="integrator")
    started = candidate_http.post(f"{C}/begin", json={}, headers=link.headers).json()
    assert started["status"] == "active" and started["turn"]["index"] == 0
    total = started["turn"]["total"]
    assert total == 4  # opening, two questions, closing
    audio = candidate_http.get(f"{C}/turn-audio", params={"index": 0}, headers=link.headers)
    samples, rate = read_wav(audio.content)
    assert rate == 16000 and len(samples) > rate and rms(samples) > 500
    assert_error(
        candidate_http.get(f"{C}/turn-audio", params={"index": 1}, headers=link.headers),
        400,
        "INVALID_INPUT",
    )
    stale = candidate_http.post(f"{C}/simulate-answer", json={"index": 2}, headers=link.headers)
    assert assert_error(stale, 409, "TURN_MISMATCH")["details"] == {"current": 0}
    for index in range(total - 1):
        turn = candidate_http.post(
            f"{C}/simulate-answer", json={"index": index}, headers=link.headers
        ).json()
        assert turn["index"] == index + 1
    assert turn["closing"] is True
    again = candidate_http.post(f"{C}/begin", json={}, headers=link.headers).json()
    assert again["turn"] == turn  # a reload resumes where the interview is
    assert_error(
        candidate_http.post(
            f"{C}/simulate-answer", json={"index": total - 1}, headers=link.headers
        ),
        409,
        "TURN_MISMATCH",
    )
    ended = candidate_http.post(f"{C}/end", headers=link.headers).json()
    assert ended == {"session_id": link.session_id, "status": "completed"}
    assert candidate_http.post(f"{C}/end", headers=link.headers).json()["status"] == "completed"
    assert not (page_sandbox.state.artifacts.root / "live" / link.session_id).exists()
    session = read_session(page_sandbox, link.session_id)
    assert session["status"] == "completed"
    assert session["credit_charged"] == credits_for(session["duration_sec"]) > 0
    transcript, recording = artifacts(page_sandbox, link.session_id)
    assert [t["speaker"] for t in transcript] == ["interviewer", "candidate"] * 3 + ["interviewer"]
    samples, rate = read_wav(recording)
    assert abs(len(samples) / rate - session["duration_sec"]) <= 0.5
    for earlier, later in zip(transcript[:-1], transcript[1:], strict=True):
        assert earlier["start"] < earlier["end"] < later["start"]
    for turn_ in transcript:  # speech inside every turn, silence just before it
        inside = samples[int(turn_["start"] * rate) : int(turn_["end"] * rate)]
        before = samples[int((turn_["start"] - 0.25) * rate) : int((turn_["start"] - 0.05) * rate)]
        assert rms(inside) > 500 and rms(before) < 50


def test_terminal_link_starts_nothing(
    candidate_http: httpx.Client, page_sandbox: Sandbox, new_link: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    page_sandbox.admin.start(link.session_id)
    page_sandbox.admin.fail(link.session_id)
    verify = candidate_http.post(f"{C}/verify", json={"token": link.token}).json()
    assert verify["page"] == "ended" and verify["status"] == "failed"
    assert_error(
        candidate_http.post(f"{C}/begin", json={}, headers=link.headers), 409, "SESSION_TERMINAL"
    )
    assert_error(candidate_http.get(f"{C}/turn", headers=link.headers), 409, "SESSION_TERMINAL")


def test_expired_link() -> None:
    clock = FakeClock()
    with Sandbox(clock=clock) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        with sandbox.default_tenant.http() as api:
            persona = api.post(f"{API}/personas", json={"role_name": "Cook", "language": "en"})
            created = api.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator"},
            ).json()
        token = created["candidate_link"].partition("#t=")[2]
        clock.advance(604_800 + 1)
        assert http.post(f"{C}/verify", json={"token": token}).json()["page"] == "expired"
        assert_error(
            http.post(f"{C}/begin", json={}, headers={"X-Candidate-Token": token}),
            410,
            "LINK_EXPIRED",
        )


def test_microphone_answer_lands_in_recording(
    candidate_http: httpx.Client, page_sandbox: Sandbox, new_link: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    candidate_http.post(f"{C}/begin", json={}, headers=link.headers)
    speech = synthesize("This is my own answer, recorded by the microphone.", voice="en-us")
    loud = np.repeat(speech.samples[:, None], 2, axis=1)  # stereo at 22050 Hz
    upload = wav_bytes(loud, speech.sample_rate, channels=2)
    turn = candidate_http.post(
        f"{C}/answer",
        params={"index": 0},
        content=upload,
        headers={**link.headers, "Content-Type": "audio/wav"},
    )
    assert turn.status_code == 200, turn.text
    assert turn.json()["index"] == 1
    candidate_http.post(f"{C}/end", headers=link.headers)
    transcript, recording = artifacts(page_sandbox, link.session_id)
    answer = transcript[1]
    assert answer == {**answer, "speaker": "candidate", "text": MICROPHONE_TEXT}
    assert answer["end"] - answer["start"] == pytest.approx(speech.duration_sec, abs=0.02)
    samples, rate = read_wav(recording)
    segment = samples[int(answer["start"] * rate) : int(answer["end"] * rate)]
    assert rms(segment) == pytest.approx(rms(speech.samples), rel=0.1)


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"not a wav at all", "not a RIFF/WAVE file"),
        (wav_bytes(np.zeros(3000, "<i4"), 16000, width=4), "expected 16-bit PCM"),
        (wav_bytes(np.zeros(0, "<i2"), 16000), "holds no audio"),
    ],
)
def test_bad_upload_is_refused_and_changes_nothing(
    body: bytes, problem: str, candidate_http: httpx.Client, new_link: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    candidate_http.post(f"{C}/begin", json={}, headers=link.headers)
    refused = candidate_http.post(
        f"{C}/answer", params={"index": 0}, content=body, headers=link.headers
    )
    error = assert_error(refused, 400, "INVALID_INPUT")
    assert problem in error["details"]["fields"]["body"]
    assert link.session_id in error["details"]["fields"]["body"]
    assert candidate_http.get(f"{C}/turn", headers=link.headers).json()["index"] == 0


def test_truncated_upload_uses_the_audio_present(
    candidate_http: httpx.Client, new_link: Callable[..., Any]
) -> None:
    link = new_link(consent_mode="integrator")
    candidate_http.post(f"{C}/begin", json={}, headers=link.headers)
    whole = wav_bytes((np.sin(np.arange(16000) / 5) * 8000).astype("<i2"), 16000)
    cut = whole[: 44 + 2 * 8000]  # the header still claims one second
    turn = candidate_http.post(
        f"{C}/answer", params={"index": 0}, content=cut, headers=link.headers
    )
    assert turn.status_code == 200, turn.text
    assert turn.json()["index"] == 1


def test_transcript_follows_the_sandbox_shape() -> None:
    with (
        Sandbox(
            transcript_shape="utterances", plugins=[configure_candidate_page(questions=0)]
        ) as sandbox,
        httpx.Client(base_url=sandbox.base_url, timeout=60) as http,
    ):
        with sandbox.default_tenant.http() as api:
            persona = api.post(f"{API}/personas", json={"role_name": "Cook", "language": "en"})
            created = api.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator"},
            ).json()
        headers = {"X-Candidate-Token": created["candidate_link"].partition("#t=")[2]}
        assert http.post(f"{C}/begin", json={}, headers=headers).json()["turn"]["total"] == 2
        http.post(f"{C}/simulate-answer", json={"index": 0}, headers=headers)
        assert http.post(f"{C}/end", headers=headers).json()["status"] == "completed"
        document, _ = artifacts(sandbox, created["id"])
    assert [u["role"] for u in document["utterances"]] == ["assistant", "user", "assistant"]
