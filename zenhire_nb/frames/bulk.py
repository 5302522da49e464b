"""Load a whole cohort of interviews in one call: concurrent, cached, partial-failure safe.

::

    cohort = load_cohort(client, persona_id="p_123")          # plain notebook code
    cohort.turns, cohort.answers, cohort.summary, cohort.failures
    cohort = await aload_cohort(async_client, tags=["batch-7"])  # from async code

What happens:

1. The sessions are listed with the filters (or fetched one by one for ``session_ids``).
2. For every ``completed`` session the transcript and the recording are downloaded into the
   local results cache (:mod:`zenhire_nb.frames.cache`) unless already there; recordings
   stream to their files and are measured chunk-wise, so memory stays flat whatever the size.
   At most ``max_concurrency`` sessions are in flight at once.
3. The frames are built from the cache. Re-running fetches only sessions not yet cached;
   ``refresh=True`` downloads everything again.

The sync :func:`load_cohort` runs blocking requests in a thread pool: it never touches asyncio,
so it works inside Jupyter's running event loop without ``nest_asyncio``.

Failures never stop the load: each failed step lands in ``cohort.failures`` (session_id,
stage, error_type, message) and a :class:`CohortLoadWarning` summarises them; everything else
is loaded. Sessions that exist but are not in the requested ``status`` (when ``session_ids``
are given) are reported with stage ``status``.
"""

from __future__ import annotations

import asyncio
import functools
import os
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from zenhire_nb.client import AsyncClient, Client
from zenhire_nb.client.errors import ZenHireError
from zenhire_nb.contract import SessionSummary
from zenhire_nb.contract.limits import Limits
from zenhire_nb.frames._build import afinish, finish, open_cache, plan
from zenhire_nb.frames._cohort import Cohort, Failure, Job, failure_of, vad_key
from zenhire_nb.frames._jobs import arun_jobs, run_jobs
from zenhire_nb.frames._listing import alist_cohort, list_cohort
from zenhire_nb.frames.cache import ResultsCache, default_cache_root
from zenhire_nb.frames.errors import FramesError
from zenhire_nb.frames.parsing import VadSettings

__all__ = ["Cohort", "CohortLoadWarning", "aload_cohort", "load_cohort"]

_PAGE_SIZE = Limits.LIST_LIMIT_MAX  # the contract's largest page: fewest round trips


class CohortLoadWarning(UserWarning):
    """Some sessions of a cohort failed to load; ``cohort.failures`` has the details."""


def load_cohort(
    client: Client,
    *,
    persona_id: str | None = None,
    status: str | None = "completed",
    tags: Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    created_after: datetime | str | None = None,
    created_before: datetime | str | None = None,
    candidate_ref: str | None = None,
    session_ids: Sequence[str] | None = None,
    recordings: bool = True,
    cache: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    max_concurrency: int = 8,
    progress: bool = True,
    vad_settings: VadSettings | None = None,
) -> Cohort:
    """Load the sessions matching the filters (or ``session_ids``) with their results.

    Args:
        client: a sync :class:`~zenhire_nb.Client`.
        persona_id, status, tags, metadata, created_after, created_before, candidate_ref:
            list filters, as ``client.sessions.list``; ``status=None`` lists every status (only
            completed sessions have results to fetch).
        session_ids: load exactly these sessions instead (no other filter allowed); those not
            in ``status`` are reported in ``failures`` with stage ``status``.
        recordings: also download and measure recordings (``cohort.recordings``).
        cache: cache root folder; default ``$ZENHIRE_CACHE_DIR``, else the user cache dir.
        refresh: download again even what is cached.
        max_concurrency: sessions in flight at once (1..64).
        progress: show a ``tqdm.auto`` progress bar.
        vad_settings: voice-activity settings for the recordings frame.

    Returns:
        A :class:`Cohort`.

    Raises:
        InvalidArgumentError, ValueError: bad arguments (before any request).
        ZenHireError: listing the sessions failed (nothing to load without the list).
        CacheError: the cache folder cannot be used.

    Side effects: writes to the cache folder; warns (:class:`CohortLoadWarning`) on failures.
    """
    filters = _checked_filters(
        max_concurrency,
        session_ids,
        persona_id=persona_id,
        status=status,
        tags=tags,
        metadata=metadata,
        created_after=created_after,
        created_before=created_before,
        candidate_ref=candidate_ref,
    )
    failures: list[Failure] = []
    vad = vad_key(vad_settings)
    with _pool(max_concurrency) as pool:
        summaries = _summaries(client, pool, filters, session_ids, failures, cache)
        selected, completed = _select(summaries, status, session_ids, failures)
        results_cache = open_cache(client.base_url, completed, cache)
        try:
            states, jobs = plan(results_cache, completed, recordings, refresh, vad)

            fetch = functools.partial(
                _fetch,
                pool,
                client,
                results_cache,
                settings=vad_settings,
                vad=vad,
                progress=progress,
            )
            failures.extend(fetch(jobs))
            cohort = finish(
                results_cache,
                selected,
                completed,
                failures,
                recordings=recordings,
                vad=vad,
                states=states,
                changed=bool(jobs),
                fetch=fetch,
            )
        finally:
            _close(results_cache)
    _warn(failures, len(selected))
    return cohort


async def aload_cohort(
    client: AsyncClient,
    *,
    persona_id: str | None = None,
    status: str | None = "completed",
    tags: Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    created_after: datetime | str | None = None,
    created_before: datetime | str | None = None,
    candidate_ref: str | None = None,
    session_ids: Sequence[str] | None = None,
    recordings: bool = True,
    cache: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    max_concurrency: int = 8,
    progress: bool = True,
    vad_settings: VadSettings | None = None,
) -> Cohort:
    """:func:`load_cohort` for async code, with an :class:`~zenhire_nb.AsyncClient`.

    Same arguments, result, errors and side effects. Requests run as tasks on the caller's
    loop (at most ``max_concurrency`` in flight); disk writes and recording analysis run in
    worker threads so the loop stays responsive.
    """
    filters = _checked_filters(
        max_concurrency,
        session_ids,
        persona_id=persona_id,
        status=status,
        tags=tags,
        metadata=metadata,
        created_after=created_after,
        created_before=created_before,
        candidate_ref=candidate_ref,
    )
    failures: list[Failure] = []
    vad = vad_key(vad_settings)
    gate = asyncio.Semaphore(max_concurrency)
    summaries = await _asummaries(client, gate, filters, session_ids, failures, cache)
    selected, completed = _select(summaries, status, session_ids, failures)
    results_cache = await asyncio.to_thread(open_cache, client.base_url, completed, cache)
    try:
        states, jobs = await asyncio.to_thread(
            plan, results_cache, completed, recordings, refresh, vad
        )

        afetch = functools.partial(
            _afetch,
            client,
            results_cache,
            settings=vad_settings,
            vad=vad,
            gate=gate,
            progress=progress,
        )
        failures.extend(await afetch(jobs))
        cohort = await afinish(
            results_cache,
            selected,
            completed,
            failures,
            recordings=recordings,
            vad=vad,
            states=states,
            changed=bool(jobs),
            fetch=afetch,
        )
    finally:
        await asyncio.to_thread(_close, results_cache)
    _warn(failures, len(selected))
    return cohort


# -- shared steps ----------------------------------------------------------------------------


def _checked_filters(
    max_concurrency: int, session_ids: Sequence[str] | None, **filters: Any
) -> dict[str, Any]:
    """The list filters (``client.sessions.list`` keywords), after checking the arguments.

    Raises:
        ValueError: a bad ``max_concurrency``, or ``session_ids`` misused (before any request).
    """
    if not isinstance(max_concurrency, int) or not 1 <= max_concurrency <= 64:
        raise ValueError(f"max_concurrency must be an integer in 1..64, got {max_concurrency!r}")
    if session_ids is not None:
        if isinstance(session_ids, str):
            raise ValueError("session_ids must be a list of ids, not one string")
        if any(value is not None for name, value in filters.items() if name != "status"):
            raise ValueError("session_ids cannot be combined with list filters (except status)")
    return {**filters, "page_size": _PAGE_SIZE}


def _summaries(
    client: Client,
    pool: ThreadPoolExecutor,
    filters: dict[str, Any],
    session_ids: Sequence[str] | None,
    failures: list[Failure],
    cache: str | os.PathLike[str] | None,
) -> list[SessionSummary]:
    if session_ids is None:
        return list_cohort(client, pool, filters, default_cache_root(cache))
    ids = list(dict.fromkeys(session_ids))
    futures = [pool.submit(client.sessions.get, sid) for sid in ids]
    found = []
    for sid, future in zip(ids, futures, strict=True):
        try:
            found.append(future.result())
        except ZenHireError as error:
            failures.append(failure_of(sid, "summary", error))
    return found


async def _asummaries(
    client: AsyncClient,
    gate: asyncio.Semaphore,
    filters: dict[str, Any],
    session_ids: Sequence[str] | None,
    failures: list[Failure],
    cache: str | os.PathLike[str] | None,
) -> list[SessionSummary]:
    if session_ids is None:
        return await alist_cohort(client, gate, filters, default_cache_root(cache))
    ids = list(dict.fromkeys(session_ids))

    async def get(sid: str) -> SessionSummary | BaseException:
        async with gate:
            try:
                return await client.sessions.get(sid)
            except ZenHireError as error:
                return error

    found = []
    for sid, result in zip(ids, await asyncio.gather(*(get(sid) for sid in ids)), strict=True):
        if isinstance(result, BaseException):
            failures.append(failure_of(sid, "summary", result))
        else:
            found.append(result)
    return found


def _select(
    summaries: list[SessionSummary],
    status: str | None,
    session_ids: Sequence[str] | None,
    failures: list[Failure],
) -> tuple[list[SessionSummary], list[SessionSummary]]:
    """The sessions of the cohort, and those of them whose results can be fetched."""
    selected = []
    for summary in summaries:
        if session_ids is not None and status is not None and summary.status != status:
            error = FramesError(
                f"status is {summary.status}, not {status}", subject=f"session {summary.id}"
            )
            failures.append(failure_of(summary.id, "status", error))
            continue
        selected.append(summary)
    return selected, [s for s in selected if s.status == "completed"]


def _warn(failures: list[Failure], total: int) -> None:
    if not failures:
        return
    sessions = len({f.session_id for f in failures})
    stages = ", ".join(f"{stage}: {n}" for stage, n in Counter(f.stage for f in failures).items())
    message = (
        f"{sessions} session(s) had failures ({stages}) out of {total} loaded; "
        "the rest are loaded, see cohort.failures"
    )
    warnings.warn(message, CohortLoadWarning, stacklevel=3)


def _fetch(
    pool: ThreadPoolExecutor,
    client: Client,
    results_cache: ResultsCache | None,
    jobs: list[Job],
    *,
    settings: VadSettings | None,
    vad: str,
    progress: bool,
) -> list[Failure]:
    if results_cache is None:  # there are jobs only when there is a cache
        return []
    return run_jobs(pool, client, results_cache, jobs, settings, vad, progress=progress)


async def _afetch(
    client: AsyncClient,
    results_cache: ResultsCache | None,
    jobs: list[Job],
    *,
    settings: VadSettings | None,
    vad: str,
    gate: asyncio.Semaphore,
    progress: bool,
) -> list[Failure]:
    if results_cache is None:  # there are jobs only when there is a cache
        return []
    return await arun_jobs(client, results_cache, jobs, settings, vad, gate=gate, progress=progress)


def _close(results_cache: ResultsCache | None) -> None:
    if results_cache is not None:
        results_cache.close()


@contextmanager
def _pool(size: int) -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="zenhire-fetch")
    try:
        yield pool
    except BaseException:
        # Ctrl-C in a notebook: drop queued work instead of finishing every download first.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
