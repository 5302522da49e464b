"""Error codes and session statuses of the contract (docs/contract.md §2, §4 and §5)."""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    """``error.code`` values. Branch on these, never on the message (the platform says so)."""

    MISSING_API_KEY = "MISSING_API_KEY"
    INVALID_API_KEY = "INVALID_API_KEY"
    API_KEY_EXPIRED = "API_KEY_EXPIRED"
    CLIENT_INACTIVE = "CLIENT_INACTIVE"
    MISSING_PERMISSION = "MISSING_PERMISSION"
    IP_NOT_ALLOWED = "IP_NOT_ALLOWED"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    INVALID_INPUT = "INVALID_INPUT"
    ARTIFACT_NOT_READY = "ARTIFACT_NOT_READY"
    NOT_FOUND = "NOT_FOUND"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"

    @property
    def http_status(self) -> int:
        return _STATUS_OF[self]


_STATUS_OF = {
    ErrorCode.MISSING_API_KEY: 401,
    ErrorCode.INVALID_API_KEY: 401,
    ErrorCode.API_KEY_EXPIRED: 401,
    ErrorCode.CLIENT_INACTIVE: 401,
    ErrorCode.MISSING_PERMISSION: 403,
    ErrorCode.IP_NOT_ALLOWED: 403,
    ErrorCode.INSUFFICIENT_CREDITS: 402,
    ErrorCode.RATE_LIMIT_EXCEEDED: 429,
    ErrorCode.INVALID_INPUT: 400,
    ErrorCode.ARTIFACT_NOT_READY: 409,  # [decided]
    ErrorCode.NOT_FOUND: 404,  # [decided]
    ErrorCode.INTERNAL_ERROR: 500,  # [decided]
    ErrorCode.SERVICE_UNAVAILABLE: 503,  # [decided]
}


class SessionStatus(str, Enum):
    INITIATED = "initiated"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"


TERMINAL_STATUSES = frozenset({SessionStatus.COMPLETED, SessionStatus.FAILED})

#: Error code stored on a live interview closed past the maximum duration (docs/contract.md §5).
SESSION_TIMEOUT = "SESSION_TIMEOUT"
