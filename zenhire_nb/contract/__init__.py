"""The ZenHire Interview API contract as plain data definitions.

This sub-package is the only thing the client and the sandbox share: response models, request
limits, error codes and status values, exactly as ``docs/contract.md`` §3-§5 describe them. It
holds no I/O and imports nothing else of ours, so either side can depend on it without pulling
in the other.
"""

from zenhire_nb.contract.codes import TERMINAL_STATUSES, ErrorCode, SessionStatus
from zenhire_nb.contract.limits import Limits
from zenhire_nb.contract.models import (
    Credits,
    Feedback,
    Health,
    JsonValue,
    MetadataValue,
    Persona,
    PersonaCreated,
    PersonaDetail,
    PersonaRef,
    SessionCreated,
    SessionSummary,
)

__all__ = [
    "TERMINAL_STATUSES",
    "Credits",
    "ErrorCode",
    "Feedback",
    "Health",
    "JsonValue",
    "Limits",
    "MetadataValue",
    "Persona",
    "PersonaCreated",
    "PersonaDetail",
    "PersonaRef",
    "SessionCreated",
    "SessionStatus",
    "SessionSummary",
]
