"""The main job (`scripts/demo` → `zenhire-nb demo`) runs end to end and leaks no secret."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from zenhire_nb.frames import parse_transcript, read_wav_info


def _run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zenhire_nb.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_demo_runs_the_quickstart_and_saves_real_results(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = _run_cli("demo", "--out", str(out), "--seed", "3")
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
