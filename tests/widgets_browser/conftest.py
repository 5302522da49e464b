"""Fixtures for the widgets in a real JupyterLab 4 (see lab.py): one server per module, a tenant
whose key reaches the kernel by environment only, and pages that may not leave 127.0.0.1
(every other request is blocked and listed in ``lab.blocked``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.admin.client import Tenant

from .lab import Lab, start_lab


@pytest.fixture(scope="module")
def lab_tenant(zenhire_sandbox: Sandbox) -> Tenant:
    """The tenant the module's kernels use (its key reaches them by environment only)."""
    return zenhire_sandbox.new_tenant(name="jupyterlab")


@pytest.fixture(scope="module")
def lab(lab_tenant: Tenant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A JupyterLab server for the module (stopped with ``POST /api/shutdown``)."""
    pytest.importorskip("jupyterlab")
    try:
        server = start_lab(
            tmp_path_factory.mktemp("jupyterlab"),
            api_key=lab_tenant.api_key,
            base_url=lab_tenant.base_url,
        )
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server
    server.stop()


@pytest.fixture
def lab_page(lab: Lab, browser: Any) -> Iterator[Any]:
    """A page in a fresh context; requests beyond 127.0.0.1 are blocked and listed in
    ``lab.blocked``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1800})

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "blob:", "data:")):
            route.continue_()
        else:
            lab.blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
