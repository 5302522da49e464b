"""From the cache to a cohort's frames, healing damaged cache entries on the way.

Shared by the sync and async loaders of :mod:`zenhire_nb.frames.bulk`; they pass the function
that runs fetch jobs (a thread pool of sync requests, or tasks on an event loop).

A completed session never changes, so a cached file that no longer reads back (a transcript
that is not JSON any more, a recording cut short or with a broken header) is a cache miss, not
a failure: the first build reports such files instead of failing them, they are fetched again
(atomically replacing the bad file) and the frames are built once more. Only what is still
unreadable after that refetch is reported in ``cohort.failures``.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Awaitable, Callable

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._cohort import (
    Cohort,
    Damage,
    Failure,
    Job,
    build_cohort,
    plan_jobs,
    repair_jobs,
)
from zenhire_nb.frames._memo import recall_or_build
from zenhire_nb.frames._state import CachedState, cached_states
from zenhire_nb.frames.cache import ResultsCache
from zenhire_nb.frames.errors import FramesError

__all__ = ["afinish", "finish", "open_cache", "plan"]

Fetch = Callable[[list[Job]], list[Failure]]
AsyncFetch = Callable[[list[Job]], Awaitable[list[Failure]]]


def open_cache(
    base_url: str, completed: list[SessionSummary], directory: str | os.PathLike[str] | None
) -> ResultsCache | None:
    """The tenant's cache folder, or ``None`` when no session is completed.

    Raises:
        FramesError: the sessions belong to several tenants.
        CacheError: the folder cannot be used.
    """
    if not completed:
        return None
    tenants = {summary.client_id for summary in completed}
    if len(tenants) != 1:
        raise FramesError(f"sessions of several tenants in one cohort: {sorted(tenants)}")
    return ResultsCache(base_url, tenants.pop(), directory=directory)


def plan(
    results_cache: ResultsCache | None,
    completed: list[SessionSummary],
    recordings: bool,
    refresh: bool,
    vad: str,
) -> tuple[dict[str, CachedState], list[Job]]:
    """The cache state of the completed sessions, and the jobs still to run for them."""
    if results_cache is None:
        return {}, []
    states = cached_states(results_cache, [summary.id for summary in completed])
    jobs = plan_jobs(completed, states, recordings=recordings, refresh=refresh, vad=vad)
    return states, jobs


def finish(
    results_cache: ResultsCache | None,
    selected: list[SessionSummary],
    completed: list[SessionSummary],
    failures: list[Failure],
    *,
    recordings: bool,
    vad: str,
    states: dict[str, CachedState],
    changed: bool,
    fetch: Fetch,
) -> Cohort:
    """Build the frames; fetch damaged cache entries again with ``fetch`` and rebuild once.

    ``changed``: jobs ran since ``states`` was taken. Appends to ``failures``.
    """
    build = functools.partial(_build, results_cache, selected, completed, failures, recordings, vad)
    damaged: list[Damage] = []
    cohort = build(states, changed, damaged)
    repairs = repair_jobs(damaged, completed, recordings=recordings)
    if not repairs:
        return cohort
    failures.extend(fetch(repairs))
    # The refetched files are new: the frames are keyed on the cache state after them, and
    # what still does not read back now is reported as a failure.
    return build({}, True, None)


async def afinish(
    results_cache: ResultsCache | None,
    selected: list[SessionSummary],
    completed: list[SessionSummary],
    failures: list[Failure],
    *,
    recordings: bool,
    vad: str,
    states: dict[str, CachedState],
    changed: bool,
    fetch: AsyncFetch,
) -> Cohort:
    """:func:`finish` for an event loop: builds run in a worker thread, fetches on the loop."""
    build = functools.partial(_build, results_cache, selected, completed, failures, recordings, vad)
    damaged: list[Damage] = []
    cohort = await asyncio.to_thread(build, states, changed, damaged)
    repairs = repair_jobs(damaged, completed, recordings=recordings)
    if not repairs:
        return cohort
    failures.extend(await fetch(repairs))
    return await asyncio.to_thread(build, {}, True, None)


def _build(
    results_cache: ResultsCache | None,
    selected: list[SessionSummary],
    completed: list[SessionSummary],
    failures: list[Failure],
    recordings: bool,
    vad: str,
    states: dict[str, CachedState],
    changed: bool,
    damaged: list[Damage] | None,
) -> Cohort:
    ids = [s.id for s in completed]
    if results_cache is None or failures:
        return build_cohort(
            results_cache, selected, ids, failures, recordings=recordings, vad=vad, damaged=damaged
        )
    if changed:  # jobs changed the cache: key the frames on its state now
        states = cached_states(results_cache, ids)
    return recall_or_build(
        results_cache,
        selected,
        ids,
        failures,
        states,
        recordings=recordings,
        vad=vad,
        damaged=damaged,
    )
