"""The sandbox application factory.

:func:`create_app` builds a FastAPI app serving every first-party route over a SQLite store: the
contract (``/api/v1/...``), the ``/sandbox`` admin namespace, simulated interviews
(``/sandbox/sessions/{id}/simulate``, ``/ground-truth``), fault rules (``/sandbox/faults``) and
the candidate page. :func:`served_app` is what to hand to an ASGI server: the app behind its
fault-injection layer when it has one.

Third parties plug in with ``backend`` (what produces an interview's outcome),
``extra_routers`` (more routes) and ``plugins`` (callables that receive the app once it is
built, e.g. to add middleware).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.admin import routes as admin_routes
from zenhire_nb.sandbox.api import routes as api_routes
from zenhire_nb.sandbox.api.bodies import BodyLimitMiddleware
from zenhire_nb.sandbox.api.errors import (
    UnhandledErrorMiddleware,
    install_error_handlers,
    new_request_id,
)
from zenhire_nb.sandbox.api.methods import MethodsMiddleware
from zenhire_nb.sandbox.candidate_page import routes as candidate_page_routes
from zenhire_nb.sandbox.candidate_page.live import CandidatePageSettings
from zenhire_nb.sandbox.core.backend import InterviewBackend, PlaceholderBackend
from zenhire_nb.sandbox.core.state import SandboxState, open_state
from zenhire_nb.sandbox.faults import routes as faults_routes
from zenhire_nb.sandbox.faults.middleware import FaultInjectingApp
from zenhire_nb.sandbox.faults.rules import FaultInjector
from zenhire_nb.sandbox.simulation import routes as simulation_routes
from zenhire_nb.sandbox.simulation.backend import SimulationSettings

__all__ = ["Plugin", "create_app", "sandbox_state", "served_app"]

# Mounted by every app, outside the contract's OpenAPI document.
_FIRST_PARTY_ROUTERS = (
    admin_routes.router,
    candidate_page_routes.router,
    simulation_routes.router,
    faults_routes.router,
)

Plugin = Callable[[FastAPI], None]


class _RequestIdMiddleware:
    """Give each request a ``req_…`` id (``request.state.request_id``, ``X-Request-Id``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)


def _contract_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            # Bad input answers 400 INVALID_INPUT here, never FastAPI's 422.
            for path_item in schema.get("paths", {}).values():
                for operation in path_item.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_app(
    *,
    db: str | Path | None = None,
    admin_token: str | None = None,
    webhook_secret: str | None = None,
    clock: Callable[[], float] = time.time,
    backend: InterviewBackend | None = None,
    rate_limit_per_minute: int = Limits.RATE_LIMIT_PER_MINUTE,
    public_base_url: str | None = None,
    simulation: SimulationSettings | None = None,
    faults: FaultInjector | None = None,
    candidate_page: CandidatePageSettings | None = None,
    extra_routers: Sequence[APIRouter] = (),
    plugins: Sequence[Plugin] = (),
) -> FastAPI:
    """Build a sandbox app. Side effect: opens (creates) the database and artifact folder.

    ``db=None`` is in memory; a path persists (artifacts in ``<db>.artifacts/``). Tokens and
    secrets default to fresh random values. ``clock`` (Unix seconds) drives link expiry, key
    expiry, rate limits and webhook tolerance. ``public_base_url`` fixes the origin written into
    candidate links (default: the origin the request came in on). ``simulation`` holds the
    defaults of simulated interviews, ``candidate_page`` the page's options (None: defaults);
    ``faults`` None builds an app without fault injection (``/sandbox/faults`` answers 409
    ``FAULTS_UNAVAILABLE``); with an injector, serve :func:`served_app` of the result. The
    caller must eventually call ``sandbox_state(app).close()``.
    """
    state = open_state(
        db=db,
        admin_token=admin_token or secrets.token_urlsafe(24),
        webhook_secret=webhook_secret or secrets.token_hex(32),
        clock=clock,
        backend=backend or PlaceholderBackend(),
        rate_limit_per_minute=rate_limit_per_minute,
        public_base_url=public_base_url,
        simulation=simulation,
        faults=faults,
        candidate_page=candidate_page,
    )
    app = FastAPI(
        title="ZenHire Interview API (zenhire-nb sandbox)",
        version="2.0.0",
        description="Local stand-in for the ZenHire platform: the integrator "
        "contract. The /sandbox admin namespace is not documented here.",
    )
    app.state.sandbox = state
    install_error_handlers(app)
    # Outermost last: request id, then body limits (before anything reads a body), then the
    # HEAD/OPTIONS/Allow layer, then the catch-all that keeps a 500's connection open.
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(MethodsMiddleware, router=app.router)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(_RequestIdMiddleware)
    app.include_router(api_routes.router)
    for router in (*_FIRST_PARTY_ROUTERS, *extra_routers):
        app.include_router(router, include_in_schema=False)
    for plugin in plugins:
        plugin(app)
    app.openapi = _contract_openapi(app)  # type: ignore[method-assign]
    return app


def sandbox_state(app: FastAPI) -> SandboxState:
    """The :class:`SandboxState` of an app made by :func:`create_app`."""
    state: SandboxState = app.state.sandbox
    return state


def served_app(app: FastAPI) -> ASGIApp:
    """The ASGI app to hand to a server for ``app``: behind the fault-injection layer when
    ``app`` has an injector, else ``app`` itself.

    The layer wraps the whole app instead of being Starlette middleware because a dropped
    connection needs uvicorn's transport, which Starlette's own middleware hides.
    """
    injector = sandbox_state(app).faults
    return app if injector is None else FaultInjectingApp(app, injector)
