"""SandboxSettings and the keyword shortcuts of Sandbox; create_app serving every first-party
router on its own; and the layout rules of the sandbox package (checked on its source)."""

from __future__ import annotations

import ast
import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

import zenhire_nb.sandbox
from zenhire_nb.client import Client
from zenhire_nb.sandbox import (
    CandidatePageSettings,
    FaultInjector,
    Sandbox,
    SandboxSettings,
    SimulationSettings,
    create_app,
    sandbox_state,
    served_app,
)
from zenhire_nb.sandbox.server import bind_socket
from zenhire_nb.sandbox.testing import assert_error

SANDBOX_DIR = Path(zenhire_nb.sandbox.__file__).parent
ADMIN = "X-Sandbox-Admin-Token"


def test_keywords_are_shortcuts_for_the_settings() -> None:
    sandbox = Sandbox(credits=500, mistake_rate=0.2, transcript_shape="turns", api_key="zh_k")
    assert sandbox.settings == SandboxSettings(
        credits=500,
        api_key="zh_k",
        simulation=SimulationSettings(mistake_rate=0.2, transcript_shape="turns"),
    )
    assert sandbox.simulation is sandbox.settings.simulation


def test_keywords_apply_on_top_of_given_settings() -> None:
    base = SandboxSettings(credits=5, simulation=SimulationSettings(seed=3, channels=2))
    sandbox = Sandbox(base, credits=7, mistake_rate=0.0)
    assert sandbox.settings.credits == 7
    assert sandbox.settings.simulation == SimulationSettings(seed=3, channels=2, mistake_rate=0.0)
    assert base.credits == 5  # frozen: the given settings are never changed
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.credits = 1  # type: ignore[misc]


def test_unknown_keyword_and_positional_are_type_errors() -> None:
    with pytest.raises(TypeError, match="'mistake_rat'"):
        Sandbox(mistake_rat=0.1)
    with pytest.raises(TypeError, match="SandboxSettings"):
        Sandbox("interviews.db")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"port": 70_000}, "port"),
        ({"demo_cohort": -1}, "demo_cohort"),
        ({"demo_minutes": 0}, "demo_minutes"),
        ({"faults": ["credits:503=2"]}, "503"),
        ({"channels": 3}, "channels"),
    ],
)
def test_bad_values_name_the_option(options: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        Sandbox(**options)  # type: ignore[arg-type]


def test_repr_shows_changes_only_and_never_secrets() -> None:
    assert repr(SandboxSettings()) == "SandboxSettings()"
    settings = SandboxSettings(
        credits=5,
        api_key="zh_api_secret",
        admin_token="admin-secret",
        webhook_secret="hook-secret",
        simulation=SimulationSettings(seed=9),
    )
    shown = repr(settings)
    assert shown.startswith("SandboxSettings(credits=5, api_key=<hidden>")
    assert "simulation=SimulationSettings(seed=9)" in shown
    assert not any(s in shown for s in ("zh_api_secret", "admin-secret", "hook-secret"))


def test_client_is_the_typed_client(zenhire_sandbox: Sandbox) -> None:
    with zenhire_sandbox.client() as client, zenhire_sandbox.new_tenant().client() as other:
        assert isinstance(client, Client) and isinstance(other, Client)
        assert client.credits().balance >= 0


@contextmanager
def _served(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` (through :func:`served_app`) on a free 127.0.0.1 port."""
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(served_app(app), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            thread.join(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
        sandbox_state(app).close()


def test_create_app_alone_serves_every_first_party_router() -> None:
    with _served(create_app(admin_token="t0")) as base, httpx.Client(base_url=base) as http:
        assert http.get("/candidate").status_code == 200
        # The simulate route exists (it asks for the admin token before anything else).
        assert_error(http.post("/sandbox/sessions/s/simulate"), 401, "ADMIN_TOKEN_INVALID")
        missing = http.post("/sandbox/sessions/nope/simulate", headers={ADMIN: "t0"})
        assert_error(missing, 404, "NOT_FOUND")
        assert "nope" in missing.json()["error"]["message"]
        faults = http.get("/sandbox/faults", headers={ADMIN: "t0"})
        assert_error(faults, 409, "FAULTS_UNAVAILABLE")


def test_create_app_with_an_injector_and_options() -> None:
    injector = FaultInjector(["health:503=1"], seed=1)
    page = CandidatePageSettings(questions=1)
    app = create_app(admin_token="t1", faults=injector, candidate_page=page)
    assert sandbox_state(app).candidate_page is page
    with _served(app) as base, httpx.Client(base_url=base) as http:
        assert http.get("/sandbox/faults", headers={ADMIN: "t1"}).json()["rules"][0]["503"] == 1
        assert_error(http.get("/api/v1/health"), 503, "SERVICE_UNAVAILABLE")


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SANDBOX_DIR.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imported(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def test_no_module_imports_a_routes_module_but_the_app_factory() -> None:
    for path, tree in _modules():
        if path.name == "app.py" and path.parent == SANDBOX_DIR:
            continue
        for node in ast.walk(tree):
            names = _imported(node) if isinstance(node, ast.stmt) else []
            assert not [n for n in names if n.endswith(".routes")], path


def test_the_sandbox_never_imports_the_client_at_import_time() -> None:
    for path, tree in _modules():
        for node in tree.body:  # module level only: lazy imports in functions are the rule
            for name in _imported(node):
                assert not name.startswith("zenhire_nb.client"), path
