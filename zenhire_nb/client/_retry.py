"""The one retry policy of the client, and the clock it (and ``sessions.wait``) sleeps on.

Which failures are retried, and why:

- ``GET`` (idempotent, no effect on the platform): retried on 408, 429, any 5xx, and any
  connection error or timeout. Repeating a read is harmless.
- ``POST`` (``personas.create``, ``sessions.create``): retried only when the platform cannot
  have acted on it:

  * the connection was never established (connect error/timeout, pool timeout), so nothing
    reached the server;
  * ``429 RATE_LIMIT_EXCEEDED``: the rate limiter rejects a request before any handler runs
    (the middleware counts requests per key, docs/contract.md §4), so nothing was created.

  Anything else after the request was sent (read timeout, connection reset, a gateway's 502/504)
  is ambiguous: a session may already exist and hold a freshly minted candidate link. Retrying
  blindly could invite one candidate twice and charge twice, so the client raises an
  :class:`~zenhire_nb.client.errors.AmbiguousRequestError` instead and leaves the check (list
  sessions by ``candidate_ref``) to the caller. A 503 on POST is not retried either: a proxy may
  answer 503 after forwarding the request.

Delays: the server's ``Retry-After`` header or ``error.retryAfterSeconds`` when given (capped at
``max_retry_after``), else exponential backoff ``initial_delay * 2**attempt`` capped at
``max_delay``, with "equal jitter" (a random value between half and all of it) so that many
notebooks do not retry in lockstep.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime

import anyio

from zenhire_nb.client.errors import APIConnectionError, APIStatusError, ZenHireError

__all__ = ["Clock", "RetryPolicy", "parse_retry_after"]

_RETRYABLE_STATUS = frozenset({408, 429}) | frozenset(range(500, 600))


class Clock:
    """Monotonic time and sleeping, in seconds. Tests pass a fake that only advances a counter."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        # anyio, so the async client also runs under trio, as httpx does.
        await anyio.sleep(seconds)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying a failed request.

    ``max_retries`` counts retries (so at most ``max_retries + 1`` attempts). Delays are seconds.
    ``random`` returns a float in [0, 1) and ``clock`` sleeps; both are injectable for tests.
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 60.0
    clock: Clock = field(default_factory=Clock)
    random: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")

    def with_max_retries(self, max_retries: int | None) -> RetryPolicy:
        """This policy, or a copy with another ``max_retries`` (None keeps it)."""
        return self if max_retries is None else replace(self, max_retries=max_retries)

    def delay(self, error: ZenHireError, *, attempt: int, idempotent: bool) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or None to give up.

        ``attempt`` is 0 for the first failure. ``idempotent`` is True for GET.
        """
        if attempt >= self.max_retries or not self.is_retryable(error, idempotent=idempotent):
            return None
        server_asked = getattr(error, "retry_after", None)
        if server_asked is not None:
            return min(float(server_asked), self.max_retry_after)
        return self._backoff(attempt)

    def is_retryable(self, error: ZenHireError, *, idempotent: bool) -> bool:
        """Whether this failure may be retried at all (see the module docstring for why)."""
        if isinstance(error, APIStatusError):
            if idempotent:
                return error.status in _RETRYABLE_STATUS
            return error.status == 429
        if isinstance(error, APIConnectionError):
            return idempotent or not error.request_sent
        return False

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.max_delay, self.initial_delay * (2.0**attempt))
        return ceiling / 2 + self.random() * ceiling / 2
