"""``POST /sandbox/sessions/{id}/simulate`` over real HTTP: a completed session with a real
speech recording and a transcript; outcomes; errors; reproducibility."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from zenhire_nb.client import errors as e
from zenhire_nb.sandbox import Sandbox, SandboxAdminError

from .conftest import SHORT, new_session


def _audio(wav: bytes) -> tuple[np.ndarray, int]:
    """16-bit PCM samples as float32 (frames x channels); the stdlib reader is enough for the
    sandbox's own well-formed files and keeps this check independent of the frames reader."""
    with wave.open(io.BytesIO(wav)) as reader:
        assert reader.getsampwidth() == 2
        rate, channels = reader.getframerate(), reader.getnchannels()
        raw = reader.readframes(reader.getnframes())
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    return samples.reshape(-1, channels), rate


def test_simulate_completes_with_speech_recording(
    sandbox: Sandbox, client: Any, make_session: Callable[..., str]
) -> None:
    session_id = make_session(consent_mode="explicit")  # still initiated: simulate starts it
    answer = sandbox.admin.simulate(session_id, seed=1, target_minutes=SHORT)
    assert answer["status"] == answer["outcome"] == "completed"
    assert answer["charged"] == 5  # 20-odd seconds: one started minute at 5 credits
    summary = client.sessions.get(session_id)
    assert summary.status == "completed" and summary.started_at is not None
    assert summary.duration_sec == answer["duration_sec"] >= 10
    samples, rate = _audio(client.sessions.recording(session_id))
    assert (rate, samples.shape[1]) == (16000, 1)
    assert abs(len(samples) / rate - summary.duration_sec) <= 1.0
    rms = float(np.sqrt(np.mean(samples[:, 0] ** 2)))
    assert rms > 0.01  # speech, not silence or a faint tone
    frames = samples[: len(samples) // 400 * 400, 0].reshape(-1, 400)
    loud = np.sqrt((frames**2).mean(axis=1)) > 0.02
    assert 0.3 < loud.mean() < 0.95  # talking with pauses between turns


def test_transcript_turns_match_the_audio(
    sandbox: Sandbox, client: Any, make_session: Callable[..., str]
) -> None:
    session_id = make_session()
    sandbox.admin.simulate(session_id, seed=2, target_minutes=SHORT)
    transcript = client.sessions.transcript(session_id)
    assert isinstance(transcript, list) and len(transcript) >= 3  # the sandbox default shape
    assert {turn["speaker"] for turn in transcript} == {"interviewer", "candidate"}
    samples, rate = _audio(client.sessions.recording(session_id))
    for turn in transcript:
        assert 0 <= turn["start"] < turn["end"] <= len(samples) / rate + 0.3
        voiced = samples[int(turn["start"] * rate) : int(turn["end"] * rate), 0]
        assert float(np.abs(voiced).max()) > 0.05, turn


def test_stereo_and_other_rate(
    sandbox: Sandbox, client: Any, make_session: Callable[..., str]
) -> None:
    session_id = make_session()
    sandbox.admin.simulate(session_id, seed=3, target_minutes=SHORT, channels=2, sample_rate=24000)
    samples, rate = _audio(client.sessions.recording(session_id))
    assert (rate, samples.shape[1]) == (24000, 2)
    assert sandbox.admin.ground_truth(session_id)["channels"] == 2


@pytest.mark.parametrize(
    "outcome, error_code", [("failed", "CANDIDATE_DISCONNECTED"), ("timeout", "SESSION_TIMEOUT")]
)
def test_forced_failures_go_through_the_webhook(
    sandbox: Sandbox, client: Any, make_session: Callable[..., str], outcome: str, error_code: str
) -> None:
    session_id = make_session()
    answer = sandbox.admin.simulate(session_id, outcome=outcome)
    assert (answer["status"], answer["charged"], answer["error_code"]) == ("failed", 0, error_code)
    summary = client.sessions.get(session_id)
    assert summary.status == "failed" and summary.credit_charged == 0
    assert summary.error_code == error_code
    if outcome == "timeout":
        assert summary.duration_sec == 90 * 60
    with pytest.raises(e.ArtifactNotReadyError):
        client.sessions.recording(session_id)
    assert sandbox.admin.ground_truth(session_id)["outcome"] == outcome


def test_failure_rates_come_from_the_sandbox_defaults() -> None:
    with Sandbox(failure_rate=0.5, timeout_rate=0.5) as sb, sb.client() as c:
        answers = [sb.admin.simulate(new_session(c))["outcome"] for _ in range(4)]
    assert set(answers) <= {"failed", "timeout"} and answers


def test_feedback_reaches_the_session(
    sandbox: Sandbox, client: Any, make_session: Callable[..., str]
) -> None:
    session_id = make_session()
    sandbox.admin.simulate(session_id, seed=4, target_minutes=SHORT, feedback_rate=1.0)
    feedback = client.sessions.get(session_id).feedback
    assert feedback is not None and 1 <= feedback.rating <= 5
    assert feedback.negative == (feedback.rating <= 2)


def test_profile_option_changes_the_candidate(
    sandbox: Sandbox, make_session: Callable[..., str]
) -> None:
    fast, slow = make_session(), make_session()
    sandbox.admin.simulate(
        fast, seed=9, target_minutes=SHORT, profile={"mean_rate_wpm": 220, "rate_spread_wpm": 1}
    )
    sandbox.admin.simulate(
        slow, seed=9, target_minutes=SHORT, profile={"mean_rate_wpm": 110, "rate_spread_wpm": 1}
    )
    rates = [sandbox.admin.ground_truth(s)["candidate"]["rate_wpm"] for s in (fast, slow)]
    assert rates[0] > 200 > 120 > rates[1]


def test_errors_name_the_problem(sandbox: Sandbox, make_session: Callable[..., str]) -> None:
    session_id = make_session()
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.simulate(session_id, mistake_rate=2)
    assert info.value.status == 400 and "mistake_rate" in info.value.details["fields"]
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.simulate(session_id, profile={"shoe_size": 3})
    assert "profile" in info.value.details["fields"]
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.simulate(session_id, transcript_shape="xml")
    assert "transcript_shape" in info.value.details["fields"]
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.simulate("no-such-session")
    assert (info.value.status, info.value.code) == (404, "NOT_FOUND")
    sandbox.admin.simulate(session_id, target_minutes=SHORT)
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.simulate(session_id)
    assert (info.value.status, info.value.code) == (409, "SESSION_TERMINAL")
    assert info.value.details == {"status": "completed"}


def test_same_seed_same_interview() -> None:
    documents = []
    for _ in range(2):
        with Sandbox(seed=3) as sb, sb.client() as c:
            first = new_session(c)
            sb.admin.simulate(first, target_minutes=SHORT)  # seed from the sandbox seed
            second = new_session(c)
            sb.admin.simulate(second, seed="fixed", target_minutes=SHORT)
            documents.append(
                [(c.sessions.transcript(s), c.sessions.recording(s)) for s in (first, second)]
            )
    assert documents[0] == documents[1]
    assert documents[0][0] != documents[0][1]


def test_simulated_backend_as_the_default_backend() -> None:
    from zenhire_nb.sandbox import SimulatedBackend, SimulationSettings

    backend = SimulatedBackend(SimulationSettings(transcript_shape="messages"), seed=4)
    with Sandbox(backend=backend) as sb, sb.client() as client:
        session_id = new_session(client)
        sb.admin.start(session_id)
        sb.admin.complete(session_id, duration_sec=20)  # the length asked for, roughly
        samples, _ = _audio(client.sessions.recording(session_id))
        assert float(np.sqrt(np.mean(samples**2))) > 0.01
        assert list(client.sessions.transcript(session_id)) == ["messages"]
        assert 10 <= client.sessions.get(session_id).duration_sec <= 40
