"""Pytest fixtures for the sandbox (registered through the ``pytest11`` entry point).

``zenhire_sandbox``
    Session-scoped :class:`~zenhire_nb.sandbox.Sandbox` in memory on a free 127.0.0.1 port.
    ``.base_url``, ``.api_key`` (default tenant), ``.admin`` (typed admin helper),
    ``.webhook_secret``, ``.client()``.

``zenhire_tenant``
    Function-scoped fresh tenant of that sandbox (10,000 credits, ``interview`` permission):
    ``.client_id``, ``.api_key``, ``.base_url``, ``.headers``, ``.http()`` (plain httpx) and
    ``.client()`` (``zenhire_nb.Client``). Each test gets its own, so tests never see each
    other's personas, sessions or credits.

Example::

    def test_balance(zenhire_tenant):
        with zenhire_tenant.http() as http:
            assert http.get("/api/v1/credits").json()["balance"] == 10_000
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zenhire_nb.sandbox.admin.client import Tenant
from zenhire_nb.sandbox.sandbox import Sandbox

__all__ = ["zenhire_sandbox", "zenhire_tenant"]


@pytest.fixture(scope="session")
def zenhire_sandbox() -> Iterator[Sandbox]:
    """A running in-memory sandbox shared by the whole test session."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def zenhire_tenant(zenhire_sandbox: Sandbox) -> Tenant:
    """A fresh tenant of the session's sandbox."""
    return zenhire_sandbox.new_tenant(name="pytest")
