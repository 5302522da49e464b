"""Small helpers for tests that drive a sandbox over HTTP (used by this project's own tests,
and handy in anyone's): a settable clock, the error-envelope check, and the link token.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["API_PREFIX", "FakeClock", "assert_error", "token_of"]

API_PREFIX = "/api/v1/interview"


class FakeClock:
    """A settable clock (Unix seconds) to pass as ``Sandbox(clock=...)``: moves only when told,
    so link expiry, key expiry, rate limits and webhook tolerance can be tested instantly."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def assert_error(
    response: httpx.Response, status: int, code: str, *, request_id: bool = True
) -> dict[str, Any]:
    """Assert ``response`` is the contract's error envelope with ``status`` and ``code``
    (``requestId`` present unless ``request_id=False``); returns the ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    error = response.json()["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert error["timestamp"].endswith("Z")
    assert isinstance(error["details"], dict)
    assert ("requestId" in error) is request_id, error
    if request_id:
        assert error["requestId"].startswith("req_")
    return dict(error)


def token_of(candidate_link: str) -> str:
    """The raw token from a candidate link (``…/candidate#t=<token>``)."""
    return candidate_link.partition("#t=")[2]
