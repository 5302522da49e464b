"""``serve``: started as its own process, it prints the base URL and a ready API key, serves,
and stops cleanly on Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
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
    assert process.stdout is not None
    for line in process.stdout:
        name, _, value = line.strip().partition(": ")
        printed[name] = value
        if name == "Try":
            break
    return process, printed


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return err


@pytest.mark.timeout(60)
def test_serve_prints_url_and_key_then_serves(tmp_path: Path) -> None:
    process, printed = _start("--credits", "42", "--db", str(tmp_path / "s.db"))
    try:
        url, key = printed["ZenHire sandbox"], printed["API key"]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert key.startswith("zh_api_") and len(key) > 40
        credits = httpx.get(url + "/api/v1/credits", headers={"X-API-Key": key}).json()
        assert credits == {"balance": 42, "client_id": printed["Client id"]}
    finally:
        err = _stop(process)
    assert key not in err  # the server log never shows the key
    assert (tmp_path / "s.db").exists()


@pytest.mark.timeout(60)
def test_serve_uses_the_given_key() -> None:
    process, printed = _start("--api-key", "zh_api_given_by_user")
    try:
        assert printed["API key"] == "zh_api_given_by_user"
        answer = httpx.get(
            printed["ZenHire sandbox"] + "/api/v1/credits",
            headers={"X-API-Key": "zh_api_given_by_user"},
        )
        assert answer.json()["balance"] == 10_000
    finally:
        _stop(process)


def test_busy_port_is_named_and_leaves_nothing_behind() -> None:
    from zenhire_nb.sandbox import Sandbox

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        sandbox = Sandbox(port=port)
        with pytest.raises(OSError, match=rf"127\.0\.0\.1:{port}"):
            sandbox.start()
    artifacts = sandbox.state.artifacts.root
    assert not artifacts.exists()  # the in-memory sandbox's temporary folder is gone


@pytest.mark.timeout(60)
def test_serve_on_a_busy_port_names_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "zenhire_nb.sandbox", "--port", str(port), "--demo-cohort", "3"],
            capture_output=True,
            text=True,
            timeout=50,
        )
    assert done.returncode != 0
    assert f"127.0.0.1:{port}" in done.stderr
    assert done.stdout.strip() == ""  # failed before seeding a cohort or printing a key
