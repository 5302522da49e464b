"""A real JupyterLab 4 driven in headless Chromium: the server and the page helpers (shared by
the browser tests and benchmarks/bench_widgets.py; no pytest here).

The server runs as a subprocess on a free 127.0.0.1 port with a random token, a temporary root
folder and temporary Jupyter folders (nothing read from or written to the home folder), the
kernel of the current interpreter, the read-only extension manager and no news or update
checks. The kernel reaches the sandbox through ``ZENHIRE_API_KEY`` / ``ZENHIRE_BASE_URL`` in its
environment, so the key is never typed into a notebook.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nbformat

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "widgets"
_START_TIMEOUT = 90.0

# JupyterLab's own settings for the tests: widget state saved with the notebook (the setting
# the secrets and size tests are about), no news toast over the widgets.
_LAB_SETTINGS = {
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
_SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,
        "extension_manager": "readonly",
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "expose_app_in_browser": True,
    },
    "ServerApp": {
        "ip": "127.0.0.1",
        "open_browser": False,
        "password": "",
        "allow_root": True,  # CI containers run as root
        # What the tests do not use stays off: language servers, terminals, Notebook 7.
        "jpserver_extensions": {
            "jupyter_lsp": False,
            "jupyter_server_terminals": False,
            "notebook": False,
        },
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Lab:
    """A running JupyterLab: ``url``, ``token``, the notebook folder ``root``."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path
    blocked: list[str] = field(default_factory=list)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"token {self.token}"}
        return httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def write_notebook(self, name: str, cells: list[str]) -> Path:
        """A notebook of code cells with the python3 kernelspec (no kernel-picker dialog)."""
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        path = self.root / name
        nbformat.write(notebook, path)
        return path

    def open(self, page: Any, name: str) -> None:
        """Open ``name`` (no old workspace) and wait until its kernel is ready."""
        page.goto(f"{self.url}/lab/tree/{name}?reset&token={self.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
        page.wait_for_function(
            """(name) => {
                const all = Array.from(window.jupyterapp.shell.widgets('main'));
                const w = all.find((x) => x.context && x.context.path === name);
                if (!w || !w.context.isReady || !w.sessionContext.isReady) return false;
                window.zhPanel = w;  // the helpers below use it (currentWidget follows focus)
                const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
                return !!kernel && kernel.connectionStatus === 'connected'
                    && kernel.status === 'idle';
            }""",
            arg=name,
            timeout=60_000,
        )

    def stop(self) -> None:
        try:
            self.api("POST", "/api/shutdown")
            self.process.wait(timeout=20)
        except (httpx.HTTPError, subprocess.TimeoutExpired):
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_cell(page: Any, index: int) -> None:
    """Run cell ``index`` of the open notebook and wait until the kernel has finished it."""
    page.evaluate(
        """async (index) => {
            const panel = window.zhPanel;
            panel.content.activeCellIndex = index;
            await window.jupyterapp.commands.execute('notebook:run-cell');
        }""",
        index,
    )
    wait_idle(page)


def run_all(page: Any) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_idle(page)


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    page.wait_for_function(
        """() => {
            const panel = window.zhPanel;
            const kernel = panel.sessionContext.session.kernel;
            const cells = panel.content.widgets;
            const pending = cells.some((c) => c.model.type === 'code'
                && c.promptNode && c.promptNode.textContent.includes('*'));
            return kernel.status === 'idle' && !pending;
        }""",
        timeout=timeout,
    )


def kernel_output(page: Any, code: str) -> str:
    """Run ``code`` in the open notebook's kernel outside any cell (nothing of it is saved in
    the notebook) and return what it printed."""
    return str(
        page.evaluate(
            """(code) => new Promise((resolve, reject) => {
                const kernel = window.zhPanel.sessionContext.session.kernel;
                const future = kernel.requestExecute({ code, store_history: false });
                let text = '';
                future.onIOPub = (msg) => {
                    if (msg.header.msg_type === 'stream') text += msg.content.text;
                    if (msg.header.msg_type === 'error') reject(new Error(msg.content.evalue));
                };
                future.done.then(() => resolve(text), reject);
            })""",
            code,
        )
    )


def save_notebook(lab: Lab, page: Any, name: str) -> dict[str, Any]:
    """Save the open notebook (with widget state when saveState is on); its JSON on disk."""
    before = (lab.root / name).stat().st_mtime_ns
    page.evaluate(
        """async () => {
            await window.zhPanel.context.save();
        }"""
    )
    deadline = time.monotonic() + 20
    while (lab.root / name).stat().st_mtime_ns == before and time.monotonic() < deadline:
        time.sleep(0.05)
    return dict(json.loads((lab.root / name).read_text("utf-8")))


def shot(locator: Any, name: str, *, max_height: int | None = None) -> Path:
    """A PNG of ``locator`` in test-output/widgets/ (gitignored); ``max_height`` keeps only its
    top (the small copies for the README).

    The viewport grows to hold the whole element first: JupyterLab scrolls the notebook inside
    a panel, and a taller element would come out with the panel's edges in it.
    """
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page = locator.page
    size = page.viewport_size
    box = locator.bounding_box()
    needed = int(box["height"]) + 400 if box else size["height"]
    if needed > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": needed})
    locator.scroll_into_view_if_needed()
    if max_height is None:
        locator.screenshot(path=str(path))
    else:
        box = locator.bounding_box()
        clip = {**box, "height": min(box["height"], max_height)}
        page.screenshot(path=str(path), clip=clip)
    page.set_viewport_size(size)
    return path


def start_lab(base: Path, *, api_key: str, base_url: str) -> Lab:
    """Start JupyterLab with its folders under ``base``; the kernel gets the ZenHire key and
    address by environment. Returns once ``/api/status`` answers (the caller stops it)."""
    root = base / "notebooks"
    root.mkdir()
    dirs = {
        name: base / name.lower()
        for name in (
            "JUPYTER_DATA_DIR",
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
            "IPYTHONDIR",
        )
    }
    for folder in dirs.values():
        folder.mkdir()
    for relative, settings in _LAB_SETTINGS.items():
        target = dirs["JUPYTERLAB_SETTINGS_DIR"] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings))
    (dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.json").write_text(
        json.dumps(_SERVER_CONFIG)
    )
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        **os.environ,
        **{name: str(path) for name, path in dirs.items()},
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "ZENHIRE_API_KEY": api_key,
        "ZENHIRE_BASE_URL": base_url,
        "ZENHIRE_CACHE_DIR": str(base / "cache"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    log = base / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--ServerApp.root_dir={root}",
                f"--IdentityProvider.token={token}",
            ],
            env=env,
            cwd=root,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, root, process, log)
    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited ({process.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            if server.api("GET", "/api/status").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"jupyter lab did not answer in {_START_TIMEOUT:.0f} s")
        time.sleep(0.2)
    return server
