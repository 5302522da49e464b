"""Extension points: extra routers, a different interview backend, plugins; and unhandled
errors answered as the 500 envelope."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request

from zenhire_nb.sandbox import (
    CompletionRequest,
    InterviewResult,
    Sandbox,
    SessionContext,
)
from zenhire_nb.sandbox.app import sandbox_state
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error


class WalkoutBackend:
    """Every interview ends with the candidate leaving: failed, nothing to bill."""

    def __init__(self) -> None:
        self.seen: list[SessionContext] = []

    def complete(self, session: SessionContext, request: CompletionRequest) -> InterviewResult:
        self.seen.append(session)
        return InterviewResult(
            status="failed", duration_sec=request.duration_sec, error_code="CANDIDATE_LEFT"
        )


def _broken_router() -> APIRouter:
    router = APIRouter()

    @router.get("/sandbox/boom")
    def boom() -> None:
        raise RuntimeError("secret detail that must not reach the client")

    @router.get("/sandbox/sessions/{session_id}/peek")
    def peek(session_id: str, request: Request) -> Any:
        row = sandbox_state(request.app).sessions.row(session_id)
        return {"status": row["status"] if row else None}

    return router


def test_extension_points() -> None:
    backend = WalkoutBackend()
    plugged: list[FastAPI] = []
    with Sandbox(
        backend=backend, extra_routers=[_broken_router()], plugins=[plugged.append]
    ) as sandbox:
        assert plugged == [sandbox.app]
        boom = httpx.get(sandbox.base_url + "/sandbox/boom")
        error = assert_error(boom, 500, "INTERNAL_ERROR")
        assert "secret detail" not in boom.text
        assert error["message"] == "Internal error."
        with sandbox.default_tenant.http() as http:
            persona = http.post(f"{API}/personas", json={"role_name": "Cook", "language": "fr"})
            session = http.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator", "candidate_ref": "c-9"},
            )
            session_id = session.json()["id"]
            sandbox.admin.start(session_id)
            assert sandbox.admin.complete(session_id, duration_sec=300) == {
                "status": "failed",
                "charged": 0,
            }
            assert http.get(f"{API}/sessions/{session_id}").json()["error_code"] == "CANDIDATE_LEFT"
        assert backend.seen[0].role_name == "Cook" and backend.seen[0].candidate_ref == "c-9"
        peek = httpx.get(f"{sandbox.base_url}/sandbox/sessions/{session_id}/peek")
        assert peek.json() == {"status": "failed"}
        document = httpx.get(sandbox.base_url + "/openapi.json").json()
        assert not [p for p in document["paths"] if p.startswith("/sandbox")]


def test_sandbox_repr_hides_secrets() -> None:
    with Sandbox(api_key="zh_api_hidden") as sandbox:
        shown = repr(sandbox) + repr(sandbox.admin) + repr(sandbox.default_tenant)
        assert "zh_api_hidden" not in shown and sandbox.admin_token not in shown
        assert sandbox.base_url in repr(sandbox)
    assert repr(sandbox) == "Sandbox(stopped)"
