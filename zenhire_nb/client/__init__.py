"""Typed client of the ZenHire Interview API: :class:`Client` (sync) and :class:`AsyncClient`.

::

    from zenhire_nb.client import Client
    with Client() as client:                       # key from ZENHIRE_API_KEY
        persona = client.personas.create(role_name="Data analyst", language="en")
        created = client.sessions.create(persona.id, consent_mode="explicit", candidate_ref="ats-1")
        session = client.sessions.wait(created.id, timeout=3600)
        client.sessions.recording(created.id, path="interview.wav")

Errors are in :mod:`zenhire_nb.client.errors`; the retry rules in :class:`RetryPolicy`.
"""

from zenhire_nb.client._async import AsyncClient
from zenhire_nb.client._config import DEFAULT_BASE_URL
from zenhire_nb.client._retry import Clock, RetryPolicy
from zenhire_nb.client._sync import Client
from zenhire_nb.client.errors import (
    AmbiguousRequestError,
    AmbiguousSessionCreateError,
    APIConnectionError,
    ApiKeyExpiredError,
    APIStatusError,
    APITimeoutError,
    ArtifactNotReadyError,
    AuthenticationError,
    BadRequestError,
    ClientInactiveError,
    ConfigurationError,
    ConflictError,
    IncompleteDownloadError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidApiKeyError,
    InvalidArgumentError,
    InvalidIdError,
    InvalidInputError,
    InvalidRecordingError,
    IpNotAllowedError,
    MissingApiKeyError,
    MissingPermissionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServiceUnavailableError,
    SessionWaitTimeoutError,
    UnexpectedRedirectError,
    ZenHireError,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousRequestError",
    "AmbiguousSessionCreateError",
    "ApiKeyExpiredError",
    "ArtifactNotReadyError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientInactiveError",
    "Clock",
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
    "RetryPolicy",
    "ServiceUnavailableError",
    "SessionWaitTimeoutError",
    "UnexpectedRedirectError",
    "ZenHireError",
]
