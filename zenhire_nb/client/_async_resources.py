"""The ``personas`` and ``sessions`` namespaces of the asynchronous :class:`AsyncClient`.

Each method builds its request with ``_endpoints`` and hands it to the client's ``_request``.
"""
# async-only: this file is the source of _sync_resources.py, which scripts/unasync.py writes
# async-only: from it: edit here, then run the script.

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, overload

from zenhire_nb.client import _endpoints as ep
from zenhire_nb.client._download import check_target
from zenhire_nb.client._validate import PageGuard, check_id, list_params
from zenhire_nb.client._wait import PollSchedule
from zenhire_nb.contract import (
    JsonValue,
    MetadataValue,
    Persona,
    PersonaCreated,
    PersonaDetail,
    SessionCreated,
    SessionSummary,
)

if TYPE_CHECKING:
    from zenhire_nb.client._async import AsyncClient

__all__ = ["AsyncPersonas", "AsyncSessions"]

_Params = list[tuple[str, str]]


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
        metadata: Mapping[str, MetadataValue] | None = None,
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
        metadata: Mapping[str, MetadataValue] | None = None,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        page_size: int | None = None,
        cursor: str | None = None,
        max_retries: int | None = None,
        max_pages: int = 10_000,
    ) -> AsyncIterator[SessionSummary]:
        """Sessions matching every filter, newest first, fetched page by page as you iterate.

        ``tags``: all must match; ``metadata``: ``{key: value}`` sent as ``metadata.<key>``;
        ``created_*``: datetimes (naive = UTC) or ISO 8601 strings; ``page_size`` 1..100.
        Arguments are checked now (InvalidArgumentError); requests happen while iterating.

        A server that pages in a cycle (a cursor it gave before) or past ``max_pages`` pages
        raises ResponseValidationError naming the cursor or the count, never an endless loop.
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
        guard = PageGuard(cursor, max_pages)
        return self._pages(params, cursor, max_retries, guard)

    async def _pages(
        self, params: _Params, cursor: str | None, max_retries: int | None, guard: PageGuard
    ) -> AsyncIterator[SessionSummary]:
        while True:
            page = await self._client._request(
                ep.list_sessions(params, cursor), max_retries=max_retries
            )
            guard.check(page.next_cursor)
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

    @overload
    async def recording(
        self, session_id: str, *, path: None = None, max_retries: int | None = None
    ) -> bytes: ...

    @overload
    async def recording(
        self, session_id: str, *, path: str | os.PathLike[str], max_retries: int | None = None
    ) -> Path: ...

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
        return await self._client._request(call, max_retries=max_retries, target=target)

    async def transcript(self, session_id: str, *, max_retries: int | None = None) -> JsonValue:
        """The transcript document, parsed from JSON and otherwise as served (shape is opaque).

        ArtifactNotReadyError until the session completed.
        """
        return await self._client._request(ep.transcript(session_id), max_retries=max_retries)
