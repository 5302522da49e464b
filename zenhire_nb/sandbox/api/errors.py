"""The error envelope of the contract (docs/contract.md §4) and the handlers that enforce it.

Every 4xx/5xx the sandbox answers has the shape
``{"error": {"code", "message", "timestamp", "requestId"?, "details"}}``. FastAPI's own 422
validation answer and Starlette's plain-text 404/405/500 never reach a client: they are turned
into this envelope here. ``requestId`` is left out on rejections made by the authentication
layer, as the platform does ("absent on middleware rejections").
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zenhire_nb.contract.codes import ErrorCode
from zenhire_nb.contract.models import iso_ms

__all__ = [
    "ApiError",
    "ErrorBody",
    "ErrorEnvelope",
    "UnhandledErrorMiddleware",
    "error_response",
    "install_error_handlers",
    "invalid_input",
    "new_request_id",
    "validation_fields",
]

_log = logging.getLogger("zenhire_nb.sandbox")


class ErrorBody(BaseModel):
    """The inside of the error envelope (also the OpenAPI schema of every error response)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    timestamp: str
    requestId: str | None = None  # noqa: N815 - the platform's field name
    details: dict[str, Any] = Field(default_factory=dict)
    retryAfterSeconds: int | None = None  # noqa: N815 - the platform's field name


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    """Raised anywhere in a request to answer with the envelope.

    ``status`` defaults to the contract's status for ``code``; sandbox-only codes (admin and
    candidate routes) must pass it. ``middleware=True`` drops ``requestId`` (auth rejections).
    """

    def __init__(
        self,
        code: ErrorCode | str,
        message: str,
        *,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        retry_after: int | None = None,
        middleware: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code.value if isinstance(code, ErrorCode) else code
        self.status = status if status is not None else ErrorCode(self.code).http_status
        self.message = message
        self.details = details or {}
        self.retry_after = retry_after
        self.middleware = middleware


def invalid_input(fields: dict[str, str], message: str = "Invalid input.") -> ApiError:
    """A ``400 INVALID_INPUT`` naming each bad field with its reason."""
    return ApiError(ErrorCode.INVALID_INPUT, message, details={"fields": fields})


def new_request_id() -> str:
    return "req_" + secrets.token_hex(12)


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    request_id: str | None,
    details: dict[str, Any] | None = None,
    retry_after: int | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build one envelope response; ``retry_after`` (seconds) sets the header and the field."""
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "timestamp": iso_ms(datetime.now(timezone.utc)),
        "details": details or {},
    }
    if request_id is not None:
        body["requestId"] = request_id
    all_headers = dict(headers or {})
    if retry_after is not None:
        body["retryAfterSeconds"] = retry_after
        all_headers["Retry-After"] = str(retry_after)
    if request_id is not None:
        all_headers["X-Request-Id"] = request_id
    return JSONResponse({"error": body}, status_code=status, headers=all_headers)


def _request_id(request: Request) -> str:
    # Set by the request-id middleware; a fresh one covers errors raised before it ran.
    existing = request.scope.get("state", {}).get("request_id")
    return existing or new_request_id()


def _field_of(loc: tuple[Any, ...]) -> str:
    # ("body", "metadata", "k") -> "metadata"; ("query", "limit") -> "limit"; ("body",) -> "body"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return parts[0] if parts else (str(loc[0]) if loc else "request")


def _reason(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def validation_fields(errors: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``{field: reason}`` from pydantic/FastAPI errors; the first reason per field wins."""
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_of(tuple(error.get("loc", ()))), _reason(error))
    return fields


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status,
        exc.code,
        exc.message,
        request_id=None if exc.middleware else _request_id(request),
        details=exc.details,
        retry_after=exc.retry_after,
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = validation_fields(list(exc.errors()))
    return error_response(
        400,
        "INVALID_INPUT",
        "Invalid input.",
        request_id=_request_id(request),
        details={"fields": fields},
    )


_HTTP_CODES = {
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    400: "INVALID_INPUT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "INTERNAL_ERROR" if exc.status_code >= 500 else "ERROR")
    message = "Not found." if exc.status_code == 404 else str(exc.detail)
    return error_response(
        exc.status_code,
        code,
        message,
        request_id=_request_id(request),
        headers=dict(exc.headers or {}),
    )


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log (it never holds request headers, so no API key);
    # the client gets the envelope only.
    _log.exception("unhandled error in %s %s", request.method, request.url.path)
    return error_response(500, "INTERNAL_ERROR", "Internal error.", request_id=_request_id(request))


class UnhandledErrorMiddleware:
    """Answers an unexpected exception with the 500 envelope and keeps the connection open.

    Starlette's outermost error layer also answers a 500, but then re-raises, which makes the
    server log the error a second time and close a connection that is in perfect order. This
    layer sits inside it: an exception raised before the response started is logged once and
    answered; one raised after (half a body sent) must still end the connection, so it
    propagates.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            _log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            request_id = scope.get("state", {}).get("request_id") or new_request_id()
            response = error_response(
                500, "INTERNAL_ERROR", "Internal error.", request_id=request_id
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error of ``app`` into the envelope."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unhandled)
