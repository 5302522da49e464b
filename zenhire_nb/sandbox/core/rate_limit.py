"""Per-key sliding-window rate limit (docs/contract.md §4: 500 requests/minute per key)."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimiter"]

_WINDOW_SEC = 60.0


class RateLimiter:
    """Counts requests per key hash over the last minute. Thread-safe.

    Memory is bounded by the limit: each key keeps at most ``limit`` timestamps.
    """

    def __init__(self, default_limit: int, clock: Callable[[], float]) -> None:
        self.default_limit = default_limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key_hash: str, limit: int | None = None) -> int | None:
        """Record one request; returns None if allowed, else the seconds to wait (>= 1)."""
        limit = self.default_limit if limit is None else limit
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key_hash, deque())
            while hits and hits[0] <= now - _WINDOW_SEC:
                hits.popleft()
            if len(hits) >= limit:
                if not hits:  # a limit of zero: nothing ever passes
                    return int(_WINDOW_SEC)
                return max(1, math.ceil(hits[0] + _WINDOW_SEC - now))
            hits.append(now)
            return None
