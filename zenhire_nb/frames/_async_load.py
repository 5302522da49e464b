"""The steps of a cohort load: list the sessions, fetch what the cache lacks, build the frames.

:func:`async_load` is what ``aload_cohort`` runs. Everything that runs side by side or off the
caller's thread goes through the runner (:mod:`._runners`); the plain steps are in
:mod:`._build`.

Each fetch step that fails becomes a :class:`Failure` and the session's job goes on with what
it can still do, so one bad artifact never costs the session's other results. Only the
project's own errors and I/O errors are caught: anything else is a bug and propagates.
"""
# async-only: this file is the source of _sync_load.py (what load_cohort runs), which
# async-only: scripts/unasync.py writes from it: edit here, then run the script.

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from zenhire_nb.client import AsyncClient
from zenhire_nb.client.errors import ZenHireError
from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._build import (
    LoadOptions,
    build_frames,
    cached_summaries,
    close_cache,
    open_cache,
    plan,
    progress_bar,
    select,
)
from zenhire_nb.frames._cohort import (
    Cohort,
    Damage,
    Failure,
    Job,
    analyse_into_cache,
    failure_of,
    repair_jobs,
)
from zenhire_nb.frames._listing import listing_hints, merge_slices, remember_slices, slices_or_plain
from zenhire_nb.frames._runners import AsyncRunner
from zenhire_nb.frames.cache import ResultsCache, default_cache_root
from zenhire_nb.frames.query import CohortQuery

__all__ = ["async_load"]

# Any exception is one session's failure, the unexpected ones too: a bug met by one session's
# data (a recording of an unusual length, say) must cost that session, named in
# ``cohort.failures`` with its stage, not the whole load, and since results are cached, not
# every re-run either. Interrupts and cancellation still propagate.
_EXPECTED = (Exception,)


async def async_load(
    client: AsyncClient, query: CohortQuery, options: LoadOptions, failures: list[Failure]
) -> tuple[Cohort, int]:
    """The cohort of ``query`` and how many sessions it selected; appends to ``failures``.

    Raises:
        ZenHireError: listing the sessions failed (nothing to load without the list).
        CacheError, FramesError: the cache folder cannot be used.
    """
    async with AsyncRunner(options.max_concurrency) as runner:
        summaries = await async_cohort_sessions(runner, client, query, options, failures)
        selected, completed = select(summaries, query, failures)
        results_cache = await runner.offload(open_cache, client.base_url, completed, options.cache)
        try:
            loader = AsyncCohortLoad(runner, client, results_cache, options, failures)
            cohort = await loader.frames(selected, completed)
        finally:
            await runner.offload(close_cache, results_cache)
    return cohort, len(selected)


async def async_cohort_sessions(
    runner: AsyncRunner,
    client: AsyncClient,
    query: CohortQuery,
    options: LoadOptions,
    failures: list[Failure],
) -> list[SessionSummary]:
    """The listed sessions, or those of ``query.session_ids`` (unknown ones as failures)."""
    if query.session_ids is None:
        filters = {**query.list_filters(), "page_size": options.page_size}
        root = default_cache_root(options.cache)
        return await async_list_cohort(runner, client, filters, root)

    return await async_sessions_by_id(runner, client, list(query.session_ids), options, failures)


async def async_sessions_by_id(
    runner: AsyncRunner,
    client: AsyncClient,
    ids: list[str],
    options: LoadOptions,
    failures: list[Failure],
) -> list[SessionSummary]:
    """The summaries of ``ids``, in their order (unknown ones as failures).

    The first id that the platform serves names the key's tenant; the completed sessions that
    tenant's cache holds are then served from there (a completed session never changes), and
    only the rest is asked for, side by side: a warm re-load costs one round trip, not one per
    session. ``refresh`` asks the platform for every one.
    """

    async def get(session_id: str) -> SessionSummary | ZenHireError:
        try:
            return await client.sessions.get(session_id)
        except ZenHireError as error:
            return error

    known: dict[str, SessionSummary | ZenHireError] = {}
    if not options.refresh:
        for session_id in dict.fromkeys(ids):
            known[session_id] = await get(session_id)
            first = known[session_id]
            if isinstance(first, SessionSummary):
                cached = await runner.offload(
                    cached_summaries, client.base_url, first.client_id, ids, options.cache
                )
                known.update({sid: cached[sid] for sid in cached if sid not in known})
                break
    missing = [session_id for session_id in dict.fromkeys(ids) if session_id not in known]
    known.update(zip(missing, await runner.map(get, missing), strict=True))
    found = []
    for session_id in ids:
        result = known[session_id]
        if isinstance(result, ZenHireError):
            failures.append(failure_of(session_id, "summary", result))
        else:
            found.append(result)
    return found


async def async_list_cohort(
    runner: AsyncRunner, client: AsyncClient, filters: dict[str, Any], cache_root: Path
) -> list[SessionSummary]:
    """Every session matching ``filters``, newest first: by time slices side by side when the
    hints allow (see :mod:`._listing`), else page by page.

    Raises:
        ZenHireError: a listing request failed (there is no cohort without the full list).
    Side effects: remembers the slices for the next listing under ``cache_root``.
    """
    path, known = await runner.offload(listing_hints, client.base_url, filters, cache_root)

    async def list_all(slice_filters: dict[str, Any]) -> list[SessionSummary]:
        return [summary async for summary in client.sessions.list(**slice_filters)]

    merged = merge_slices(await runner.map(list_all, slices_or_plain(filters, known)))
    await runner.offload(remember_slices, path, merged, filters, known)
    return merged


class AsyncCohortLoad:
    """Fetching into the cache, then building the frames, for the completed sessions."""

    def __init__(
        self,
        runner: AsyncRunner,
        client: AsyncClient,
        results_cache: ResultsCache | None,
        options: LoadOptions,
        failures: list[Failure],
    ) -> None:
        self._runner = runner
        self._client = client
        self._cache = results_cache
        self._options = options
        self._failures = failures

    async def frames(
        self, selected: list[SessionSummary], completed: list[SessionSummary]
    ) -> Cohort:
        """Fetch what the cache lacks, build the frames; fetch damaged entries again and
        rebuild once (see :mod:`._build`)."""
        options, offload = self._options, self._runner.offload
        states, jobs = await offload(
            plan, self._cache, completed, options.recordings, options.refresh, options.vad
        )
        self._failures.extend(await self.fetch(jobs))
        damaged: list[Damage] = []
        cohort = await offload(self._build, selected, completed, states, bool(jobs), damaged)
        repairs = repair_jobs(damaged, completed, recordings=options.recordings)
        if not repairs:
            return cohort
        self._failures.extend(await self.fetch(repairs))
        # The refetched files are new: the frames are keyed on the cache state after them, and
        # what still does not read back now is reported as a failure.
        return await offload(self._build, selected, completed, {}, True, None)

    def _build(
        self,
        selected: list[SessionSummary],
        completed: list[SessionSummary],
        states: dict[str, Any],
        changed: bool,
        damaged: list[Damage] | None,
    ) -> Cohort:
        options = self._options
        return build_frames(
            self._cache,
            selected,
            completed,
            self._failures,
            options.recordings,
            options.vad,
            states,
            changed,
            damaged,
        )

    async def fetch(self, jobs: list[Job]) -> list[Failure]:
        """Run ``jobs`` side by side with a progress bar; the failures of them all."""
        results_cache = self._cache
        if results_cache is None or not jobs:  # there are jobs only when there is a cache
            return []

        async def run(job: Job) -> list[Failure]:
            return await self.run_job(results_cache, job)

        failures: list[Failure] = []
        with progress_bar(len(jobs), self._options.progress) as bar:
            async for job_failures in self._runner.as_completed(run, jobs):
                failures.extend(job_failures)
                bar.update()
        return failures

    async def run_job(self, results_cache: ResultsCache, job: Job) -> list[Failure]:
        """Fetch into the cache what ``job`` needs; disk writes and analysis are offloaded.

        Side effects: writes the transcript and recording files and their index rows.
        """
        failures: list[Failure] = []
        sid, offload, sessions = job.session_id, self._runner.offload, self._client.sessions

        async def summary() -> None:
            await offload(results_cache.store_summary, job.summary)

        async def transcript() -> None:
            document = await sessions.transcript(sid)
            await offload(results_cache.store_transcript, sid, document)

        async def recording() -> None:
            await sessions.recording(sid, path=results_cache.recording_path(sid))
            await offload(results_cache.recorded, sid)

        async def analysis() -> None:
            settings, vad = self._options.vad_settings, self._options.vad
            await offload(analyse_into_cache, results_cache, sid, settings, vad)

        await _step(failures, job, "summary_cache", summary)
        if job.transcript:
            await _step(failures, job, "transcript", transcript)
        if job.recording and not await _step(failures, job, "recording", recording):
            return failures
        if job.analyse:
            await _step(failures, job, "recording_analysis", analysis)
        return failures


async def _step(
    failures: list[Failure], job: Job, stage: str, action: Callable[[], Awaitable[None]]
) -> bool:
    try:
        await action()
    except _EXPECTED as error:
        failures.append(failure_of(job.session_id, stage, error))
        return False
    return True
