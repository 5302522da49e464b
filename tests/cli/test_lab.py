"""`zenhire-nb lab`: JupyterLab starts on the folder, next to a sandbox with the demo cohort, and
a kernel it starts has ZENHIRE_BASE_URL/ZENHIRE_API_KEY pointing at that sandbox. Run as a real
subprocess; a real kernel runs real code over the Jupyter REST and websocket API."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from _helpers import ROOT

pytestmark = pytest.mark.slow

_KERNEL_CODE = """
import os, pathlib
from zenhire_nb import Client
with Client() as client:
    sessions = list(client.sessions.list(tags=["demo"]))
    funded = client.credits().balance > 0
pathlib.Path({key_file!r}).write_text(os.environ["ZENHIRE_API_KEY"])
admin = bool(os.environ.get("ZENHIRE_SANDBOX_ADMIN_TOKEN"))
print("SEEN", os.environ["ZENHIRE_BASE_URL"], len(sessions), funded, admin)
"""


def _jupyter_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("ZENHIRE_API_KEY", "ZENHIRE_BASE_URL", "ZENHIRE_SANDBOX_ADMIN_TOKEN"):
        env.pop(name, None)  # the command must set them itself
    for name in (
        "JUPYTER_DATA_DIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
        "IPYTHONDIR",
    ):
        env[name] = str(tmp_path / "jupyter" / name.lower())
    return env


async def _run_in_kernel(base: str, token: str, code: str) -> str:
    """Start a kernel through the server, run ``code``, return what it printed."""
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        kernel = (await http.post("/api/kernels", json={"name": "python3"})).json()
        try:
            socket = await websocket_connect(
                httpx.URL(
                    base.replace("http", "ws", 1) + f"/api/kernels/{kernel['id']}/channels",
                    params={"token": token},
                ).__str__()
            )
            msg_id = uuid.uuid4().hex
            socket.write_message(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "username": "test",
                            "session": uuid.uuid4().hex,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "content": {
                            "code": code,
                            "silent": False,
                            "store_history": False,
                            "user_expressions": {},
                            "allow_stdin": False,
                        },
                    }
                )
            )
            printed: list[str] = []
            while True:
                message = json.loads(await asyncio.wait_for(socket.read_message(), 90))
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "stream":
                    printed.append(message["content"]["text"])
                elif kind == "error":
                    printed.append("\n".join(message["content"]["traceback"]))
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    return "".join(printed)
        finally:
            await http.delete(f"/api/kernels/{kernel['id']}")


@pytest.mark.timeout(240)
def test_lab_starts_with_the_sandbox_in_the_kernel_env(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zenhire_nb.cli",
            "lab",
            "--dir",
            str(notebooks),
            "--sessions",
            "4",
            "--minutes",
            "0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_jupyter_env(tmp_path),
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C stops" in line:
                break
        printed = "".join(lines)
        url = re.search(r"JupyterLab: (http://127\.0\.0\.1:\d+)/lab\?token=(\S+)", printed)
        sandbox = re.search(r"ZENHIRE_BASE_URL=(http://127\.0\.0\.1:\d+)", printed)
        assert url and sandbox, printed
        status = httpx.get(f"{url[1]}/api/status", headers={"Authorization": f"token {url[2]}"})
        assert status.status_code == 200
        contents = httpx.get(f"{url[1]}/api/contents", headers={"Authorization": f"token {url[2]}"})
        assert contents.json()["path"] == ""  # served from the folder asked for
        key_file = tmp_path / "key-seen-by-kernel"
        seen = asyncio.run(
            _run_in_kernel(url[1], url[2], _KERNEL_CODE.format(key_file=str(key_file)))
        )
        assert f"SEEN {sandbox[1]} 4 True True" in seen, seen
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    key = key_file.read_text()
    assert key.startswith("zh_") or len(key) > 16
    assert key not in printed + out + err
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{url[1]}/api/status", timeout=2)  # JupyterLab is stopped too


def test_lab_names_a_missing_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zenhire_nb.cli", "lab", "--dir", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env=_jupyter_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 1
    assert "error: notebook folder" in done.stderr and "nope" in done.stderr
