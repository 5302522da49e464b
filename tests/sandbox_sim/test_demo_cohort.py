"""The demo cohort, from Python and from the command line (a real subprocess)."""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
from typing import Any

import pytest

from zenhire_nb import Client
from zenhire_nb.sandbox import Sandbox

_MINUTES = "0.3"


def _answers(transcript: list[dict[str, Any]]) -> list[list[str]]:
    """Words of the candidate's answers (greeting and goodbye left out)."""
    turns = [t["text"].lower().split() for t in transcript if t["speaker"] == "candidate"]
    return turns[1:-1]


def test_demo_cohort_from_python(capsys: pytest.CaptureFixture[str]) -> None:
    with Sandbox(demo_cohort=3, demo_minutes=float(_MINUTES)) as sb, sb.client() as client:
        personas = client.personas.list()
        sessions = list(client.sessions.list(tags=["demo"]))
        completed = [s for s in sessions if s.status == "completed"]
        assert len(completed) == 3 and len(sb.demo.completed) == 3  # type: ignore[union-attr]
        assert {p.role_name for p in personas} >= {
            "Data Analyst",
            "Software Engineer",
            "Customer Support",
        }
        assert len({s.persona_id for s in completed}) == 3
        assert len({(s.metadata or {}).get("cohort") for s in completed}) == 3
        for summary in completed:
            assert client.sessions.recording(summary.id)[:4] == b"RIFF"
            assert client.sessions.transcript(summary.id)
        more = sb.seed_demo_cohort(1, target_minutes=0.2)
        assert len(more.completed) == 1
    assert "demo cohort: 3/3 completed" in capsys.readouterr().out


def test_demo_cohorts_differ_by_profile() -> None:
    with Sandbox() as sb, sb.client() as client:
        cohort = sb.seed_demo_cohort(8, target_minutes=2.0, failure_rate=0, timeout_rate=0)
        answers: dict[str, list[list[str]]] = {}
        for session_id in cohort.completed:
            summary = client.sessions.get(session_id)
            answers.setdefault(str((summary.metadata or {})["cohort"]), []).extend(
                _answers(client.sessions.transcript(session_id))
            )
    length = {name: statistics.mean(map(len, turns)) for name, turns in answers.items()}
    fillers = {
        name: sum(w.strip(",.") in ("um", "uh") for t in turns for w in t) / sum(map(len, turns))
        for name, turns in answers.items()
    }
    assert length["verbose"] > length["concise"] * 1.4, length
    assert fillers["nervous"] > fillers["concise"] * 2, fillers


def test_demo_cohort_rejects_a_negative_size() -> None:
    with Sandbox() as sb, pytest.raises(ValueError, match="demo cohort size"):
        sb.seed_demo_cohort(-1)


def _start_cli(*args: str) -> tuple[subprocess.Popen[str], dict[str, str], list[str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "zenhire_nb.sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--log-level",
            "warning",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed: dict[str, str] = {}
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip())
        name, _, value = line.strip().partition(": ")
        printed[name] = value
        if name == "Try":
            break
    return process, printed, lines


@pytest.mark.timeout(120)
def test_demo_cohort_from_the_command_line() -> None:
    process, printed, lines = _start_cli(
        "--demo-cohort",
        "3",
        "--demo-minutes",
        _MINUTES,
        "--transcript-shape",
        "turns",
        "--api-key",
        "zh_api_demo_cli",
        "--fault",
        "get_transcript:latency_ms=1",
        "--fault-seed",
        "4",
    )
    try:
        assert printed.get("API key") == "zh_api_demo_cli", lines
        assert any(line.startswith("demo cohort: 3/3 completed") for line in lines), lines
        with Client(api_key="zh_api_demo_cli", base_url=printed["ZenHire sandbox"]) as client:
            completed = list(client.sessions.list(status="completed"))
            assert len(completed) == 3
            assert list(client.sessions.transcript(completed[0].id)) == ["turns"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err


def test_cli_help_documents_the_fault_syntax() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zenhire_nb.sandbox", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for needle in (
        "--demo-cohort",
        "--demo-minutes",
        "--fault RULE",
        "--faults-file",
        "--fault-seed",
        "truncate_at",
        "--transcript-shape",
    ):
        assert needle in done.stdout


def test_cli_rejects_a_bad_fault_before_serving() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "zenhire_nb.sandbox",
            "--port",
            "0",
            "--fault",
            "GET /api/v1/credits:teapot=1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "teapot" in done.stderr and "ZenHire sandbox" not in done.stdout


def test_demo_cohort_is_spread_over_weeks() -> None:
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    with Sandbox() as sb, sb.client() as client:
        sb.seed_demo_cohort(6, target_minutes=0.2, failure_rate=0, timeout_rate=0)
        listed = list(client.sessions.list())
        personas = client.personas.list()
        recent = list(client.sessions.list(created_after=now - timedelta(days=14)))
    created = [s.created_at for s in listed]
    assert created == sorted(created, reverse=True)  # newest first, as created
    assert now - min(created) > timedelta(days=21) and max(created) < now
    assert 0 < len(recent) < len(listed)
    for summary in listed:
        assert summary.started_at is not None and summary.completed_at is not None
        assert summary.created_at < summary.started_at < summary.completed_at < now
        ran = (summary.completed_at - summary.started_at).total_seconds()
        assert ran >= (summary.duration_sec or 0)
    assert all(p.created_at < min(created) for p in personas)


def test_demo_cohort_without_spread_is_now() -> None:
    from datetime import datetime, timedelta, timezone

    with Sandbox() as sb, sb.client() as client:
        sb.seed_demo_cohort(1, target_minutes=0.2, spread_days=0)
        (summary,) = [s for s in client.sessions.list() if s.status == "completed"]
    assert datetime.now(timezone.utc) - summary.created_at < timedelta(minutes=5)
    with Sandbox() as sb, pytest.raises(ValueError, match="spread_days"):
        sb.seed_demo_cohort(1, spread_days=-1)
