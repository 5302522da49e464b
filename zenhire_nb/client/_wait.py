"""Polling schedule of ``sessions.wait``: growing intervals, never past the deadline."""

from __future__ import annotations

from dataclasses import dataclass

from zenhire_nb.client._retry import Clock
from zenhire_nb.client.errors import InvalidArgumentError, SessionWaitTimeoutError
from zenhire_nb.contract import SessionSummary

__all__ = ["PollSchedule"]

# Interviews last 5-60 minutes: after a while there is no point polling every second.
_GROWTH = 1.5
_MAX_INTERVAL = 15.0


@dataclass
class PollSchedule:
    """Tracks one wait: call :meth:`next_delay` after each poll (seconds to sleep)."""

    session_id: str
    timeout: float
    poll_interval: float
    clock: Clock

    def __post_init__(self) -> None:
        if not self.timeout >= 0:
            raise InvalidArgumentError(
                f"timeout must be >= 0 s, got {self.timeout}", argument="timeout"
            )
        if not self.poll_interval > 0:
            raise InvalidArgumentError(
                f"poll_interval must be > 0 s, got {self.poll_interval}", argument="poll_interval"
            )
        self._deadline = self.clock.monotonic() + self.timeout
        self._interval = self.poll_interval

    def next_delay(self, session: SessionSummary) -> float | None:
        """None if ``session`` is terminal; else the seconds to sleep before the next poll.

        Raises SessionWaitTimeoutError (naming the session and its last status) at the deadline.
        """
        if session.is_terminal:
            return None
        remaining = self._deadline - self.clock.monotonic()
        if remaining <= 0:
            raise SessionWaitTimeoutError(self.session_id, session.status, self.timeout)
        delay = min(self._interval, remaining)
        self._interval = min(self._interval * _GROWTH, max(_MAX_INTERVAL, self.poll_interval))
        return delay
