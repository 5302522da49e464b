"""Two completions of one session at once: one wins, and what is served is all from the winner.

Each round fires two requests at the same active session from two threads released together,
over real HTTP, and then checks the session as a client would see it: exactly one charge, a
served recording and transcript (and, for simulations, ground truth) from the same run, and no
files left in the artifact folder beyond the accepted ones.
"""

from __future__ import annotations

import dataclasses
import io
import threading
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from zenhire_nb.contract.limits import credits_for
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.api.errors import ApiError
from zenhire_nb.sandbox.core.backend import (
    CompletionRequest,
    InterviewResult,
    PlaceholderBackend,
    SessionContext,
)
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import token_of

ROUNDS = 12  # placeholder completions: cheap, so race many times
SIMULATED_ROUNDS = 3  # each round synthesizes two short interviews (seconds of eSpeak)
SHORT = 0.2  # minutes of simulated interview


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    # A sandbox of its own: the artifact folder holds only this module's sessions.
    with Sandbox(seed=11) as sb:
        yield sb


@pytest.fixture(scope="module")
def admin(sandbox: Sandbox) -> Iterator[httpx.Client]:
    headers = {"X-Sandbox-Admin-Token": sandbox.admin_token}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=120) as http:
        yield http


@pytest.fixture(scope="module")
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sandbox.base_url, headers={"X-API-Key": sandbox.api_key}, timeout=60
    ) as http:
        yield http


@pytest.fixture(scope="module")
def persona(api: httpx.Client) -> str:
    response = api.post(f"{API}/personas", json={"role_name": "Data Analyst", "language": "en"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def new_active_session(api: httpx.Client, admin: httpx.Client, persona: str) -> str:
    response = api.post(f"{API}/personas/{persona}/sessions", json={"consent_mode": "integrator"})
    assert response.status_code == 201, response.text
    session_id = str(response.json()["id"])
    started = admin.post(f"/sandbox/sessions/{session_id}/start", json={})
    assert started.status_code == 200, started.text
    return session_id


def race(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run ``calls`` on threads released at the same instant; their responses, in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[httpx.Response | BaseException | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = calls[index]()
        except BaseException as exc:  # surfaced below, in the test's thread
            answers[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for answer in answers:
        if not isinstance(answer, httpx.Response):
            raise AssertionError(f"a racing request did not answer: {answer!r}")
    return [a for a in answers if isinstance(a, httpx.Response)]


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as reader:
        return reader.getnframes() / reader.getframerate()


def served(api: httpx.Client, session_id: str) -> tuple[dict[str, Any], Any, float]:
    """The session, its transcript document and its recording's length in seconds."""
    summary = api.get(f"{API}/sessions/{session_id}")
    transcript = api.get(f"{API}/sessions/{session_id}/transcript")
    recording = api.get(f"{API}/sessions/{session_id}/recording")
    for response in (summary, transcript, recording):
        assert response.status_code == 200, response.text
    return summary.json(), transcript.json(), wav_seconds(recording.content)


def charges_of(admin: httpx.Client, sandbox: Sandbox, session_id: str) -> list[int]:
    ledger = admin.get(f"/sandbox/clients/{sandbox.client_id}/ledger")
    assert ledger.status_code == 200, ledger.text
    return [e["delta"] for e in ledger.json()["entries"] if e["session_id"] == session_id]


def session_files(sandbox: Sandbox, session_id: str) -> set[str]:
    """Every file in the artifact folder that belongs to ``session_id`` (keys, relative)."""
    root = sandbox.state.artifacts.root
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and session_id in path.relative_to(root).as_posix()
    }


def assert_no_scratch_left(sandbox: Sandbox) -> None:
    root = sandbox.state.artifacts.root
    leftovers = [
        p
        for p in root.rglob("*")
        if p.is_file() and ("scratch" in p.parts or p.name.endswith(".part"))
    ]
    assert leftovers == []


def row_keys(sandbox: Sandbox, session_id: str) -> set[str]:
    row = sandbox.state.sessions.row(session_id)
    assert row is not None
    return {row["recording_s3_key"], row["transcript_s3_key"]}


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_completions_at_once_serve_one_run(
    sandbox: Sandbox, admin: httpx.Client, api: httpx.Client, persona: str, round_: int
) -> None:
    session_id = new_active_session(api, admin, persona)
    durations = (30, 150)  # one and three minutes: the charge tells which run won
    answers = race(
        [
            lambda d=d: admin.post(
                f"/sandbox/sessions/{session_id}/complete",  # type: ignore[misc]
                json={"duration_sec": d},
            )
            for d in durations
        ]
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    charged = sorted(a.json()["charged"] for a in answers)
    assert charged[0] == 0 and charged[1] in {credits_for(d) for d in durations}

    summary, transcript, recording_sec = served(api, session_id)
    assert summary["status"] == "completed"
    duration = summary["duration_sec"]
    assert charges_of(admin, sandbox, session_id) == [-credits_for(duration)]
    assert charged[1] == credits_for(duration)
    assert recording_sec == pytest.approx(duration, abs=0.01)
    assert duration * 0.85 <= transcript[-1]["end"] <= duration
    assert session_files(sandbox, session_id) == row_keys(sandbox, session_id)
    assert_no_scratch_left(sandbox)


@pytest.mark.parametrize("round_", range(SIMULATED_ROUNDS))
def test_two_simulations_at_once_serve_one_run(
    sandbox: Sandbox, admin: httpx.Client, api: httpx.Client, persona: str, round_: int
) -> None:
    session_id = new_active_session(api, admin, persona)
    seeds = (1000 + round_, 2000 + round_)
    answers = race(
        [
            lambda s=s: admin.post(
                f"/sandbox/sessions/{session_id}/simulate",  # type: ignore[misc]
                json={"seed": s, "target_minutes": SHORT, "outcome": "completed"},
            )
            for s in seeds
        ]
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.text for a in answers]
    winner = next(a.json() for a in answers if a.status_code == 200)
    loser = next(a.json() for a in answers if a.status_code == 409)
    assert loser["error"]["code"] == "SESSION_TERMINAL"
    assert winner["charged"] > 0

    summary, transcript, recording_sec = served(api, session_id)
    truth = admin.get(f"/sandbox/sessions/{session_id}/ground-truth").json()
    assert truth["seed"] == winner["seed"]
    assert summary["duration_sec"] == winner["duration_sec"] == truth["duration_sec"]
    assert charges_of(admin, sandbox, session_id) == [-winner["charged"]]
    assert transcript == truth["served_turns"]
    assert abs(recording_sec - summary["duration_sec"]) <= 1.0
    assert transcript[-1]["end"] <= recording_sec + 0.3
    assert session_files(sandbox, session_id) == (
        row_keys(sandbox, session_id) | {f"ground_truth/{session_id}.json"}
    )
    assert_no_scratch_left(sandbox)


def test_completion_racing_the_candidate_end_serves_one_run(
    sandbox: Sandbox, admin: httpx.Client, api: httpx.Client, persona: str
) -> None:
    """The admin ``complete`` against two of the candidate page's ``end``: one run, and no
    live clips left."""
    response = api.post(f"{API}/personas/{persona}/sessions", json={"consent_mode": "integrator"})
    assert response.status_code == 201, response.text
    session_id = str(response.json()["id"])
    page = {"X-Candidate-Token": token_of(response.json()["candidate_link"])}
    with httpx.Client(base_url=sandbox.base_url, timeout=60) as candidate:
        begun = candidate.post("/sandbox/candidate/begin", json={}, headers=page)
        assert begun.status_code == 200 and begun.json()["status"] == "active", begun.text
        answers = race(
            [
                lambda: candidate.post("/sandbox/candidate/end", headers=page),
                lambda: candidate.post("/sandbox/candidate/end", headers=page),
                lambda: admin.post(
                    f"/sandbox/sessions/{session_id}/complete", json={"duration_sec": 150}
                ),
            ]
        )
    assert [a.status_code for a in answers] == [200] * 3, [a.text for a in answers]
    assert {a.json()["status"] for a in answers} == {"completed"}
    summary, transcript, recording_sec = served(api, session_id)
    assert charges_of(admin, sandbox, session_id) == [-credits_for(summary["duration_sec"])]
    assert abs(recording_sec - summary["duration_sec"]) <= 1.0
    assert transcript[-1]["end"] <= recording_sec + 0.3
    assert session_files(sandbox, session_id) == row_keys(sandbox, session_id)
    assert not (Path(sandbox.state.artifacts.root) / "live" / session_id).exists()


class BadFeedbackBackend:
    """A backend whose result the webhook rejects (rating out of range): a real 400."""

    def complete(self, session: SessionContext, request: CompletionRequest) -> InterviewResult:
        result = PlaceholderBackend().complete(session, request)
        return dataclasses.replace(result, feedback={"rating": 9})


def test_a_rejected_delivery_takes_its_files_back(
    sandbox: Sandbox, admin: httpx.Client, api: httpx.Client, persona: str
) -> None:
    session_id = new_active_session(api, admin, persona)
    staged = admin.put(
        f"/sandbox/sessions/{session_id}/recording",
        content=tone_wav(seconds=2),
        headers={"Content-Type": "audio/wav"},
    )
    assert staged.status_code == 200, staged.text
    row = sandbox.state.sessions.row(session_id)
    assert row is not None
    with pytest.raises(ApiError) as info:
        sandbox.state.completion.complete(row, duration_sec=2, backend=BadFeedbackBackend())
    assert info.value.code == "INVALID_INPUT" and "feedback" in str(info.value.details)
    # Nothing stored for the session, and the staged upload is still there for another try.
    assert session_files(sandbox, session_id) == {f"staging/{session_id}.wav"}
    assert_no_scratch_left(sandbox)
    retried = admin.post(f"/sandbox/sessions/{session_id}/complete", json={"duration_sec": 2})
    assert retried.status_code == 200 and retried.json()["charged"] > 0, retried.text
    _, _, recording_sec = served(api, session_id)
    assert recording_sec == pytest.approx(2.0)
    assert session_files(sandbox, session_id) == row_keys(sandbox, session_id)


def tone_wav(*, seconds: float, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x10\x00" * int(seconds * rate))
    return buffer.getvalue()
