"""The asynchronous client: :class:`AsyncClient`, a line-for-line mirror of :mod:`._sync`.

Only the sending differs (``httpx.AsyncClient``, ``await``, ``async for``); requests are built
and parsed by the same code in ``_endpoints``/``_http``. It is never driven through
``asyncio.run`` by the sync client, which would break inside Jupyter's running event loop.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import httpx

from zenhire_nb.client import _endpoints as ep
from zenhire_nb.client._base import USER_AGENT, Settings
from zenhire_nb.client._download import Sink, check_complete, check_target
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
from zenhire_nb.client._validate import check_id, list_params
from zenhire_nb.client._wait import PollSchedule
from zenhire_nb.client.errors import APIConnectionError, APIStatusError
from zenhire_nb.contract import (
    Credits,
    Health,
    Persona,
    PersonaCreated,
    PersonaDetail,
    SessionCreated,
    SessionSummary,
)

__all__ = ["AsyncClient"]

T = TypeVar("T")
_Params = list[tuple[str, str]]


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

    def with_options(self, **options: Any) -> AsyncClient:
        """A client sharing this one's connections with other ``max_retries``/``timeout``/
        ``recording_timeout``. Closing it does not close the original."""
        twin = object.__new__(AsyncClient)
        twin._setup(self._settings.with_options(**options), self._http, owns_http=False)
        return twin

    async def health(self, *, max_retries: int | None = None) -> Health:
        """``GET /api/v1/health`` (no key needed)."""
        return await self._request(ep.health(), max_retries=max_retries)

    async def credits(self, *, max_retries: int | None = None) -> Credits:
        """``GET /api/v1/credits``: the balance in credits."""
        return await self._request(ep.credits(), max_retries=max_retries)

    async def aclose(self) -> None:
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
                    return await self._receive(response, call, target)  # type: ignore[return-value]
                await response.aread()
                return parse_success(response, call)  # type: ignore[no-any-return]
            finally:
                await response.aclose()
        except httpx.RequestError as exc:
            raise transport_error(exc, request, call) from exc
        finally:
            scrub(request)

    async def _receive(
        self, response: httpx.Response, call: ep.Call[Any], target: Path | None
    ) -> Any:
        with Sink(target) as sink:
            async for chunk in response.aiter_bytes():
                sink.write(chunk)
            check_complete(response, sink.written, call.what)
            return sink.commit()


class AsyncPersonas:
    """``client.personas``: interviewer configurations (role + language)."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(
        self,
        *,
        role_name: str,
        language: str,
        system_prompt: str | None = None,
        base_prompt_override: str | None = None,
        max_retries: int | None = None,
    ) -> PersonaCreated:
        """``POST /personas``. Retried only when nothing can have been created (see _retry);
        raises AmbiguousRequestError if it may have been."""
        call = ep.create_persona(
            role_name=role_name,
            language=language,
            system_prompt=system_prompt,
            base_prompt_override=base_prompt_override,
        )
        return await self._client._request(call, max_retries=max_retries)

    async def list(self, *, max_retries: int | None = None) -> list[Persona]:
        """``GET /personas``: every persona of this client."""
        return await self._client._request(ep.list_personas(), max_retries=max_retries)

    async def get(self, persona_id: str, *, max_retries: int | None = None) -> PersonaDetail:
        """``GET /personas/{persona_id}``; NotFoundError for unknown or foreign ids."""
        return await self._client._request(ep.get_persona(persona_id), max_retries=max_retries)


class AsyncSessions:
    """``client.sessions``: candidate interviews and their results."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(
        self,
        persona_id: str,
        *,
        consent_mode: str,
        candidate_ref: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Iterable[str] | None = None,
        max_retries: int | None = None,
    ) -> SessionCreated:
        """``POST /personas/{persona_id}/sessions``: mints the candidate link (shown once).

        Never retried after the request was sent: raises AmbiguousSessionCreateError, which says
        how to check whether the session exists.
        """
        call = ep.create_session(
            persona_id,
            consent_mode=consent_mode,
            candidate_ref=candidate_ref,
            metadata=metadata,
            tags=None if tags is None else list(tags),
        )
        return await self._client._request(call, max_retries=max_retries)

    def list(
        self,
        *,
        status: str | None = None,
        persona_id: str | None = None,
        candidate_ref: str | None = None,
        tags: Iterable[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        page_size: int | None = None,
        cursor: str | None = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[SessionSummary]:
        """Sessions matching every filter, newest first, fetched page by page as you iterate.

        ``tags``: all must match; ``metadata``: ``{key: value}`` sent as ``metadata.<key>``;
        ``created_*``: datetimes (naive = UTC) or ISO 8601 strings; ``page_size`` 1..100.
        Arguments are checked now (InvalidArgumentError); requests happen in ``async for``.
        """
        params = list_params(
            status=status,
            persona_id=persona_id,
            candidate_ref=candidate_ref,
            tags=tags,
            metadata=metadata,
            created_after=created_after,
            created_before=created_before,
            page_size=page_size,
        )
        return self._pages(params, cursor, max_retries)

    async def _pages(
        self, params: _Params, cursor: str | None, max_retries: int | None
    ) -> AsyncIterator[SessionSummary]:
        while True:
            page = await self._client._request(
                ep.list_sessions(params, cursor), max_retries=max_retries
            )
            for row in page.rows:
                yield row
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def get(self, session_id: str, *, max_retries: int | None = None) -> SessionSummary:
        """``GET /sessions/{session_id}``; NotFoundError for unknown or foreign ids."""
        return await self._client._request(ep.get_session(session_id), max_retries=max_retries)

    async def wait(
        self,
        session_id: str,
        *,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_retries: int | None = None,
    ) -> SessionSummary:
        """Poll until the session is completed or failed and return it.

        Intervals start at ``poll_interval`` seconds and grow (x1.5, up to 15 s). Raises
        SessionWaitTimeoutError (session id, last status) after ``timeout`` seconds.
        """
        check_id(session_id, "session_id")
        schedule = PollSchedule(
            session_id, timeout, poll_interval, self._client._settings.policy.clock
        )
        while True:
            session = await self.get(session_id, max_retries=max_retries)
            delay = schedule.next_delay(session)
            if delay is None:
                return session
            await self._client._settings.policy.clock.async_sleep(delay)

    async def recording(
        self,
        session_id: str,
        *,
        path: str | os.PathLike[str] | None = None,
        max_retries: int | None = None,
    ) -> bytes | Path:
        """The WAV recording: bytes, or streamed to ``path`` atomically and that Path returned.

        A failed download (dropped connection, short body) leaves ``path`` untouched and no
        temporary file. ArtifactNotReadyError until the session completed.
        """
        call = ep.recording(session_id)
        target = check_target(path)
        return await self._client._request(call, max_retries=max_retries, target=target)  # type: ignore[no-any-return]

    async def transcript(self, session_id: str, *, max_retries: int | None = None) -> Any:
        """The transcript document, parsed from JSON and otherwise as served (shape is opaque).

        ArtifactNotReadyError until the session completed.
        """
        return await self._client._request(ep.transcript(session_id), max_retries=max_retries)
