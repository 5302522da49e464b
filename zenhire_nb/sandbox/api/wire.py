"""The sandbox on the wire: uvicorn's settings, and requests refused before the app runs.

A request the HTTP parser (h11) cannot accept, such as a header block over
:data:`MAX_HEADER_BYTES` (a 1 MB header) or a NUL byte in a header, never reaches the app:
uvicorn answers it with a plain-text ``400 Invalid HTTP request received.`` and closes at
once. :class:`EnvelopeH11Protocol` keeps uvicorn's parser and limits but answers those with
the contract's envelope (docs/contract.md §4): ``431 REQUEST_HEADERS_TOO_LARGE`` when the
headers outgrew the limit, else ``400 INVALID_INPUT``; no ``requestId``, as no request was
made. It then reads and discards what the client is still sending for a moment before
closing (bounded by :data:`LINGER_SEC` and :data:`LINGER_MAX_BYTES`), so the client is not
reset in the middle of its upload and can read the answer.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from zenhire_nb.contract.models import iso_ms

__all__ = [
    "LINGER_MAX_BYTES",
    "LINGER_SEC",
    "MAX_HEADER_BYTES",
    "EnvelopeH11Protocol",
    "server_config",
]

MAX_HEADER_BYTES = 64 * 1024  # request line and headers together
LINGER_SEC = 1.0
LINGER_MAX_BYTES = 8 * 1024 * 1024


def _envelope(code: str, message: str) -> bytes:
    error = {
        "code": code,
        "message": message,
        "timestamp": iso_ms(datetime.now(timezone.utc)),
        "details": {},
    }
    return json.dumps({"error": error}).encode()


class EnvelopeH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering unparseable requests with the error envelope."""

    _lingering = False
    _discarded = 0

    def send_400_response(self, msg: str) -> None:
        buffered = len(self.conn.trailing_data[0])
        if buffered > MAX_HEADER_BYTES:
            status, code = 431, "REQUEST_HEADERS_TOO_LARGE"
            message = f"The request's headers are larger than {MAX_HEADER_BYTES} bytes."
        else:
            status, code = 400, "INVALID_INPUT"
            message = "The request is not valid HTTP (a malformed request line or header)."
        body = _envelope(code, message)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        reason = b"Request Header Fields Too Large" if status == 431 else b"Bad Request"
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self._linger()

    def _linger(self) -> None:
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.flow.resume_reading()
        self.loop.call_later(LINGER_SEC, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if not self._lingering:
            super().data_received(data)
            return
        self._discarded += len(data)
        if self._discarded > LINGER_MAX_BYTES:
            self.transport.close()

    def shutdown(self) -> None:
        if self._lingering:
            self.transport.close()
            return
        super().shutdown()


def server_config(app: Any, *, log_level: str) -> uvicorn.Config:
    """uvicorn's settings for serving ``app`` (the ASGI app of ``served_app``)."""
    return uvicorn.Config(
        app,
        log_level=log_level,
        lifespan="off",
        http=EnvelopeH11Protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
