"""Every fault kind, injected by the sandbox over real HTTP and observed from the typed client:
what is retried, what is surfaced, and that nothing half-written is left behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zenhire_nb.client import errors as e
from zenhire_nb.sandbox import Sandbox

RECORDING = "GET /api/v1/interview/sessions/*/recording"
Make = Callable[..., Any]


def _injected(sandbox: Sandbox, rule: int = 0) -> dict[str, int]:
    return dict(sandbox.admin.faults()["injected"][rule])


@pytest.mark.parametrize(
    "status, error", [("429", e.RateLimitError), ("503", e.ServiceUnavailableError)]
)
def test_429_and_503_are_retried_after_retry_after(
    sandbox: Sandbox, make_client: Make, status: str, error: type
) -> None:
    sandbox.set_faults([f"credits:{status}=1,retry_after=2"], seed=1)
    client, clock = make_client(max_retries=2)
    with pytest.raises(error) as info:
        client.credits()
    assert info.value.retry_after == 2 and clock.sleeps == [2.0, 2.0]
    assert _injected(sandbox) == {"requests": 3, status: 3}
    sandbox.set_faults([f"credits:{status}=0.6,retry_after=1"], seed=3)
    client, clock = make_client(max_retries=8)
    assert client.credits().balance > 0  # some attempts failed, then one succeeded
    counts = _injected(sandbox)
    assert counts[status] >= 1 and counts["requests"] == counts[status] + 1
    assert clock.sleeps == [1.0] * counts[status]


def test_500_is_surfaced_after_the_retries(
    sandbox: Sandbox, make_client: Make, completed: dict[str, str]
) -> None:
    sandbox.set_faults(["get_session:500=1"], seed=1)
    client, clock = make_client(max_retries=2)
    with pytest.raises(e.InternalServerError) as info:
        client.sessions.get(completed["session_id"])
    assert info.value.code == "INTERNAL_ERROR" and info.value.request_id
    assert _injected(sandbox) == {"requests": 3, "500": 3}
    assert len(clock.sleeps) == 2


def test_latency_is_added(sandbox: Sandbox, make_client: Make) -> None:
    client, _ = make_client()
    client.health()  # connection warm
    sandbox.set_faults(["GET /api/v1/health:latency_ms=150,jitter_ms=50"], seed=1)
    started = time.perf_counter()
    client.health()
    assert time.perf_counter() - started >= 0.15
    assert _injected(sandbox) == {"requests": 1}


def test_dropped_get_is_retried(
    sandbox: Sandbox, make_client: Make, completed: dict[str, str]
) -> None:
    sandbox.set_faults(["get_session:drop=1"], seed=1)
    client, _ = make_client(max_retries=1)
    with pytest.raises(e.APIConnectionError, match="disconnected") as info:
        client.sessions.get(completed["session_id"])
    assert info.value.request_sent and _injected(sandbox) == {"requests": 2, "drop": 2}
    sandbox.set_faults(["get_session:drop=0.6"], seed=3)
    client, _ = make_client(max_retries=8)
    assert client.sessions.get(completed["session_id"]).status == "completed"
    assert _injected(sandbox).get("drop", 0) >= 1


def test_dropped_session_create_is_ambiguous_and_not_retried(
    sandbox: Sandbox, make_client: Make, completed: dict[str, str]
) -> None:
    sandbox.set_faults(["POST /api/v1/interview/personas/*/sessions:drop=1"], seed=1)
    client, clock = make_client(max_retries=3)
    with pytest.raises(e.AmbiguousSessionCreateError) as info:
        client.sessions.create(
            completed["persona_id"], consent_mode="integrator", candidate_ref="ats-drop-1"
        )
    assert info.value.candidate_ref == "ats-drop-1" and clock.sleeps == []
    assert _injected(sandbox) == {"requests": 1, "drop": 1}
    sandbox.set_faults([])
    # The check the error suggests: the drop came before the platform acted.
    assert list(client.sessions.list(candidate_ref="ats-drop-1")) == []


def test_truncated_recording_leaves_no_file(
    sandbox: Sandbox, make_client: Make, completed: dict[str, str], tmp_path: Path
) -> None:
    client, _ = make_client(max_retries=0)
    whole = client.sessions.recording(completed["session_id"])
    sandbox.set_faults([f"{RECORDING}:truncate=1,truncate_at=0.3"], seed=1)
    target = tmp_path / "r.wav"
    with pytest.raises(e.APIConnectionError, match="complete message body") as info:
        client.sessions.recording(completed["session_id"], path=target)
    assert f"received {int(len(whole) * 0.3)} bytes, expected {len(whole)}" in str(info.value)
    assert list(tmp_path.iterdir()) == []
    sandbox.set_faults([f"{RECORDING}:truncate=0.5"], seed=2)
    client, _ = make_client(max_retries=8)
    assert client.sessions.recording(completed["session_id"], path=target) == target
    assert target.read_bytes() == whole and [p.name for p in tmp_path.iterdir()] == ["r.wav"]


def test_truncated_recording_is_an_incomplete_download(
    sandbox: Sandbox, make_client: Make, completed: dict[str, str]
) -> None:
    sandbox.set_faults([f"{RECORDING}:truncate=1"], seed=1)
    client, _ = make_client(max_retries=0)
    with pytest.raises(e.IncompleteDownloadError):
        client.sessions.recording(completed["session_id"])


def test_truncation_leaves_error_responses_alone(sandbox: Sandbox, make_client: Make) -> None:
    sandbox.set_faults(["get_session:truncate=1"], seed=1)
    client, _ = make_client(max_retries=0)
    with pytest.raises(e.NotFoundError):
        client.sessions.get("00000000-0000-4000-8000-000000000000")


def test_async_client_sees_the_same_faults(sandbox: Sandbox) -> None:
    import asyncio

    from zenhire_nb.client import AsyncClient, RetryPolicy

    from .conftest import RecordingClock

    async def run() -> None:
        sandbox.set_faults(["credits:429=1,retry_after=3"], seed=1)
        clock = RecordingClock()
        async with AsyncClient(
            api_key=sandbox.api_key,
            base_url=sandbox.base_url,
            max_retries=1,
            retry_policy=RetryPolicy(clock=clock),
        ) as client:
            with pytest.raises(e.RateLimitError):
                await client.credits()
        assert clock.sleeps == [3.0]

    asyncio.run(run())
