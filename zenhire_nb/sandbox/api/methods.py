"""HTTP methods beyond the routes' own: ``HEAD``, ``OPTIONS`` and a complete ``Allow``.

FastAPI registers each route for exactly the methods it declares, and one path may be served
by several routes (``GET`` and ``POST /personas``). Left alone, ``HEAD`` answers 405, and
``OPTIONS`` or a wrong method answers 405 with the ``Allow`` of whichever route matched first
(``Allow: POST`` for ``/personas``). This layer, over every route of the app (docs/contract.md
§4):

- ``HEAD`` on a path served by ``GET`` is answered as that ``GET`` is, headers and all
  (``Content-Length`` included), without the body;
- ``OPTIONS`` on a known path answers ``204`` with ``Allow`` listing every method of the path;
- a 405 carries that same complete ``Allow``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MethodsMiddleware", "allowed_methods"]


_PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(router: Router, path: str) -> list[str]:
    """Every method some route of ``router`` serves ``path`` with (``HEAD`` with ``GET``,
    ``OPTIONS`` for any known path), sorted; empty for an unknown path.

    Asked of the routes themselves (Starlette's ``matches``), so included routers and their
    prefixes count exactly as the router will route.
    """
    methods = {
        method
        for method in _PROBED
        if any(route.matches(_probe(path, method))[0] == Match.FULL for route in router.routes)
    }
    if "GET" in methods:
        methods.add("HEAD")
    if methods:
        methods.add("OPTIONS")
    return sorted(methods)


def _probe(path: str, method: str) -> Scope:
    return {
        "type": "http", "path": path, "method": method, "root_path": "",
        "headers": [], "query_string": b"",
    }  # fmt: skip


class MethodsMiddleware:
    """The layer of the module docstring; ``router`` is the app's (read on each request, so
    routes added after the middleware count)."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed = allowed_methods(self.router, scope["path"])
        method = scope["method"]
        allow = ", ".join(allowed).encode()
        if method == "OPTIONS" and allowed:
            await send(
                {"type": "http.response.start", "status": 204, "headers": [(b"allow", allow)]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if method == "HEAD" and "GET" in allowed:
            # The server keeps its own scope (method HEAD) and sends no body either way.
            await self.app({**scope, "method": "GET"}, receive, _headers_only(send, allow))
            return
        await self.app(scope, receive, _complete_allow(send, allow))


def _complete_allow(send: Send, allow: bytes) -> Callable[[Message], Coroutine[Any, Any, None]]:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 405:
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
            message = {**message, "headers": [*headers, (b"allow", allow)]}
        await send(message)

    return sending


def _headers_only(send: Send, allow: bytes) -> Callable[[Message], Coroutine[Any, Any, None]]:
    fixed = _complete_allow(send, allow)
    finished = False

    async def sending(message: Message) -> None:
        nonlocal finished
        if message["type"] != "http.response.body":
            await fixed(message)
        elif not finished:
            finished = True
            await fixed({"type": "http.response.body", "body": b"", "more_body": False})

    return sending
