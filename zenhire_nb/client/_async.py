"""The asynchronous client: :class:`AsyncClient` and its ``personas`` / ``sessions`` namespaces.

Requests are built and parsed in ``_endpoints``/``_http``; this module only sends them with
``httpx.AsyncClient`` and sleeps with the policy's clock.
"""
# async-only: this file is the source of _sync.py, which scripts/unasync.py writes from it by
# async-only: text substitution: edit here, then run the script. The sync client is plain
# async-only: blocking code; it never runs this one under asyncio.run.

from __future__ import annotations

from pathlib import Path
from typing import NoReturn, TypeVar

import httpx

from zenhire_nb.client import _endpoints as ep
from zenhire_nb.client._async_resources import AsyncPersonas, AsyncSessions
from zenhire_nb.client._base import USER_AGENT, Settings
from zenhire_nb.client._download import BODY_CUT, Sink, check_complete, cut_short
from zenhire_nb.client._http import (
    build_request,
    give_up,
    log_retry,
    parse_success,
    scrub,
    status_error,
    transport_error,
)
from zenhire_nb.client._retry import RetryPolicy
from zenhire_nb.client.errors import APIConnectionError, APIStatusError
from zenhire_nb.contract import Credits, Health

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient:
    """Asynchronous client of the ZenHire Interview API.

    ``api_key`` falls back on ``ZENHIRE_API_KEY``; ``base_url`` (the platform origin; a URL ending
    in ``/api/v1/interview`` or ``/api/v1`` is accepted) on ``ZENHIRE_BASE_URL``, then the hosted
    platform. ``timeout`` is seconds per JSON call, ``recording_timeout`` the read timeout of
    recording downloads. Raises ConfigurationError when no key is found. Use as a context
    manager, or call :meth:`close`, to release connections.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        recording_timeout: float = 600.0,
        max_retries: int = 3,
        retry_policy: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        settings = Settings.resolve(
            api_key,
            base_url,
            timeout=timeout,
            recording_timeout=recording_timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
        )
        self._setup(
            settings,
            http_client or httpx.AsyncClient(headers={"User-Agent": USER_AGENT}),
            owns_http=http_client is None,
        )

    def _setup(self, settings: Settings, http: httpx.AsyncClient, *, owns_http: bool) -> None:
        self._settings = settings
        self._http = http
        self._owns_http = owns_http
        self.personas = AsyncPersonas(self)
        self.sessions = AsyncSessions(self)

    @property
    def base_url(self) -> str:
        return self._settings.origin

    def with_options(
        self,
        *,
        max_retries: int | None = None,
        timeout: float | None = None,
        recording_timeout: float | None = None,
    ) -> AsyncClient:
        """A client sharing this one's connections with other ``max_retries``/``timeout``/
        ``recording_timeout`` (``None`` keeps the value). Closing it does not close the original."""
        settings = self._settings.with_options(
            max_retries=max_retries, timeout=timeout, recording_timeout=recording_timeout
        )
        twin = object.__new__(AsyncClient)
        twin._setup(settings, self._http, owns_http=False)
        return twin

    async def health(self, *, max_retries: int | None = None) -> Health:
        """``GET /api/v1/health`` (no key needed)."""
        return await self._request(ep.health(), max_retries=max_retries)

    async def credits(self, *, max_retries: int | None = None) -> Credits:
        """``GET /api/v1/credits``: the balance in credits."""
        return await self._request(ep.credits(), max_retries=max_retries)

    async def aclose(self) -> None:
        """Release the connections (unless the ``http_client`` was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return self._settings.describe(type(self).__name__)

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            "an AsyncClient holds an API key and is not picklable; build one per process"
        )

    # -- sending ---------------------------------------------------------------------------

    async def _request(
        self, call: ep.Call[T], *, max_retries: int | None = None, target: Path | None = None
    ) -> T:
        """Send ``call`` under the retry policy; raises the mapped ZenHireError."""
        policy = self._settings.policy.with_max_retries(max_retries)
        attempt = 0
        while True:
            try:
                return await self._attempt(call, target)
            except (APIStatusError, APIConnectionError) as error:
                delay = policy.delay(error, attempt=attempt, idempotent=call.idempotent)
                if delay is None:
                    final = give_up(error, call)
                    if final is error:
                        raise
                    raise final from error
                log_retry(call, error, delay, attempt)
                await policy.clock.async_sleep(delay)
                attempt += 1

    async def _attempt(self, call: ep.Call[T], target: Path | None) -> T:
        settings = self._settings
        timeout = settings.download_timeout() if call.download else settings.json_timeout()
        request = build_request(
            self._http, call, origin=settings.origin, api_key=settings.api_key, timeout=timeout
        )
        try:
            response = await self._http.send(request, stream=True)
            try:
                if response.is_error:
                    await response.aread()
                    raise status_error(response, call)
                if call.download:
                    return call.parse(await self._receive(response, call, target))
                await response.aread()
                return parse_success(response, call)
            finally:
                await response.aclose()
        except httpx.RequestError as exc:
            raise transport_error(exc, request, call) from exc
        finally:
            scrub(request)

    async def _receive(
        self, response: httpx.Response, call: ep.Call[T], target: Path | None
    ) -> bytes | Path:
        with Sink(target) as sink:
            try:
                async for chunk in response.aiter_bytes():
                    sink.write(chunk)
            except BODY_CUT as exc:
                # Reported as a short download (retryable like any read), not a bare reset.
                raise cut_short(response, sink.written, call.what, exc) from exc
            check_complete(response, sink.written, call.what)
            return sink.commit()
