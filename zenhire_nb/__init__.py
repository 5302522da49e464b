"""zenhire-nb: run and study ZenHire AI voice interviews from Jupyter.

The public surface is this module's ``__all__``: the typed client and its errors, and the local
sandbox platform (imported lazily, so that ``import zenhire_nb`` does not start FastAPI).
Parts with heavier dependencies are sub-packages: :mod:`zenhire_nb.frames` (pandas DataFrames),
:mod:`zenhire_nb.stt` (speech-to-text check), :mod:`zenhire_nb.sandbox`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenhire_nb.client import (
    DEFAULT_BASE_URL,
    AmbiguousRequestError,
    AmbiguousSessionCreateError,
    APIConnectionError,
    ApiKeyExpiredError,
    APIStatusError,
    APITimeoutError,
    ArtifactNotReadyError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ClientInactiveError,
    Clock,
    ConfigurationError,
    ConflictError,
    IncompleteDownloadError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidApiKeyError,
    InvalidArgumentError,
    InvalidIdError,
    InvalidInputError,
    IpNotAllowedError,
    MissingApiKeyError,
    MissingPermissionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServiceUnavailableError,
    SessionWaitTimeoutError,
    ZenHireError,
)
from zenhire_nb.contract import (
    Credits,
    Feedback,
    Health,
    Persona,
    PersonaCreated,
    PersonaDetail,
    PersonaRef,
    SessionCreated,
    SessionSummary,
)

if TYPE_CHECKING:
    from zenhire_nb.sandbox import Sandbox

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Sandbox",
    "Credits",
    "Feedback",
    "Health",
    "Persona",
    "PersonaCreated",
    "PersonaDetail",
    "PersonaRef",
    "SessionCreated",
    "SessionSummary",
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
    "IpNotAllowedError",
    "MissingApiKeyError",
    "MissingPermissionError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SessionWaitTimeoutError",
    "ZenHireError",
]


def __getattr__(name: str) -> Any:
    # The sandbox pulls in FastAPI and uvicorn: load it only when someone asks for it.
    if name == "Sandbox":
        from zenhire_nb.sandbox import Sandbox

        return Sandbox
    raise AttributeError(f"module 'zenhire_nb' has no attribute {name!r}")
