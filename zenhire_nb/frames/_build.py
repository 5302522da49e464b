"""The plain (not concurrent) steps of a cohort load: options, selection, cache, frames.

Called by the load steps in :mod:`._async_load` (and its generated sync twin); nothing here
sends a request or needs an event loop.

A completed session never changes, so a cached file that no longer reads back (a transcript
that is not JSON any more, a recording cut short or with a broken header) is a cache miss, not
a failure: the first :func:`build_frames` reports such files in ``damaged`` instead of failing
them, the loader fetches them again (atomically replacing the bad file) and builds once more.
Only what is still unreadable after that refetch is reported in ``cohort.failures``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from tqdm.auto import tqdm

from zenhire_nb.contract import SessionStatus, SessionSummary
from zenhire_nb.frames._cohort import (
    Cohort,
    Damage,
    Failure,
    Job,
    build_cohort,
    failure_of,
    plan_jobs,
)
from zenhire_nb.frames._memo import recall_or_build
from zenhire_nb.frames._state import CachedState, cached_states
from zenhire_nb.frames.cache import ResultsCache
from zenhire_nb.frames.errors import CacheError, FramesError
from zenhire_nb.frames.parsing import VadSettings
from zenhire_nb.frames.query import CohortQuery

__all__ = [
    "LoadOptions",
    "build_frames",
    "cached_summaries",
    "close_cache",
    "open_cache",
    "plan",
    "progress_bar",
    "select",
]


@dataclass(frozen=True)
class LoadOptions:
    """How to load a cohort (the loaders' arguments besides the client and the query)."""

    recordings: bool
    cache: str | os.PathLike[str] | None
    refresh: bool
    max_concurrency: int
    progress: bool
    vad_settings: VadSettings | None
    vad: str  # the key of vad_settings the cached rows are measured with
    page_size: int


def select(
    summaries: list[SessionSummary], query: CohortQuery, failures: list[Failure]
) -> tuple[list[SessionSummary], list[SessionSummary]]:
    """The sessions of the cohort, and those of them whose results can be fetched.

    Sessions asked for by id but not in the query's status are reported (stage ``status``).
    """
    selected = []
    status = query.status
    for summary in summaries:
        if query.session_ids is not None and status is not None and summary.status != status:
            error = FramesError(
                f"status is {summary.status}, not {status}", subject=f"session {summary.id}"
            )
            failures.append(failure_of(summary.id, "status", error))
            continue
        selected.append(summary)
    return selected, [s for s in selected if s.status == "completed"]


def cached_summaries(
    base_url: str,
    client_id: str,
    session_ids: list[str],
    directory: str | os.PathLike[str] | None,
) -> dict[str, SessionSummary]:
    """The completed summaries of ``session_ids`` that tenant ``client_id``'s cache holds.

    What a warm re-load by ``session_ids`` uses instead of one ``GET`` per session: a completed
    session never changes, so its summary as cached is its summary now. ``client_id`` must come
    from the platform for this very key (a session it just served), so one tenant's cache is
    never read for another tenant's key. Anything not cached, not completed or unreadable is
    simply left out (the caller asks the platform for it); no folder is created.
    """
    try:
        index = ResultsCache.index_path(base_url, client_id, directory=directory)
    except CacheError:  # not a folder name: nothing can be cached under it
        return {}
    if not index.is_file():
        return {}
    try:
        with ResultsCache(base_url, client_id, directory=directory) as results_cache:
            summaries = results_cache.summaries(session_ids)
    except (CacheError, ValueError):  # unusable: the platform is asked instead
        return {}
    found = {}
    for session_id, summary in summaries.items():
        if (
            summary.get("status") != SessionStatus.COMPLETED
            or summary.get("client_id") != client_id
        ):
            continue
        try:
            found[session_id] = SessionSummary.model_validate(summary)
        except ValidationError:
            continue  # written by another version, say: the platform is asked instead
    return found


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


def close_cache(results_cache: ResultsCache | None) -> None:
    if results_cache is not None:
        results_cache.close()


def build_frames(
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
    """The cohort's frames from the cache (recalled when the cache state is unchanged).

    ``changed``: jobs ran since ``states`` was taken. ``damaged``: collects the cached files
    that do not read back (``None``: report them as failures instead).
    """
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


@contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[Any]:
    """A ``tqdm.auto`` bar over ``total`` sessions (hidden when disabled or empty)."""
    bar = tqdm(
        total=total, disable=not enabled or total == 0, desc="ZenHire results", unit="session"
    )
    try:
        yield bar
    finally:
        bar.close()
