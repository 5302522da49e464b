"""``zenhire-nb lab`` (and ``scripts/demo --lab``): JupyterLab next to a running sandbox.

The sandbox (with a demo cohort) runs in this process; JupyterLab runs as a child process
whose environment holds ``ZENHIRE_BASE_URL`` and ``ZENHIRE_API_KEY``, which every kernel it
starts inherits, so ``Client()`` in a notebook talks to the sandbox with no setup. The key is
passed only through that environment and never printed. Ctrl-C (or SIGTERM) stops JupyterLab,
then the sandbox.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

from zenhire_nb._cli.common import CommandError, Console, command_parser, run_command

__all__ = ["add_parser", "run_lab"]

_START_TIMEOUT_SEC = 90.0
_EXAMPLES = """\
  zenhire-nb lab                               notebooks/ (else this folder), 24 interviews
  zenhire-nb lab --dir my-notebooks --sessions 8 --port 8899

  in a notebook:  from zenhire_nb import Client; Client().sessions.list()
"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zenhire_nb._cli.demo import DEFAULT_MINUTES, DEFAULT_SESSIONS

    parser = command_parser(
        commands,
        "lab",
        help="open JupyterLab with a sandbox (demo cohort loaded) running",
        description=(
            "Start an embedded sandbox with a demo cohort, then JupyterLab on a notebook "
            "folder; the kernels' environment points at the sandbox (ZENHIRE_BASE_URL, "
            "ZENHIRE_API_KEY). Prints the URL to open; Ctrl-C stops both."
        ),
        examples=_EXAMPLES,
    )
    parser.add_argument(
        "--dir", type=Path, metavar="DIR", help="notebook folder (default: ./notebooks, else .)"
    )
    parser.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS, metavar="N")
    parser.add_argument("--minutes", type=float, default=DEFAULT_MINUTES, metavar="M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--port", type=int, default=0, help="JupyterLab's port (default: a free one)"
    )
    parser.set_defaults(run=lambda args: run_lab(args, Console("lab")))


def run_lab(args: argparse.Namespace, console: Console) -> int:
    return run_command(console, lambda: _lab(args, console))


def _folder(args: argparse.Namespace) -> Path:
    folder = getattr(args, "dir", None)
    if folder is None:
        folder = Path("notebooks") if Path("notebooks").is_dir() else Path.cwd()
    if not folder.is_dir():
        raise CommandError(f"notebook folder {str(folder)!r} does not exist")
    return folder.resolve()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _lab(args: argparse.Namespace, console: Console) -> int:
    from zenhire_nb._cli.demo import _seed, check_size

    if importlib.util.find_spec("jupyterlab") is None:
        raise CommandError("JupyterLab is not installed: pip install 'zenhire-nb[lab]'")
    folder = _folder(args)
    sessions, minutes = args.sessions, args.minutes
    check_size(sessions, minutes)
    port = getattr(args, "port", 0) or _free_port()
    from zenhire_nb.sandbox import Sandbox

    with Sandbox(seed=args.seed) as sandbox, tempfile.TemporaryDirectory() as scratch:
        console.secrets.extend([sandbox.api_key, sandbox.admin_token])
        console.step(
            1, 3, f"sandbox running at {sandbox.base_url}; simulating {sessions} interviews"
        )
        _seed(sandbox, sessions, minutes)
        token = secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "ZENHIRE_BASE_URL": sandbox.base_url,
            "ZENHIRE_API_KEY": sandbox.api_key,
            # Lets the notebooks drive this sandbox's simulated candidate (quickstart, STT check).
            "ZENHIRE_SANDBOX_ADMIN_TOKEN": sandbox.admin_token,
            "JUPYTER_TOKEN": token,  # not on the command line, where `ps` would show it
        }
        log_path = Path(scratch) / "jupyterlab.log"
        console.step(2, 3, f"starting JupyterLab on {folder}")
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyterlab",
                    "--no-browser",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={port}",
                    "--ServerApp.port_retries=0",
                    f"--ServerApp.root_dir={folder}",
                    # Containers often run as root, which JupyterLab refuses unless told.
                    *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                # Its own session: a terminal's Ctrl-C reaches only this process, which then
                # stops JupyterLab without its "shut down? (y/n)" question.
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_ready(process, port, token, log_path)
                console.step(3, 3, f"JupyterLab: http://127.0.0.1:{port}/lab?token={token}")
                console.say(
                    f"      kernels get ZENHIRE_BASE_URL={sandbox.base_url} and the sandbox's "
                    "ZENHIRE_API_KEY (not shown); in a notebook, Client() just works"
                )
                console.say("      Ctrl-C stops JupyterLab and the sandbox")
                return _serve(process)
            finally:
                _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], port: int, token: str, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + _START_TIMEOUT_SEC
    url = f"http://127.0.0.1:{port}/api/status"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise CommandError(f"JupyterLab exited with status {process.returncode}: {tail[0]}")
        try:
            if httpx.get(url, headers={"Authorization": f"token {token}"}, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise CommandError(
        f"JupyterLab did not answer on port {port} within {_START_TIMEOUT_SEC:.0f} s"
    )


def _serve(process: subprocess.Popen[bytes]) -> int:
    """Wait for JupyterLab to end; SIGTERM and SIGINT end the wait (SIGINT even when it came
    ignored, as it does for a job started in the background by a script)."""

    def interrupt(signum: int, frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # JupyterLab shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
