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
from urllib.parse import urlsplit

import httpx

from zenhire_nb.client import errors as e
from zenhire_nb.client._body import ACCEPT_ENCODING
from zenhire_nb.client._config import Secret
from zenhire_nb.client._deadline import Expired
from zenhire_nb.client._endpoints import Call
from zenhire_nb.client._retry import parse_retry_after

__all__ = [
    "ERROR_BODY_MAX",
    "build_request",
    "deadline_error",
    "give_up",
    "log_retry",
    "parse_success",
    "redirect_error",
    "safe_copy",
    "scrub",
    "status_error",
    "transport_error",
]

#: Bytes of a 4xx/5xx body read for its message; the rest is never read.
ERROR_BODY_MAX = 64 * 1024

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
    headers = {
        "Accept": "application/json" if not call.download else "*/*",
        # Only what _body can decode under its size limit (httpx would add br/zstd).
        "Accept-Encoding": ACCEPT_ENCODING,
    }
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


def _decode_json(body: bytes) -> Any:
    try:
        return json.loads(body)
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


def status_error(response: httpx.Response, call: Call[Any], body: bytes) -> e.APIStatusError:
    """The error for a 4xx/5xx response whose (start of the) body is ``body``."""
    error = _envelope(_decode_json(body))
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = error.get("message")
    if not isinstance(message, str) or not message:
        snippet = body[:400].decode(response.encoding or "utf-8", "replace")[:200].strip()
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
        request=safe_copy(response.request),
        retry_after=_retry_after(response, error),
        what=call.what,
    )


def redirect_error(response: httpx.Response, call: Call[Any]) -> e.UnexpectedRedirectError:
    """The error for a 3xx: names the host ``Location`` points to (never the whole URL, which
    may carry a signed query) and why it is not followed. The body is not read."""
    location = response.headers.get("Location")
    host = urlsplit(str(response.url.join(location))).hostname if location else None
    where = f"to host {host!r}" if host else "without a usable Location"
    error = e.UnexpectedRedirectError(
        status=response.status_code,
        code=None,
        message=(
            f"{call.what}: HTTP {response.status_code} {response.reason_phrase or 'redirect'} "
            f"{where}; the API never redirects and the client does not follow (the API key "
            "would go along): check base_url (https? the right host?)"
        ),
        request_id=response.headers.get("X-Request-Id"),
        headers=response.headers,
        request=safe_copy(response.request),
        what=call.what,
    )
    error.location = location
    error.location_host = host
    return error


def parse_success(response: httpx.Response, call: Call[T], body: bytes) -> T:
    """Decode a 2xx JSON ``body`` and parse it with the call's parser."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "no content type")
        raise e.ResponseValidationError(
            f"{call.what}: expected JSON, got {kind} ({len(body)} bytes)"
        ) from None
    except RecursionError:
        raise e.ResponseValidationError(f"{call.what}: JSON nested too deeply") from None
    return call.parse(document)


def deadline_error(request: httpx.Request, call: Call[Any]) -> Expired:
    """The factory :mod:`._deadline` calls when an attempt at ``call`` runs out of time."""

    def expired(allowed: float, received: int) -> e.APITimeoutError:
        return e.APITimeoutError(
            f"{call.what}: no complete answer within the deadline of {allowed:.1f} s "
            f"({received} bytes received); the server is too slow or trickles its answer "
            "(raise timeout= or lower min_download_rate= if the link is just slow)",
            request=safe_copy(request),
        )

    return expired


def safe_copy(request: httpx.Request) -> httpx.Request:
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
        request=safe_copy(request),
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
