"""Errors raised by the ZenHire client.

Branch on the class (or on ``error.code``), never on the message: the platform says so, and the
class is chosen from ``error.code`` in the response body, falling back on the HTTP status when the
code is unknown or the body is not the documented JSON envelope.

::

    ZenHireError
    ├── ConfigurationError                 no API key / bad base URL (raised before any request)
    ├── InvalidArgumentError (also ValueError)  a malformed argument; nothing was sent
    │   └── InvalidIdError                 a malformed path id (empty, '/', '..', spaces, ...)
    ├── ResponseValidationError            a 2xx body that does not fit the contract
    │   ├── ResponseTooLargeError          a body (decoded) over the client's size limit
    │   └── InvalidRecordingError          a downloaded recording that is not a usable WAV
    ├── SessionWaitTimeoutError (also TimeoutError)  sessions.wait gave up; names the last status
    ├── APIConnectionError                 the transport failed (wraps httpx's error)
    │   ├── APITimeoutError                connect/read/write/pool timeout
    │   ├── IncompleteDownloadError        a body shorter than its Content-Length
    │   └── AmbiguousRequestError          a write was sent, then the connection failed: it may
    │       │                              or may not have taken effect (never retried)
    │       └── AmbiguousSessionCreateError  POST .../sessions; says how to check
    └── APIStatusError                     a 3xx/4xx/5xx: status, code, message, request_id, ...
        ├── UnexpectedRedirectError (3xx)  never followed; .location_host names where it pointed
        ├── BadRequestError (400)
        │   └── InvalidInputError          INVALID_INPUT; .fields = {field: reason}
        ├── AuthenticationError (401)
        │   ├── MissingApiKeyError         MISSING_API_KEY
        │   ├── InvalidApiKeyError         INVALID_API_KEY
        │   ├── ApiKeyExpiredError         API_KEY_EXPIRED
        │   └── ClientInactiveError        CLIENT_INACTIVE
        ├── InsufficientCreditsError (402) INSUFFICIENT_CREDITS
        ├── PermissionDeniedError (403)
        │   ├── MissingPermissionError     MISSING_PERMISSION
        │   └── IpNotAllowedError          IP_NOT_ALLOWED
        ├── NotFoundError (404)            NOT_FOUND (also another tenant's ids)
        ├── ConflictError (409)
        │   └── ArtifactNotReadyError      ARTIFACT_NOT_READY; .session_status = details.status
        ├── RateLimitError (429)           RATE_LIMIT_EXCEEDED; .retry_after (seconds or None)
        └── InternalServerError (5xx)      INTERNAL_ERROR
            └── ServiceUnavailableError (503)  SERVICE_UNAVAILABLE; .retry_after

No error carries the API key: the key travels only in the ``X-API-Key`` header, and the client
removes that header from the request object before an error can expose it.
"""

from __future__ import annotations

import httpx

from zenhire_nb.contract import JsonValue

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousRequestError",
    "AmbiguousSessionCreateError",
    "ApiKeyExpiredError",
    "ArtifactNotReadyError",
    "AuthenticationError",
    "BadRequestError",
    "ClientInactiveError",
    "ConfigurationError",
    "ConflictError",
    "IncompleteDownloadError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidApiKeyError",
    "InvalidArgumentError",
    "InvalidIdError",
    "InvalidInputError",
    "InvalidRecordingError",
    "IpNotAllowedError",
    "MissingApiKeyError",
    "MissingPermissionError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServiceUnavailableError",
    "SessionWaitTimeoutError",
    "UnexpectedRedirectError",
    "ZenHireError",
]


class ZenHireError(Exception):
    """Root of every error this client raises on purpose."""


class ConfigurationError(ZenHireError):
    """The client cannot be built: no API key, or an unusable base URL."""


class InvalidArgumentError(ZenHireError, ValueError):
    """An argument is malformed; raised before any request is sent.

    ``argument`` names the offending parameter (for example ``"tags"``).
    """

    def __init__(self, message: str, *, argument: str) -> None:
        super().__init__(message)
        self.argument = argument


class InvalidIdError(InvalidArgumentError):
    """A path id (``session_id``, ``persona_id``) is malformed; nothing was sent."""


class ResponseValidationError(ZenHireError):
    """A successful response whose body does not fit the contract (not JSON, wrong shape).

    ``candidate_link``: for a create-session answer that could not be read, the link as the
    platform served it (the session exists; the token is shown only once). It is an attribute
    only, never part of ``str``/``repr``; None otherwise.
    """

    candidate_link: str | None = None


class ResponseTooLargeError(ResponseValidationError):
    """A response body bigger than the client's limit, counted after decompression, so a
    small compressed "bomb" is stopped as soon as its output passes the limit.

    Attributes: ``limit`` (bytes), ``what`` (the request). Not retried: the same request would
    get the same body. Raise the limit (``max_response_bytes=`` / ``max_recording_bytes=``) if
    the body is genuine.
    """

    def __init__(self, message: str, *, limit: int, what: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.what = what


class InvalidRecordingError(ResponseValidationError):
    """A downloaded recording that is not a WAV the project can read (checked before it is
    saved, with the same header check the sandbox applies to uploads); nothing was saved.

    ``session_id`` names the session; the header problem is the ``__cause__``
    (a ``WavFormatError``) and part of the message.
    """

    def __init__(self, message: str, *, session_id: str | None) -> None:
        super().__init__(message)
        self.session_id = session_id


class SessionWaitTimeoutError(ZenHireError, TimeoutError):
    """``sessions.wait`` ran out of time before the session became terminal."""

    def __init__(self, session_id: str, last_status: str | None, timeout: float) -> None:
        super().__init__(
            f"session {session_id!r} is still {last_status!r} after {timeout:g} s; "
            "call sessions.wait again or raise timeout="
        )
        self.session_id = session_id
        self.last_status = last_status
        self.timeout = timeout


class APIConnectionError(ZenHireError):
    """The transport failed before a complete response arrived.

    ``request_sent`` is False only when the connection was never established, so the server
    cannot have seen the request. ``request`` is a copy without the API key header.
    """

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, request_sent: bool = True
    ) -> None:
        super().__init__(message)
        self.request = request
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout."""


class IncompleteDownloadError(APIConnectionError):
    """A streamed body ended before the length its ``Content-Length`` promised."""


class AmbiguousRequestError(APIConnectionError):
    """A non-idempotent request was sent and then failed: it may have taken effect.

    The client never retries these on its own; check the resource, then decide.
    """


class AmbiguousSessionCreateError(AmbiguousRequestError):
    """``POST .../sessions`` may or may not have created a session (and minted a link)."""

    def __init__(
        self,
        persona_id: str,
        candidate_ref: str | None,
        cause: str,
        *,
        request: httpx.Request | None = None,
    ) -> None:
        check = (
            f"client.sessions.list(persona_id={persona_id!r}, candidate_ref={candidate_ref!r})"
            if candidate_ref
            else f"client.sessions.list(persona_id={persona_id!r}) (newest first)"
        )
        super().__init__(
            f"creating a session for persona {persona_id!r} failed after the request was sent "
            f"({cause}); it may have been created. It was not retried, to avoid a second session "
            f"for the same candidate. Check with {check} before creating it again.",
            request=request,
        )
        self.persona_id = persona_id
        self.candidate_ref = candidate_ref


class APIStatusError(ZenHireError):
    """The platform answered 4xx/5xx (or an unexpected 3xx).

    Attributes: ``status`` (HTTP status), ``code`` (``error.code`` or None), ``message``,
    ``request_id`` (``error.requestId``, absent on middleware rejections), ``details`` (dict),
    ``headers`` (response headers), ``request`` (a copy without the API key header), ``what``
    (the request, e.g. ``"session 'abc'"``: ``str()`` names it, as the platform's message
    need not).
    """

    def __init__(
        self,
        *,
        status: int,
        code: str | None,
        message: str,
        request_id: str | None = None,
        details: dict[str, JsonValue] | None = None,
        headers: httpx.Headers | None = None,
        request: httpx.Request | None = None,
        retry_after: float | None = None,
        what: str | None = None,
    ) -> None:
        self.what = what
        self.status = status
        self.status_code = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details or {}
        self.headers = headers if headers is not None else httpx.Headers()
        self.request = request
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        code = self.code or "no error code"
        about = f"{self.what}, " if self.what and self.what not in self.message else ""
        request_id = self.request_id or "none"
        return f"{self.status} {code}: {self.message} ({about}request_id={request_id})"


class UnexpectedRedirectError(APIStatusError):
    """3xx: the platform API never redirects (docs/contract.md §3.6), so a redirect means a
    wrong ``base_url`` (http instead of https, a proxy's login page) or a hostile server.

    It is never followed: the API key would travel with the request to wherever ``Location``
    points. ``location_host`` is that host (None without a usable ``Location``); ``location``
    the whole header as served (an attribute only: it may carry a signed query).
    """

    location: str | None = None
    location_host: str | None = None


class BadRequestError(APIStatusError):
    """400."""


class InvalidInputError(BadRequestError):
    """``INVALID_INPUT``: ``fields`` maps each rejected field to the reason."""

    @property
    def fields(self) -> dict[str, JsonValue]:
        fields = self.details.get("fields")
        return dict(fields) if isinstance(fields, dict) else {}


class AuthenticationError(APIStatusError):
    """401: the key is missing, unknown, expired, or its account is disabled."""


class MissingApiKeyError(AuthenticationError):
    """``MISSING_API_KEY``."""


class InvalidApiKeyError(AuthenticationError):
    """``INVALID_API_KEY``."""


class ApiKeyExpiredError(AuthenticationError):
    """``API_KEY_EXPIRED``."""


class ClientInactiveError(AuthenticationError):
    """``CLIENT_INACTIVE``."""


class InsufficientCreditsError(APIStatusError):
    """402 ``INSUFFICIENT_CREDITS``: the balance is below the minimum to start a session."""


class PermissionDeniedError(APIStatusError):
    """403."""


class MissingPermissionError(PermissionDeniedError):
    """``MISSING_PERMISSION``: the key's client lacks the ``interview`` permission."""


class IpNotAllowedError(PermissionDeniedError):
    """``IP_NOT_ALLOWED``."""


class NotFoundError(APIStatusError):
    """404 ``NOT_FOUND``: unknown id, or one belonging to another client."""


class ConflictError(APIStatusError):
    """409."""


class ArtifactNotReadyError(ConflictError):
    """``ARTIFACT_NOT_READY``: the recording/transcript exists only once the session completed.

    ``session_status`` is the session's current status from ``details.status`` (may be None).
    """

    @property
    def session_status(self) -> str | None:
        status = self.details.get("status")
        return status if isinstance(status, str) else None


class RateLimitError(APIStatusError):
    """429 ``RATE_LIMIT_EXCEEDED``; ``retry_after`` in seconds when the server said."""


class InternalServerError(APIStatusError):
    """5xx."""


class ServiceUnavailableError(InternalServerError):
    """503 ``SERVICE_UNAVAILABLE`` (service warming); ``retry_after`` in seconds."""
