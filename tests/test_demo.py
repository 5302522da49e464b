"""The main job (`scripts/demo` → `zenhire-nb demo`: the cohort report) and the quickstart
(`zenhire-nb demo quickstart`) run end to end and leak no secret."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from zenhire_nb.cli import main
from zenhire_nb.frames import parse_transcript, read_wav_info


def _run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zenhire_nb.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The cohort report job at a reduced size (the default is 24 interviews)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    done = _run_cli("demo", "--sessions", "4", "--minutes", "0.3", "--out", str(out), timeout=300)
    return out, done


@pytest.mark.stt
def test_demo_writes_the_cohort_report(demo_report: tuple[Path, Any]) -> None:
    out, done = demo_report
    assert done.returncode == 0, done.stderr
    for step in range(1, 6):
        assert f"[{step}/5] " in done.stdout
    assert "4 completed and" in done.stdout and "checked 4 sessions" in done.stdout
    report = out / "report.html"
    assert f"The report: {report.resolve()}" in done.stdout
    assert re.search(r"done in \d+ s \(simulate \d+ s, load \d+ s, stt check \d+ s", done.stdout)
    assert "simulating" in done.stderr and "checking" in done.stderr  # progress bars
    page = report.read_text(encoding="utf-8")
    for anchor in ("overview", "charts", "answers", "stt", "sessions"):
        assert f'id="{anchor}"' in page
    assert page.count("plotly.js v") == 1 and not re.search(r"<script[^>]+src=", page)
    for role in ("Data Analyst", "Software Engineer", "Customer Support", "Sales Representative"):
        assert role in page
    assert "minutes long on average (asked for 0.3" in page  # the report says how long
    assert "zh_api_" not in done.stdout + done.stderr + page
    assert not re.search(r"#t=[A-Za-z0-9_-]{16,}", done.stdout + page)


@pytest.mark.browser
@pytest.mark.stt
def test_demo_report_draws_offline(demo_report: tuple[Path, Any], browser: Any) -> None:
    out, done = demo_report
    assert done.returncode == 0, done.stderr
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((out / "report.html").resolve().as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(plot => plot.querySelector('.main-svg'))"
    )
    assert page.evaluate("document.querySelectorAll('.js-plotly-plot').length") == 9
    assert problems == [] and outside == []
    shots = Path(__file__).parent.parent / "test-output"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "demo-report.png"))
    context.close()


def test_demo_defaults_to_24_interviews(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "(default: 24;" in " ".join(capsys.readouterr().out.split())


def test_demo_rejects_a_cohort_too_small_for_its_groups() -> None:
    done = _run_cli("demo", "--sessions", "2", timeout=60)
    assert done.returncode == 1
    assert "--sessions must be at least 4" in done.stderr and "Traceback" not in done.stderr


def test_demo_quickstart_runs_and_saves_real_results(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = _run_cli("demo", "quickstart", "--out", str(out), "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "status completed" in done.stdout
    recordings = list(out.glob("*.wav"))
    transcripts = list(out.glob("*.transcript.json"))
    assert len(recordings) == 1 and len(transcripts) == 1

    info = read_wav_info(recordings[0])
    assert info.sample_rate == 16_000 and info.duration_sec > 30
    turns = parse_transcript(json.loads(transcripts[0].read_text()), session_id="demo")
    assert {turn.speaker for turn in turns} == {"interviewer", "candidate"}
    charged = re.search(r"charged (\d+) for (\d+)s", done.stdout)
    assert charged and int(charged[1]) == 5 * -(-int(charged[2]) // 60)

    # The candidate link is shown masked; no API key is printed by the demo.
    assert "#t=***" in done.stdout
    assert not re.search(r"#t=[A-Za-z0-9_-]{16,}", done.stdout + done.stderr)
    assert "zh_api_" not in done.stdout + done.stderr


def test_sandbox_command_rejects_bad_options_before_serving() -> None:
    done = _run_cli("sandbox", "--port", "0", "--mistake-rate", "3", timeout=60)
    assert done.returncode == 2
    assert "mistake_rate" in done.stderr


def test_sandbox_command_names_a_busy_port_in_one_line() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run_cli("sandbox", "--port", str(port), timeout=60)
    assert done.returncode == 1
    assert str(port) in done.stderr and "Traceback" not in done.stderr


def test_scripts_demo_runs_in_its_stamped_environment(tmp_path: Path) -> None:
    """scripts/demo installs nothing when its profile's stamp matches, and hands its arguments
    to `zenhire-nb demo` (the install itself needs the network and is not run here)."""
    import hashlib
    import os

    root = Path(__file__).resolve().parent.parent
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    entry = venv / "bin" / "zenhire-nb"
    entry.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m zenhire_nb.cli "$@"\n')
    entry.chmod(0o755)
    packaging = (root / "pyproject.toml").read_bytes() + (root / "scripts/_setup.sh").read_bytes()
    (venv / ".zenhire-demo").write_text(hashlib.sha256(packaging).hexdigest() + "\n")
    env = {**os.environ, "ZENHIRE_VENV": str(venv), "PYTHONPATH": str(root)}
    done = subprocess.run(
        [str(root / "scripts" / "demo"), "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: zenhire-nb demo" in done.stdout and "--lab" in done.stdout
    assert "installing" not in done.stderr
