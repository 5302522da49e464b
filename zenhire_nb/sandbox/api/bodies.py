"""Request bodies: how big they may be, and how JSON ones are read (docs/contract.md §4).

Two layers, because they answer at different moments:

- :class:`BodyLimitMiddleware` caps every body *before* it is read, per route
  (:func:`body_limit_for`): a declared ``Content-Length`` over the cap is answered
  ``413 PAYLOAD_TOO_LARGE`` at once, without reading a byte, and a body without a length
  (chunked) is counted as it streams and stopped at the cap. This runs before authentication
  on purpose: routes authorised by a link token or a signature would otherwise read a huge
  body before rejecting it. Audio uploads are streamed to disk by their routes and keep their
  own, larger caps.
- :func:`load_json` reads a JSON body once it is accepted, after authentication and the
  documented pre-checks: a JSON media type (else ``415 UNSUPPORTED_MEDIA_TYPE``), UTF-8 only
  (Python's ``json`` would also guess UTF-16/32), at most :data:`MAX_JSON_DEPTH` levels of
  nesting, no lone surrogates (``"\\ud800"`` cannot be stored or sent back as UTF-8) and no
  NaN/Infinity; each is ``400 INVALID_INPUT`` naming the top-level field concerned.
  :func:`json_model` is the dependency the sandbox's own routes use to get a validated model.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zenhire_nb.sandbox.api.errors import (
    ApiError,
    error_response,
    invalid_input,
    validation_fields,
)

__all__ = [
    "AUDIO_UPLOAD_MAX_BYTES",
    "JSON_MAX_BYTES",
    "MAX_JSON_DEPTH",
    "BodyLimitMiddleware",
    "body_limit_for",
    "capped_stream",
    "json_model",
    "load_json",
    "payload_too_large",
    "validate_model",
]

JSON_MAX_BYTES = 1024 * 1024  # every JSON body; the largest contract body is ~120 KB
INLINE_RECORDING_MAX_BYTES = 64 * 1024 * 1024  # admin /complete carries a base64 WAV
AUDIO_UPLOAD_MAX_BYTES = 4 * 1024**3  # PUT /sandbox/sessions/{id}/recording, streamed
ANSWER_UPLOAD_MAX_BYTES = 256 * 1024 * 1024  # a candidate's answer; the page caps it lower
MAX_JSON_DEPTH = 64

# (method, path pattern, cap in bytes); the first match wins, else JSON_MAX_BYTES.
_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("PUT", re.compile(r"^/sandbox/sessions/[^/]+/recording$"), AUDIO_UPLOAD_MAX_BYTES),
    ("POST", re.compile(r"^/sandbox/candidate/answer$"), ANSWER_UPLOAD_MAX_BYTES),
    ("POST", re.compile(r"^/sandbox/sessions/[^/]+/complete$"), INLINE_RECORDING_MAX_BYTES),
)
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$")


def body_limit_for(method: str, path: str) -> int:
    """The largest body, in bytes, that ``method path`` accepts."""
    for wanted, pattern, limit in _LIMITS:
        if method == wanted and pattern.match(path):
            return limit
    return JSON_MAX_BYTES


def payload_too_large(limit: int) -> ApiError:
    return ApiError(
        "PAYLOAD_TOO_LARGE",
        f"The request body is larger than {limit} bytes.",
        status=413,
        details={"max_bytes": limit},
    )


class BodyLimitMiddleware:
    """Enforces :func:`body_limit_for` on every HTTP request (see the module docstring).

    A streamed body that crosses the cap makes ``receive`` raise :func:`payload_too_large`,
    which reaches the route reading it and is answered as any :class:`ApiError`; the server
    then discards the rest of the body as it arrives, holding none of it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["method"], scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            error = payload_too_large(limit)
            request_id = scope.get("state", {}).get("request_id")
            response = error_response(
                error.status, error.code, error.message, request_id=request_id,
                details=error.details,
            )  # fmt: skip
            await response(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP parser has already refused a malformed length
    return None


def _counting(receive: Receive, limit: int) -> Callable[[], Coroutine[Any, Any, Message]]:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise payload_too_large(limit)
        return message

    return counted


async def capped_stream(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The request body chunk by chunk, for a route that streams it to disk with a cap of its
    own (lower than :func:`body_limit_for`'s): 413 ``PAYLOAD_TOO_LARGE`` before reading when
    the declared length is over ``limit``, or as soon as the stream crosses it."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise payload_too_large(limit)
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise payload_too_large(limit)
        yield chunk


def load_json(raw: bytes, content_type: str | None) -> Any:
    """The JSON document of a request body (see the module docstring for the rules).

    An empty body is ``None`` (whether that is allowed is the caller's business). Raises
    :class:`ApiError` 415 ``UNSUPPORTED_MEDIA_TYPE`` or 400 ``INVALID_INPUT``.
    """
    if not raw:
        return None
    _check_media_type(content_type)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_input({"body": "not UTF-8 encoded JSON"}) from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise invalid_input({"body": f"nested deeper than {MAX_JSON_DEPTH} levels"}) from None
    except ValueError:
        raise invalid_input({"body": "not valid JSON"}) from None
    problem = _first_problem(document)
    if problem is not None:
        raise invalid_input({problem[0]: problem[1]})
    return document


def _check_media_type(content_type: str | None) -> None:
    media, _, params = (content_type or "").partition(";")
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.IGNORECASE)
    media_ok = bool(_JSON_MEDIA.match(media.strip().lower()))
    if not media_ok or (charset is not None and charset.group(1).lower() not in ("utf-8", "utf8")):
        raise ApiError(
            "UNSUPPORTED_MEDIA_TYPE",
            "The request body must be JSON sent as 'Content-Type: application/json' (UTF-8).",
            status=415,
            details={"content_type": content_type},
        )


def _first_problem(document: Any) -> tuple[str, str] | None:
    """``(field, reason)`` of the first value no JSON client could send back, walking the
    document without recursion (its depth is what is being checked)."""
    field = "body"
    stack: list[tuple[Any, int, str]] = [(document, 1, field)]
    while stack:
        value, depth, field = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return field, f"nested deeper than {MAX_JSON_DEPTH} levels"
        if isinstance(value, str) and _has_lone_surrogate(value):
            return field, "holds a lone UTF-16 surrogate (not valid Unicode)"
        if isinstance(value, float) and not math.isfinite(value):
            return field, "NaN and Infinity are not JSON numbers"
        if isinstance(value, dict):
            for key, item in value.items():
                owner = key if depth == 1 else field
                if _has_lone_surrogate(key):
                    return owner, "holds a lone UTF-16 surrogate (not valid Unicode)"
                stack.append((item, depth + 1, owner))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
    return None


def _has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


Model = TypeVar("Model", bound=BaseModel)


def validate_model(model: type[Model], document: Any) -> Model:
    """``document`` (from :func:`load_json`) as ``model``; 400 ``INVALID_INPUT`` naming fields."""
    if not isinstance(document, dict):
        raise invalid_input({"body": "must be a JSON object"})
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise invalid_input(validation_fields(list(exc.errors()))) from None


def json_model(model: type[Model], *, optional: bool = False) -> Any:
    """A dependency: the request's JSON body validated as ``model``.

    ``optional=True`` lets an empty body or ``null`` through as ``None``. Use it as
    ``body: Annotated[Model, json_model(Model)]``.
    """

    async def dependency(request: Request) -> Model | None:
        document = load_json(await request.body(), request.headers.get("content-type"))
        if document is None and optional:
            return None
        if document is None:
            raise invalid_input({"body": "a JSON object is required"})
        return validate_model(model, document)

    return Depends(dependency)
