"""A sandbox on a database file keeps tenants, keys, sessions, artifacts and credits across a
restart; an in-memory one leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.testing import API_PREFIX as API


def test_restart_keeps_everything(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with Sandbox(db=db, credits=500, api_key="zh_api_fixed") as first:
        with first.default_tenant.http() as http:
            persona = http.post(f"{API}/personas", json={"role_name": "A", "language": "en"})
            session = http.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator", "tags": ["kept"]},
            ).json()
        first.admin.start(session["id"])
        first.admin.complete(session["id"], duration_sec=90)
        client_id = first.client_id
    assert (tmp_path / "sandbox.db.artifacts").is_dir()

    with Sandbox(db=db, credits=999_999) as second:  # a new key is minted; the old one works
        assert second.client_id == client_id and second.api_key != "zh_api_fixed"
        with second.default_tenant.http() as http:
            assert http.get("/api/v1/credits").json()["balance"] == 490  # opening kept
        with second.default_tenant.http(headers={"X-API-Key": "zh_api_fixed"}) as http:
            rows = http.get(f"{API}/sessions", params={"tag": "kept"}).json()["data"]
            assert [r["id"] for r in rows] == [session["id"]]
            assert rows[0]["status"] == "completed"
            recording = http.get(f"{API}/sessions/{session['id']}/recording")
            assert recording.status_code == 200 and len(recording.content) == 44 + 90 * 32_000
        ledger = second.admin.ledger(client_id)
        assert [e["delta"] for e in ledger["entries"]] == [500, -10]


def test_in_memory_sandbox_cleans_up() -> None:
    with Sandbox() as sandbox:
        root = sandbox.state.artifacts.root
        with sandbox.default_tenant.http() as http:
            persona = http.post(f"{API}/personas", json={"role_name": "A", "language": "en"})
            session = http.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator"},
            ).json()
        sandbox.admin.start(session["id"])
        sandbox.admin.complete(session["id"], duration_sec=1)
        assert any(root.rglob("*.wav"))
    assert not root.exists()
