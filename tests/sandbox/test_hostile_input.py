"""Hostile input answers a 4xx envelope, never a 500, and an error keeps the connection.

Everything over real HTTP on 127.0.0.1; the requests the HTTP parser itself refuses (a 1 MB
header, a NUL in a header) are sent on a raw socket, since httpx refuses to send them.
"""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi import APIRouter, Request

from zenhire_nb.sandbox import Sandbox, SandboxAdminError
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error

JSON = {"Content-Type": "application/json"}


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize("levels", [100, 10_000])
def test_deeply_nested_json_is_a_400(http: httpx.Client, make_persona, levels: int) -> None:
    persona = b'{"language": "en", "role_name": ' + _deep(levels) + b"}"
    error = assert_error(
        http.post(f"{API}/personas", content=persona, headers=JSON), 400, "INVALID_INPUT"
    )
    assert error["details"]["fields"]
    session = b'{"consent_mode": "integrator", "metadata": {"k": ' + _deep(levels) + b"}}"
    answer = http.post(f"{API}/personas/{make_persona()}/sessions", content=session, headers=JSON)
    assert_error(answer, 400, "INVALID_INPUT")


def test_lone_surrogate_is_a_400_naming_the_field(http: httpx.Client, make_persona) -> None:
    raw = b'{"consent_mode": "integrator", "candidate_ref": "\\ud800"}'
    answer = http.post(f"{API}/personas/{make_persona()}/sessions", content=raw, headers=JSON)
    assert "candidate_ref" in assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
    raw = b'{"role_name": "x", "language": "en", "system_prompt": "ok \\udfff"}'
    answer = http.post(f"{API}/personas", content=raw, headers=JSON)
    assert "system_prompt" in assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
    # A real pair is one character, and fine.
    raw = b'{"role_name": "x \\ud83d\\ude00", "language": "en"}'
    assert http.post(f"{API}/personas", content=raw, headers=JSON).status_code == 201


@pytest.mark.parametrize(
    "cursor",
    [
        base64.urlsafe_b64encode(b"s:" + b"9" * 400).decode(),
        "A" * 10_000,
        base64.urlsafe_b64encode(b"c1" + b"\xff" * 16).decode().rstrip("="),
    ],
)
def test_bad_or_huge_cursor_is_a_400(http: httpx.Client, cursor: str) -> None:
    error = assert_error(
        http.get(f"{API}/sessions", params={"cursor": cursor}), 400, "INVALID_INPUT"
    )
    assert "cursor" in error["details"]["fields"]


def test_empty_cursor_is_no_cursor(http: httpx.Client, make_session) -> None:
    made = make_session()
    listed = http.get(f"{API}/sessions?cursor=")
    assert listed.status_code == 200, listed.text
    assert [row["id"] for row in listed.json()["data"]] == [made["id"]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ip_allowlist": ["not-an-ip"]}, "ip_allowlist"),
        ({"ip_allowlist": ["10.0.0.0/8", "300.1.1.1"]}, "ip_allowlist"),
        ({"credits": 10**30}, "credits"),
        ({"rate_limit_per_minute": 10**30}, "rate_limit_per_minute"),
    ],
)
def test_admin_refuses_values_it_could_not_use(
    zenhire_sandbox: Sandbox, zenhire_tenant, fields: dict, field: str
) -> None:
    with pytest.raises(SandboxAdminError) as created:
        zenhire_sandbox.admin.create_client(**fields)
    assert created.value.status == 400 and field in created.value.details["fields"]
    with pytest.raises(SandboxAdminError) as patched:
        zenhire_sandbox.admin.update_client(zenhire_tenant.client_id, **fields)
    assert patched.value.status == 400 and field in patched.value.details["fields"]
    with zenhire_tenant.http() as http:  # the tenant still works
        assert http.get("/api/v1/credits").status_code == 200


def test_valid_allowlist_is_kept(zenhire_sandbox: Sandbox) -> None:
    tenant = zenhire_sandbox.new_tenant(ip_allowlist=["127.0.0.1", "::1/128"])
    with tenant.http() as http:
        assert http.get("/api/v1/credits").status_code == 200


def test_text_plain_and_utf16_bodies_are_not_json(http: httpx.Client) -> None:
    body = json.dumps({"role_name": "Analyst", "language": "en"})
    plain = http.post(f"{API}/personas", content=body, headers={"Content-Type": "text/plain"})
    assert_error(plain, 415, "UNSUPPORTED_MEDIA_TYPE")
    missing = http.post(f"{API}/personas", content=body.encode())  # no Content-Type at all
    assert_error(missing, 415, "UNSUPPORTED_MEDIA_TYPE")
    utf16 = http.post(f"{API}/personas", content=body.encode("utf-16"), headers=JSON)
    assert "body" in assert_error(utf16, 400, "INVALID_INPUT")["details"]["fields"]
    declared = http.post(
        f"{API}/personas",
        content=body.encode("utf-16"),
        headers={"Content-Type": "application/json; charset=utf-16"},
    )
    assert_error(declared, 415, "UNSUPPORTED_MEDIA_TYPE")
    ok = http.post(
        f"{API}/personas", content=body, headers={"Content-Type": "application/json; charset=UTF-8"}
    )
    assert ok.status_code == 201, ok.text


def test_auth_still_answers_before_the_body(zenhire_sandbox: Sandbox) -> None:
    answer = httpx.post(
        f"{zenhire_sandbox.base_url}{API}/personas",
        content=b"not json",
        headers={"Content-Type": "text/plain"},
    )
    assert_error(answer, 401, "MISSING_API_KEY", request_id=False)


def test_options_lists_every_method_of_the_path(http: httpx.Client) -> None:
    answer = http.options(f"{API}/personas")
    assert answer.status_code == 204
    allowed = {m.strip() for m in answer.headers["allow"].split(",")}
    assert {"GET", "POST", "HEAD", "OPTIONS"} <= allowed and "DELETE" not in allowed
    wrong = http.delete(f"{API}/personas")
    assert_error(wrong, 405, "METHOD_NOT_ALLOWED")
    assert {m.strip() for m in wrong.headers["allow"].split(",")} == allowed
    assert_error(http.options(f"{API}/nothing-here"), 404, "NOT_FOUND")


def test_head_is_answered_like_get_without_a_body(
    zenhire_sandbox: Sandbox, http: httpx.Client, make_session
) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    zenhire_sandbox.admin.complete(session_id, duration_sec=3)
    for path in (
        f"{API}/personas",
        f"{API}/sessions/{session_id}",
        f"{API}/sessions/{session_id}/recording",
        "/api/v1/health",
    ):
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        if "recording" in path:
            assert int(head.headers["content-length"]) == len(got.content) > 1000
    missing = http.head(f"{API}/sessions/nope")
    assert missing.status_code == 404 and missing.content == b""
    assert httpx.head(zenhire_sandbox.base_url + f"{API}/personas").status_code == 401


def _raw_request(sandbox: Sandbox, request: bytes) -> tuple[int, dict]:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert b"application/json" in head.lower(), head
    return status, json.loads(body)["error"]


def test_huge_or_nul_header_gets_the_envelope(zenhire_sandbox: Sandbox) -> None:
    big = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
    status, error = _raw_request(zenhire_sandbox, big)
    assert (status, error["code"]) == (431, "REQUEST_HEADERS_TOO_LARGE")
    nul = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"
    status, error = _raw_request(zenhire_sandbox, nul)
    assert (status, error["code"]) == (400, "INVALID_INPUT") and error["message"]
    # Through httpx too: the client reads the answer instead of a reset connection.
    answer = httpx.get(
        zenhire_sandbox.base_url + "/api/v1/health", headers={"X-Big": "a" * 1_000_000}
    )
    assert (
        answer.status_code == 431 and answer.json()["error"]["code"] == "REQUEST_HEADERS_TOO_LARGE"
    )


_failing = APIRouter()


@_failing.get("/boom")
def _boom() -> None:
    raise RuntimeError("an unexpected bug")


@_failing.get("/port")
def _port(request: Request) -> dict:
    assert request.client is not None
    return {"port": request.client.port}


@pytest.fixture(scope="module")
def failing_sandbox() -> Iterator[Sandbox]:
    with Sandbox(extra_routers=[_failing]) as sandbox:
        yield sandbox


def test_a_500_keeps_the_connection(failing_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=failing_sandbox.base_url) as http:
        before = http.get("/port").json()["port"]
        boom = http.get("/boom")
        assert_error(boom, 500, "INTERNAL_ERROR")
        assert boom.headers.get("connection") != "close"
        after = http.get("/port").json()["port"]
    assert after == before  # the same TCP connection carried all three
