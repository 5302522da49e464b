"""Authentication, tenancy, credits and the rate limit, each provoked for real over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from zenhire_nb.sandbox import Sandbox, Tenant
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error


def _get(base_url: str, key: str | None, path: str = f"{API}/personas") -> httpx.Response:
    headers = {"X-API-Key": key} if key is not None else {}
    return httpx.get(base_url + path, headers=headers)


def test_auth_rejections_carry_no_request_id(zenhire_sandbox: Sandbox) -> None:
    base = zenhire_sandbox.base_url
    assert_error(_get(base, None), 401, "MISSING_API_KEY", request_id=False)
    assert_error(_get(base, ""), 401, "MISSING_API_KEY", request_id=False)
    assert_error(_get(base, "zh_api_nope"), 401, "INVALID_API_KEY", request_id=False)


def test_health_needs_no_key(zenhire_sandbox: Sandbox) -> None:
    assert httpx.get(zenhire_sandbox.base_url + "/api/v1/health").json() == {"status": "ok"}


def test_expired_key(zenhire_sandbox: Sandbox, zenhire_tenant: Tenant) -> None:
    past = datetime.now(timezone.utc) - timedelta(minutes=1)
    future = datetime.now(timezone.utc) + timedelta(days=1)
    expired = zenhire_sandbox.admin.create_key(zenhire_tenant.client_id, expires_at=past)
    valid = zenhire_sandbox.admin.create_key(zenhire_tenant.client_id, expires_at=future)
    assert_error(_get(zenhire_sandbox.base_url, expired), 401, "API_KEY_EXPIRED", request_id=False)
    assert _get(zenhire_sandbox.base_url, valid).status_code == 200


def test_inactive_client(zenhire_sandbox: Sandbox, zenhire_tenant: Tenant) -> None:
    zenhire_sandbox.admin.update_client(zenhire_tenant.client_id, active=False)
    assert_error(
        _get(zenhire_sandbox.base_url, zenhire_tenant.api_key),
        401,
        "CLIENT_INACTIVE",
        request_id=False,
    )
    zenhire_sandbox.admin.update_client(zenhire_tenant.client_id, active=True)
    assert _get(zenhire_sandbox.base_url, zenhire_tenant.api_key).status_code == 200


def test_ip_allowlist(zenhire_sandbox: Sandbox, zenhire_tenant: Tenant) -> None:
    admin, base, key = zenhire_sandbox.admin, zenhire_sandbox.base_url, zenhire_tenant.api_key
    admin.update_client(zenhire_tenant.client_id, ip_allowlist=["10.0.0.0/8"])
    assert_error(_get(base, key), 403, "IP_NOT_ALLOWED", request_id=False)
    admin.update_client(zenhire_tenant.client_id, ip_allowlist=["10.0.0.0/8", "127.0.0.1"])
    assert _get(base, key).status_code == 200
    admin.update_client(zenhire_tenant.client_id, ip_allowlist=None)
    assert _get(base, key).status_code == 200


def test_missing_permission(zenhire_sandbox: Sandbox) -> None:
    tenant = zenhire_sandbox.new_tenant(interview_permission=False)
    with tenant.http() as http:
        assert_error(http.get(f"{API}/personas"), 403, "MISSING_PERMISSION")
        assert_error(http.post(f"{API}/personas/x/sessions", json={}), 403, "MISSING_PERMISSION")
        assert http.get("/api/v1/credits").status_code == 200  # credits need no permission


def test_insufficient_credits_comes_before_the_persona_and_body(zenhire_sandbox: Sandbox) -> None:
    tenant = zenhire_sandbox.new_tenant(credits=4)
    with tenant.http() as http:
        persona = http.post(f"{API}/personas", json={"role_name": "A", "language": "en"})
        path = f"{API}/personas/{persona.json()['id']}/sessions"
        error = assert_error(http.post(path, json={}), 402, "INSUFFICIENT_CREDITS")
        assert error["details"] == {"balance": 4, "required": 5}
        assert_error(
            http.post(f"{API}/personas/unknown/sessions", json={}), 402, "INSUFFICIENT_CREDITS"
        )
        zenhire_sandbox.admin.update_client(tenant.client_id, credits=5)
        assert http.post(path, json={"consent_mode": "explicit"}).status_code == 201
        assert http.get("/api/v1/credits").json() == {"balance": 5, "client_id": tenant.client_id}
    entries = zenhire_sandbox.admin.ledger(tenant.client_id)["entries"]
    assert [e["delta"] for e in entries] == [4, 1]


def test_cross_tenant_access_is_404(zenhire_sandbox: Sandbox, make_session) -> None:
    session = make_session()
    mine = httpx.get(zenhire_sandbox.base_url + f"{API}/sessions/{session['id']}")
    assert mine.status_code == 401
    other = zenhire_sandbox.new_tenant()
    with other.http() as http:
        persona_id = http.get(f"{API}/sessions").json()["data"]
        assert persona_id == []
        assert_error(http.get(f"{API}/sessions/{session['id']}"), 404, "NOT_FOUND")
        assert_error(http.get(f"{API}/sessions/{session['id']}/recording"), 404, "NOT_FOUND")
        assert_error(http.get(f"{API}/sessions/{session['id']}/transcript"), 404, "NOT_FOUND")
        assert http.get(f"{API}/personas").json() == {"data": []}


def test_foreign_persona_is_404(zenhire_sandbox: Sandbox, make_persona) -> None:
    persona_id = make_persona()
    with zenhire_sandbox.new_tenant().http() as http:
        assert_error(http.get(f"{API}/personas/{persona_id}"), 404, "NOT_FOUND")
        assert_error(
            http.post(f"{API}/personas/{persona_id}/sessions", json={"consent_mode": "explicit"}),
            404,
            "NOT_FOUND",
        )


def test_rate_limit(zenhire_sandbox: Sandbox) -> None:
    tenant = zenhire_sandbox.new_tenant(rate_limit_per_minute=3)
    with tenant.http() as http:
        assert [http.get("/api/v1/credits").status_code for _ in range(3)] == [200] * 3
        limited = http.get("/api/v1/credits")
        error = assert_error(limited, 429, "RATE_LIMIT_EXCEEDED", request_id=False)
        assert 1 <= error["retryAfterSeconds"] <= 60
        assert limited.headers["Retry-After"] == str(error["retryAfterSeconds"])
    # The limit is per key: another key of the same client has its own budget.
    other_key = zenhire_sandbox.admin.create_key(tenant.client_id)
    assert _get(zenhire_sandbox.base_url, other_key, "/api/v1/credits").status_code == 200


def test_rate_limit_window_slides(clocked_sandbox) -> None:
    sandbox, clock = clocked_sandbox
    tenant = sandbox.new_tenant(rate_limit_per_minute=2)
    with tenant.http() as http:
        assert http.get("/api/v1/credits").status_code == 200
        clock.advance(30)
        assert http.get("/api/v1/credits").status_code == 200
        limited = http.get("/api/v1/credits")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "30"
        clock.advance(30)
        assert http.get("/api/v1/credits").status_code == 200


def test_default_rate_limit_is_the_contracts(zenhire_sandbox: Sandbox) -> None:
    assert zenhire_sandbox.state.limiter.default_limit == 500


def test_admin_routes_need_the_admin_token(zenhire_sandbox: Sandbox) -> None:
    response = httpx.post(
        zenhire_sandbox.base_url + "/sandbox/clients",
        json={},
        headers={"X-Sandbox-Admin-Token": "wrong"},
    )
    assert_error(response, 401, "ADMIN_TOKEN_INVALID")


def test_keys_are_stored_only_as_hashes(zenhire_sandbox: Sandbox, zenhire_tenant) -> None:
    rows = zenhire_sandbox.state.db.all("SELECT * FROM api_keys")
    dump = repr([tuple(row) for row in rows])
    assert zenhire_tenant.api_key not in dump
    assert zenhire_tenant.api_key not in repr(zenhire_tenant)


def test_an_existing_key_cannot_make_or_join_another_tenant(
    zenhire_sandbox: Sandbox, zenhire_tenant: Tenant
) -> None:
    """A key belongs to exactly one tenant (§2): reusing it fails, and it stays where it was."""
    admin = {"X-Sandbox-Admin-Token": zenhire_sandbox.admin_token}
    base = zenhire_sandbox.base_url
    made = httpx.post(
        f"{base}/sandbox/clients", json={"api_key": zenhire_tenant.api_key}, headers=admin
    )
    assert_error(made, 409, "API_KEY_IN_USE")
    other = zenhire_sandbox.new_tenant()
    added = httpx.post(
        f"{base}/sandbox/clients/{other.client_id}/keys",
        json={"api_key": zenhire_tenant.api_key},
        headers=admin,
    )
    assert_error(added, 409, "API_KEY_IN_USE")
    credits = _get(base, zenhire_tenant.api_key, "/api/v1/credits")
    assert credits.json()["client_id"] == zenhire_tenant.client_id
    # Re-registering a tenant's own key is allowed (it sets the expiry anew).
    again = httpx.post(
        f"{base}/sandbox/clients/{zenhire_tenant.client_id}/keys",
        json={"api_key": zenhire_tenant.api_key},
        headers=admin,
    )
    assert again.status_code == 201, again.text
