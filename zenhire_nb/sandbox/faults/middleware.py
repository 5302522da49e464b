"""The ASGI layer that carries out a :class:`~.rules.FaultInjector`'s decisions.

It wraps the whole sandbox app and is handed to uvicorn directly (outside Starlette's own
middleware), because a dropped connection needs the connection itself: an ASGI app can only
send messages, and an exception raised before the response starts makes uvicorn answer a tidy
500, not a drop. uvicorn's ``send`` is a bound method of its per-request cycle, which holds the
asyncio transport; closing that transport ends the TCP connection, after flushing whatever was
already written (nothing for a drop, the first part of the body for a truncation). With another
server (no transport reachable) the layer falls back to raising after the response started,
which also ends the connection, with an error logged by the server.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zenhire_nb.sandbox.api.errors import error_response, new_request_id
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule

__all__ = ["FaultInjectingApp"]

_ERRORS = {
    "429": (429, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded (injected fault)."),
    "500": (500, "INTERNAL_ERROR", "Internal error (injected fault)."),
    "503": (503, "SERVICE_UNAVAILABLE", "Service warming up (injected fault)."),
}
_CONTRACT_PREFIX = "/api/"


class _InjectedDrop(Exception):
    """Raised only when no transport is reachable: ends the connection the hard way."""


class FaultInjectingApp:
    """Wraps ``app``; requests to contract routes go through ``injector`` first."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(_CONTRACT_PREFIX):
            await self.app(scope, receive, send)
            return
        decision = self.injector.decide(scope["method"], scope["path"])
        if decision.latency_sec > 0:
            await asyncio.sleep(decision.latency_sec)
        if decision.fault is None:
            await self.app(scope, receive, send)
        elif decision.fault in _ERRORS:
            await self._error(decision.fault, decision.rule, scope, receive, send)
        elif decision.fault == "drop":
            await _close_connection(send, started=False)
        else:
            assert decision.rule is not None
            await self._truncated(decision.rule, scope, receive, send)

    async def _error(
        self, kind: str, rule: FaultRule | None, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status, code, message = _ERRORS[kind]
        retry_after = rule.retry_after if rule is not None and status in (429, 503) else None
        response = error_response(
            status,
            code,
            message,
            request_id=new_request_id(),
            details={"injected": True},
            retry_after=retry_after,
        )
        await response(scope, receive, send)

    async def _truncated(self, rule: FaultRule, scope: Scope, receive: Receive, send: Send) -> None:
        cutter = _Cutter(send, rule.truncate_at)
        await self.app(scope, receive, cutter.send)
        if cutter.cut:
            await _close_connection(send, started=True)


class _Cutter:
    """Passes a 2xx response through until ``share`` of its ``Content-Length``, then swallows
    the rest (so the app finishes normally); other responses pass through untouched."""

    def __init__(self, send: Send, share: float) -> None:
        self._send, self._share = send, share
        self._limit: int | None = None
        self._sent = 0
        self.cut = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            length = _content_length(message)
            if 200 <= message["status"] < 300 and length:
                self._limit = min(int(length * self._share), length - 1)
            await self._send(message)
            return
        if message["type"] != "http.response.body" or self._limit is None:
            await self._send(message)
            return
        if self.cut:
            return
        body: bytes = message.get("body", b"")
        room = self._limit - self._sent
        if len(body) >= room or not message.get("more_body", False):
            self.cut = True
            await self._send({"type": "http.response.body", "body": body[:room], "more_body": True})
            return
        self._sent += len(body)
        await self._send(message)


def _content_length(message: Message) -> int | None:
    for name, value in message.get("headers", []):
        if name.lower() == b"content-length":
            return int(value)
    return None


async def _close_connection(send: Send, *, started: bool) -> None:
    """End the TCP connection now (see the module docstring for why through the transport)."""
    cycle: Any = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        if not started:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )
        raise _InjectedDrop("connection dropped by a fault rule")
    transport.close()
    # Let the event loop run connection_lost(), so uvicorn sees a client that went away
    # rather than an app that forgot to answer (which it would log as an error).
    for _ in range(100):
        if cycle.disconnected:
            return
        await asyncio.sleep(0.005)
