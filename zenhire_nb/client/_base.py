"""Settings shared by :class:`Client` and :class:`AsyncClient` (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from zenhire_nb._io import DEFAULT_MAX_BYTES
from zenhire_nb.client._config import Secret, resolve_api_key, resolve_base_url
from zenhire_nb.client._retry import RetryPolicy

__all__ = [
    "DEFAULT_MAX_RECORDING_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MIN_DOWNLOAD_RATE",
    "USER_AGENT",
    "Settings",
]

USER_AGENT = "zenhire-nb"
#: Bytes per second a body must average once ``timeout`` is used up (256 kbit/s): a 90-minute
#: 16 kHz recording (about 170 MB) may take up to 90 minutes, a trickling server 30 s.
DEFAULT_MIN_DOWNLOAD_RATE = 32 * 1024
#: Largest JSON body, decoded. A 90-minute transcript is well under 1 MB; 16 MiB of JSON
#: parses into a few hundred MB of Python objects at worst.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024**2
#: Largest recording: the cap the shared WAV header check puts on the audio (2 GiB).
DEFAULT_MAX_RECORDING_BYTES = DEFAULT_MAX_BYTES

_OPTIONS = (
    "timeout",
    "recording_timeout",
    "max_retries",
    "min_download_rate",
    "max_response_bytes",
    "max_recording_bytes",
)


@dataclass(frozen=True)
class Settings:
    """Resolved configuration (see the clients' docstrings for each option).

    ``timeout``: seconds of each network step of a call, and its deadline: one attempt may take
    ``timeout + bytes received / min_download_rate`` seconds in all (:mod:`._deadline`).
    ``recording_timeout``: the read timeout (seconds between bytes) of recording downloads.
    ``max_response_bytes`` / ``max_recording_bytes``: body size limits, counted decoded.
    """

    origin: str
    api_key: Secret
    timeout: float
    recording_timeout: float
    policy: RetryPolicy
    min_download_rate: float = DEFAULT_MIN_DOWNLOAD_RATE
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_recording_bytes: int = DEFAULT_MAX_RECORDING_BYTES

    def __post_init__(self) -> None:
        if not self.timeout > 0 or not self.recording_timeout > 0:
            raise ValueError("timeout and recording_timeout must be > 0 seconds")
        if not self.min_download_rate > 0:
            raise ValueError(f"min_download_rate must be > 0 bytes/s, got {self.min_download_rate}")
        for name in ("max_response_bytes", "max_recording_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int (bytes), got {value!r}")

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
        min_download_rate: float = DEFAULT_MIN_DOWNLOAD_RATE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_recording_bytes: int = DEFAULT_MAX_RECORDING_BYTES,
    ) -> Settings:
        policy = (retry_policy or RetryPolicy()).with_max_retries(max_retries)
        return cls(
            origin=resolve_base_url(base_url),
            api_key=resolve_api_key(api_key),
            timeout=float(timeout),
            recording_timeout=float(recording_timeout),
            policy=policy,
            min_download_rate=float(min_download_rate),
            max_response_bytes=max_response_bytes,
            max_recording_bytes=max_recording_bytes,
        )

    def json_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout)

    def download_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout, read=self.recording_timeout)

    def with_options(self, **changes: Any) -> Settings:
        """A copy with any of the client options changed (``None`` keeps a value)."""
        unknown = set(changes) - set(_OPTIONS)
        if unknown:
            raise TypeError(f"with_options() got unexpected options {sorted(unknown)}")
        given = {name: value for name, value in changes.items() if value is not None}
        policy = self.policy.with_max_retries(given.pop("max_retries", None))
        for name in ("timeout", "recording_timeout", "min_download_rate"):
            if name in given:
                given[name] = float(given[name])
        return replace(self, policy=policy, **given)

    def describe(self, class_name: str) -> str:
        """The repr of a client: origin and limits, never the key."""
        return (
            f"{class_name}(base_url={self.origin!r}, api_key='***', timeout={self.timeout:g}, "
            f"max_retries={self.policy.max_retries})"
        )
