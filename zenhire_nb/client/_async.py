"""The asynchronous client: :class:`AsyncClient` and its ``personas`` / ``sessions`` namespaces.

Requests are built and parsed in ``_endpoints``/``_http``; this module only sends them with
``httpx.AsyncClient`` and sleeps with the policy's clock.
"""
# async-only: this file is the source of _sync.py, which scripts/unasync.py writes from it by
# async-only: text substitution: edit here, then run the script. The sync client is plain
# async-only: blocking code; it never runs this one under asyncio.run.

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import httpx

from zenhire_nb.client import _endpoints as ep
from zenhire_nb.client._async_resources import AsyncPersonas, AsyncSessions
from zenhire_nb.client._base import (
    DEFAULT_MAX_RECORDING_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MIN_DOWNLOAD_RATE,
    USER_AGENT,
    Settings,
)
from zenhire_nb.client._body import BoundedBody
from zenhire_nb.client._deadline import AsyncDeadline
from zenhire_nb.client._download import BODY_CUT, Sink, check_complete, cut_short
from zenhire_nb.client._http import (
    ERROR_BODY_MAX,
    build_request,
    deadline_error,
    give_up,
    log_retry,
    parse_success,
    redirect_error,
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
    platform. Raises ConfigurationError when no key is found. Use as a context manager, or call
    :meth:`close`, to release connections.

    Time and size limits of every request attempt (a retry starts afresh):

    - ``timeout``: seconds for each network step, and the attempt's deadline: it must end
      within ``timeout + bytes received / min_download_rate`` seconds (so a JSON call within
      about ``timeout``, a recording in proportion to its size), else APITimeoutError;
    - ``recording_timeout``: seconds a recording download may wait between bytes;
    - ``min_download_rate``: bytes per second a body must average beyond ``timeout``
      (default 32 KiB/s, 256 kbit/s);
    - ``max_response_bytes``: largest JSON body, counted after decompression (default 16 MiB);
    - ``max_recording_bytes``: largest recording (default 2 GiB, the WAV header check's cap).
      Bigger bodies raise ResponseTooLargeError as soon as the limit is passed.

    A 3xx answer raises UnexpectedRedirectError and is never followed.
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
        min_download_rate: float = DEFAULT_MIN_DOWNLOAD_RATE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_recording_bytes: int = DEFAULT_MAX_RECORDING_BYTES,
    ) -> None:
        settings = Settings.resolve(
            api_key,
            base_url,
            timeout=timeout,
            recording_timeout=recording_timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            min_download_rate=min_download_rate,
            max_response_bytes=max_response_bytes,
            max_recording_bytes=max_recording_bytes,
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
        min_download_rate: float | None = None,
        max_response_bytes: int | None = None,
        max_recording_bytes: int | None = None,
    ) -> AsyncClient:
        """A client sharing this one's connections with other options (``None`` keeps the
        value; see the class docstring). Closing it does not close the original."""
        settings = self._settings.with_options(
            max_retries=max_retries,
            timeout=timeout,
            recording_timeout=recording_timeout,
            min_download_rate=min_download_rate,
            max_response_bytes=max_response_bytes,
            max_recording_bytes=max_recording_bytes,
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
        deadline = AsyncDeadline(
            settings.timeout, settings.min_download_rate, deadline_error(request, call)
        )
        try:
            with deadline:
                # Never follow a redirect, whatever the http_client's own setting: the key
                # would go to wherever Location points (§3.6: the API never redirects).
                response = await self._http.send(request, stream=True, follow_redirects=False)
                try:
                    deadline.received(0)
                    return await self._answer(response, call, target, deadline)
                finally:
                    await response.aclose()
        except httpx.RequestError as exc:
            raise transport_error(exc, request, call) from exc
        finally:
            scrub(request)

    async def _answer(
        self,
        response: httpx.Response,
        call: ep.Call[T],
        target: Path | None,
        deadline: AsyncDeadline,
    ) -> T:
        settings = self._settings
        if 300 <= response.status_code < 400:  # exactly httpx.Response.is_redirect
            raise redirect_error(response, call)
        if response.is_error:
            body = BoundedBody(response, limit=ERROR_BODY_MAX, what=call.what, truncate=True)
            raise status_error(response, call, await self._read(response, body, deadline))
        if call.download:
            return call.parse(await self._receive(response, call, target, deadline))
        body = BoundedBody(response, limit=settings.max_response_bytes, what=call.what)
        return parse_success(response, call, await self._read(response, body, deadline))

    async def _read(
        self, response: httpx.Response, body: BoundedBody, deadline: AsyncDeadline
    ) -> bytes:
        """The decoded body, read under its size limit and the attempt's deadline."""
        parts: list[bytes] = []
        await self._decode(response, body, deadline, parts.append)
        return b"".join(parts)

    async def _receive(
        self,
        response: httpx.Response,
        call: ep.Call[T],
        target: Path | None,
        deadline: AsyncDeadline,
    ) -> bytes | Path:
        limit = self._settings.max_recording_bytes
        body = BoundedBody(response, limit=limit, what=call.what)
        with Sink(target, what=call.what, session_id=call.session_id, max_bytes=limit) as sink:
            try:
                await self._decode(response, body, deadline, sink.write)
            except BODY_CUT as exc:
                # Reported as a short download (retryable like any read), not a bare reset.
                raise cut_short(response, sink.written, call.what, exc) from exc
            check_complete(response, deadline.received_bytes, call.what)
            return sink.commit()

    async def _decode(
        self,
        response: httpx.Response,
        body: BoundedBody,
        deadline: AsyncDeadline,
        write: Callable[[bytes], None],
    ) -> None:
        """Pass the decoded body to ``write`` chunk by chunk, counting the raw bytes against
        the attempt's deadline; stops early once a truncating ``body`` is full.

        A callback, not a generator, so that a consumer that raises (a Sink rejecting the
        first bytes) leaves no half-read generator to be finalized later."""
        if response.is_stream_consumed:  # built in memory, not streamed (a mock transport)
            for chunk in body.whole(response.content):
                write(chunk)
            deadline.received(len(response.content))
            return
        async for raw in response.aiter_raw():
            deadline.received(len(raw))
            for chunk in body.feed(raw):
                write(chunk)
            if body.full:
                return
        for chunk in body.finish():
            write(chunk)
