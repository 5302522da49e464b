"""Widgets against a real sandbox on 127.0.0.1: tenants, personas and simulated sessions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from zenhire_nb import Client


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    # The results cache of each test in its own folder: nothing shared with the user's cache.
    monkeypatch.setenv("ZENHIRE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def client(zenhire_tenant) -> Client:
    with zenhire_tenant.client() as client:
        yield client


@pytest.fixture
def persona(client):
    return client.personas.create(role_name="Data Analyst", language="en")


@pytest.fixture
def completed(client, persona, zenhire_sandbox) -> Callable[..., list[str]]:
    """``completed(n, **create_options)``: ids of n sessions the simulated candidate completed."""

    def make(n: int, *, minutes: float = 0.5, **options: Any) -> list[str]:
        ids = []
        for index in range(n):
            created = client.sessions.create(
                persona.id,
                consent_mode="integrator",
                candidate_ref=options.pop("candidate_ref", None) or f"cand-{index:03d}",
                **options,
            )
            zenhire_sandbox.admin.simulate(created.id, seed=index, target_minutes=minutes)
            ids.append(created.id)
        return ids

    return make


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``predicate`` until truthy (background threads update the widgets)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout} s")
