"""Settings shared by :class:`Client` and :class:`AsyncClient` (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from zenhire_nb.client._config import Secret, resolve_api_key, resolve_base_url
from zenhire_nb.client._retry import RetryPolicy

__all__ = ["Settings", "USER_AGENT"]

USER_AGENT = "zenhire-nb"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. ``timeout`` is seconds for JSON calls; ``recording_timeout`` is
    the read timeout (seconds between bytes) of recording downloads, which stream for minutes."""

    origin: str
    api_key: Secret
    timeout: float
    recording_timeout: float
    policy: RetryPolicy

    @classmethod
    def resolve(
        cls,
        api_key: str | None,
        base_url: str | None,
        *,
        timeout: float,
        recording_timeout: float,
        max_retries: int,
        retry_policy: RetryPolicy | None,
    ) -> Settings:
        policy = (retry_policy or RetryPolicy()).with_max_retries(max_retries)
        return cls(
            origin=resolve_base_url(base_url),
            api_key=resolve_api_key(api_key),
            timeout=float(timeout),
            recording_timeout=float(recording_timeout),
            policy=policy,
        )

    def json_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout)

    def download_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout, read=self.recording_timeout)

    def with_options(self, **changes: Any) -> Settings:
        """A copy with ``timeout``, ``recording_timeout`` or ``max_retries`` changed."""
        unknown = set(changes) - {"timeout", "recording_timeout", "max_retries"}
        if unknown:
            raise TypeError(f"with_options() got unexpected options {sorted(unknown)}")
        timeout = changes.get("timeout")
        recording_timeout = changes.get("recording_timeout")
        return replace(
            self,
            timeout=self.timeout if timeout is None else float(timeout),
            recording_timeout=(
                self.recording_timeout if recording_timeout is None else float(recording_timeout)
            ),
            policy=self.policy.with_max_retries(changes.get("max_retries")),
        )

    def describe(self, class_name: str) -> str:
        """The repr of a client: origin and limits, never the key."""
        return (
            f"{class_name}(base_url={self.origin!r}, api_key='***', timeout={self.timeout:g}, "
            f"max_retries={self.policy.max_retries})"
        )
