"""What the sync and async clients share around sending: building a request from a
:class:`~zenhire_nb.client._endpoints.Call`, reading a response, and mapping failures to errors.

Nothing here does I/O. The API key is added to a request here and taken out of it again by
:func:`scrub` once the request is done, because ``httpx.Headers`` only hides ``Authorization``
in its ``repr``, and exceptions keep a reference to the request.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TypeVar

import httpx

from zenhire_nb.client import errors as e
from zenhire_nb.client._config import Secret
from zenhire_nb.client._endpoints import Call
from zenhire_nb.client._retry import parse_retry_after

__all__ = [
    "build_request",
    "give_up",
    "log_retry",
    "parse_success",
    "scrub",
    "status_error",
    "transport_error",
]

T = TypeVar("T")

API_KEY_HEADER = "X-API-Key"
_LOG = logging.getLogger("zenhire_nb.client")

_BY_CODE: dict[str, type[e.APIStatusError]] = {
    "INVALID_INPUT": e.InvalidInputError,
    "MISSING_API_KEY": e.MissingApiKeyError,
    "INVALID_API_KEY": e.InvalidApiKeyError,
    "API_KEY_EXPIRED": e.ApiKeyExpiredError,
    "CLIENT_INACTIVE": e.ClientInactiveError,
    "INSUFFICIENT_CREDITS": e.InsufficientCreditsError,
    "MISSING_PERMISSION": e.MissingPermissionError,
    "IP_NOT_ALLOWED": e.IpNotAllowedError,
    "NOT_FOUND": e.NotFoundError,
    "ARTIFACT_NOT_READY": e.ArtifactNotReadyError,
    "RATE_LIMIT_EXCEEDED": e.RateLimitError,
    "INTERNAL_ERROR": e.InternalServerError,
    "SERVICE_UNAVAILABLE": e.ServiceUnavailableError,
}

_BY_STATUS: dict[int, type[e.APIStatusError]] = {
    400: e.BadRequestError,
    401: e.AuthenticationError,
    402: e.InsufficientCreditsError,
    403: e.PermissionDeniedError,
    404: e.NotFoundError,
    409: e.ConflictError,
    429: e.RateLimitError,
    503: e.ServiceUnavailableError,
}

# Connection never established: the server cannot have seen the request.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    call: Call[Any],
    *,
    origin: str,
    api_key: Secret,
    timeout: httpx.Timeout,
) -> httpx.Request:
    """A fresh request for one attempt (fresh, so that scrubbing it cannot break a retry)."""
    headers = {"Accept": "application/json" if not call.download else "*/*"}
    if call.authenticated:
        headers[API_KEY_HEADER] = api_key.reveal()
    return http.build_request(
        call.method,
        origin + call.path,
        params=httpx.QueryParams(tuple(call.params)) if call.params else None,
        json=call.json,
        headers=headers,
        timeout=timeout,
    )


def scrub(request: httpx.Request) -> None:
    """Remove the API key from a finished request, so no error or log can show it later."""
    request.headers.pop(API_KEY_HEADER, None)


def _decode_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _envelope(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _error_class(status: int, code: str | None) -> type[e.APIStatusError]:
    if code in _BY_CODE:
        return _BY_CODE[code]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return e.InternalServerError if status >= 500 else e.APIStatusError


def _retry_after(response: httpx.Response, error: dict[str, Any]) -> float | None:
    seconds = error.get("retryAfterSeconds")
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0:
        return float(seconds)
    return parse_retry_after(response.headers.get("Retry-After"))


def status_error(response: httpx.Response, call: Call[Any]) -> e.APIStatusError:
    """The error for a 4xx/5xx response whose body has been read (JSON or not)."""
    error = _envelope(_decode_json(response))
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = error.get("message")
    if not isinstance(message, str) or not message:
        snippet = response.text[:200].strip() if response.content else ""
        reason = response.reason_phrase or "error"
        message = f"{call.what}: HTTP {response.status_code} {reason}" + (
            f" (non-JSON body: {snippet!r})" if snippet else ""
        )
    details = error.get("details")
    request_id = error.get("requestId") or response.headers.get("X-Request-Id")
    return _error_class(response.status_code, code)(
        status=response.status_code,
        code=code,
        message=message,
        request_id=request_id if isinstance(request_id, str) else None,
        details=details if isinstance(details, dict) else {},
        headers=response.headers,
        request=_safe_copy(response.request),
        retry_after=_retry_after(response, error),
        what=call.what,
    )


def parse_success(response: httpx.Response, call: Call[T]) -> T:
    """Decode a 2xx JSON body and parse it with the call's parser."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "no content type")
        raise e.ResponseValidationError(
            f"{call.what}: expected JSON, got {kind} ({len(response.content)} bytes)"
        ) from None
    return call.parse(body)


def _safe_copy(request: httpx.Request) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "x-api-key"]
    return httpx.Request(request.method, request.url, headers=headers)


def transport_error(
    exc: httpx.RequestError, request: httpx.Request, call: Call[Any]
) -> e.APIConnectionError:
    """Wrap an httpx transport failure; marks whether the request may have reached the server."""
    sent = not isinstance(exc, _NOT_SENT)
    kind = e.APITimeoutError if isinstance(exc, httpx.TimeoutException) else e.APIConnectionError
    detail = str(exc) or type(exc).__name__
    return kind(
        f"{call.what}: {type(exc).__name__}: {detail}",
        request=_safe_copy(request),
        request_sent=sent,
    )


def give_up(error: e.ZenHireError, call: Call[Any]) -> e.ZenHireError:
    """The error to raise when no retry follows: ambiguous for a sent, non-idempotent call."""
    if call.ambiguous is None or call.idempotent:
        return error
    if isinstance(error, e.APIConnectionError) and error.request_sent:
        return call.ambiguous(error)
    if isinstance(error, e.APIStatusError) and error.status in (502, 504):
        # A gateway gave up waiting for the platform, which may still have acted.
        return call.ambiguous(e.APIConnectionError(str(error), request=error.request))
    return error


def log_retry(call: Call[Any], error: e.ZenHireError, delay: float, attempt: int) -> None:
    """One INFO line per retry; names the path (ids only, never the key or a link token)."""
    reason = f"HTTP {error.status}" if isinstance(error, e.APIStatusError) else type(error).__name__
    _LOG.info(
        "retrying %s %s after %s in %.2f s (retry %d)",
        call.method,
        call.path,
        reason,
        delay,
        attempt + 1,
    )
