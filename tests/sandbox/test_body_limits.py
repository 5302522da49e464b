"""Body size limits apply before a body is read, on every route, also those that need no API key
(the webhook, the candidate routes): a declared length over the cap is answered 413 at once,
with nothing of the body sent; a body without a length is stopped at the cap.

The memory this saves is measured side by side in benchmarks/bench_sandbox_body_limits.py
(the server's RSS before and after a 400 MB POST).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from zenhire_nb.sandbox import CandidatePageSettings, Sandbox
from zenhire_nb.sandbox.api.bodies import JSON_MAX_BYTES
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error, token_of

HUGE = 400 * 1024 * 1024


def _declare_only(sandbox: Sandbox, path: str, headers: dict[str, str]) -> tuple[int, dict]:
    """Send only the request head, declaring a 400 MB body: the answer must come without it."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {HUGE}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)  # a server waiting for the body times out here
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/sandbox/webhook/sessions/some-session",
        "/sandbox/candidate/verify",
        "/sandbox/candidate/begin",
        "/sandbox/candidate/answer?index=0",
        f"{API}/personas",
        "/sandbox/sessions/some-session/complete",
    ],
)
def test_declared_huge_body_is_refused_before_reading(zenhire_sandbox: Sandbox, path: str) -> None:
    status, error = _declare_only(
        zenhire_sandbox, path, {"Content-Type": "application/json", "X-Candidate-Token": "x"}
    )
    assert (status, error["code"]) == (413, "PAYLOAD_TOO_LARGE")
    assert 0 < error["details"]["max_bytes"] < HUGE


def test_streamed_body_is_stopped_at_the_cap(zenhire_sandbox: Sandbox) -> None:
    sent = 0

    def chunks():  # no Content-Length: chunked transfer
        nonlocal sent
        block = b" " * 65536
        for _ in range(4 * JSON_MAX_BYTES // len(block)):
            sent += len(block)
            yield block

    answer = httpx.post(
        f"{zenhire_sandbox.base_url}/sandbox/candidate/verify",
        content=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert_error(answer, 413, "PAYLOAD_TOO_LARGE")
    # The server keeps serving afterwards.
    assert httpx.get(f"{zenhire_sandbox.base_url}/api/v1/health").status_code == 200


def test_json_under_the_cap_still_passes(http: httpx.Client) -> None:
    body = {"role_name": "Analyst", "language": "en", "base_prompt_override": "p" * 500_000}
    assert http.post(f"{API}/personas", json=body).status_code == 201


def test_microphone_answer_over_its_own_cap_is_413(page_sandbox_small: Sandbox) -> None:
    # max_answer_sec=1: at most 1 s of 48 kHz stereo 16-bit audio (+ header).
    with page_sandbox_small.default_tenant.http() as http:
        persona = http.post(f"{API}/personas", json={"role_name": "QA", "language": "en"})
        created = http.post(
            f"{API}/personas/{persona.json()['id']}/sessions", json={"consent_mode": "integrator"}
        ).json()
    token = {"X-Candidate-Token": token_of(created["candidate_link"])}
    with httpx.Client(base_url=page_sandbox_small.base_url, headers=token, timeout=30) as page:
        assert page.post("/sandbox/candidate/begin", json={}).json()["status"] == "active"
        answer = page.post(
            "/sandbox/candidate/answer?index=0",
            content=b"\0" * (1 * 48_000 * 4 + 8192),
            headers={"Content-Type": "audio/wav"},
        )
    assert_error(answer, 413, "PAYLOAD_TOO_LARGE")


@pytest.fixture(scope="module")
def page_sandbox_small() -> Iterator[Sandbox]:
    with Sandbox(candidate_page=CandidatePageSettings(questions=1, max_answer_sec=1)) as sandbox:
        yield sandbox
