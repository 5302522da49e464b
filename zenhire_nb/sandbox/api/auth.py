"""API-key authentication of the contract routes (docs/contract.md §2), as a FastAPI dependency.

The checks run in the platform's order: key present, key known, key not expired, client
active, caller's IP allowed, then the per-key rate limit. These rejections stand in for the
platform's auth middleware, so their envelopes carry no ``requestId``. The ``interview``
permission is checked afterwards by the interview routes themselves.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from zenhire_nb.contract.codes import ErrorCode
from zenhire_nb.sandbox.api.errors import ApiError
from zenhire_nb.sandbox.core.state import SandboxState, get_state
from zenhire_nb.sandbox.store.tenants import Client

__all__ = ["API_KEY_HEADER", "authenticate", "require_interview"]

API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="Your ZenHire API key (zh_api_...)."
)


def _reject(code: ErrorCode, message: str, **extra: int) -> ApiError:
    return ApiError(code, message, middleware=True, retry_after=extra.get("retry_after"))


def _ip_allowed(host: str | None, allowlist: list[str]) -> bool:
    if host is None:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in allowlist)


def authenticate(
    request: Request, api_key: Annotated[str | None, Depends(API_KEY_HEADER)]
) -> Client:
    """The calling client, or an :class:`ApiError` (401/403/429) without ``requestId``."""
    state: SandboxState = get_state(request)
    if not api_key:
        raise _reject(ErrorCode.MISSING_API_KEY, "The X-API-Key header is missing.")
    check = state.tenants.check_key(api_key)
    if check.client is None:
        raise _reject(ErrorCode.INVALID_API_KEY, "The API key is not valid.")
    if check.expired:
        raise _reject(ErrorCode.API_KEY_EXPIRED, "The API key has expired.")
    client = check.client
    if not client.active:
        raise _reject(ErrorCode.CLIENT_INACTIVE, "This client account is disabled.")
    host = request.client.host if request.client else None
    if client.ip_allowlist is not None and not _ip_allowed(host, client.ip_allowlist):
        raise _reject(ErrorCode.IP_NOT_ALLOWED, "Requests from this IP address are not allowed.")
    wait = state.limiter.hit(check.key_hash, client.rate_limit_per_minute)
    if wait is not None:
        raise _reject(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded.", retry_after=wait)
    return client


def require_interview(client: Annotated[Client, Depends(authenticate)]) -> Client:
    """The calling client if it holds the ``interview`` permission (else 403, with requestId)."""
    if not client.interview_permission:
        raise ApiError(
            ErrorCode.MISSING_PERMISSION, "This client lacks the 'interview' permission."
        )
    return client
