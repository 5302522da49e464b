"""Running one session's :class:`~zenhire_nb.frames._cohort.Job`: sync and async flavours.

Each step that fails becomes a :class:`Failure` and the job goes on with what it can still do,
so one bad artifact never costs the session's other results. Any exception is caught, the
unexpected ones too: a bug met by one session's data (a recording of an unusual length, say)
must cost that session, named in ``cohort.failures`` with its stage, not the whole load, and
since results are cached, not every re-run either. Interrupts and cancellation still propagate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Executor, as_completed
from contextlib import contextmanager
from typing import Any

from tqdm.auto import tqdm

from zenhire_nb.client import AsyncClient, Client
from zenhire_nb.frames._cohort import Failure, Job, analyse_into_cache, failure_of
from zenhire_nb.frames.cache import ResultsCache
from zenhire_nb.frames.parsing import VadSettings

__all__ = ["arun_jobs", "run_job", "run_job_async", "run_jobs"]

_EXPECTED = (Exception,)


def _step(failures: list[Failure], job: Job, stage: str, action: Callable[[], Any]) -> bool:
    try:
        action()
    except _EXPECTED as error:
        failures.append(failure_of(job.session_id, stage, error))
        return False
    return True


async def _astep(
    failures: list[Failure], job: Job, stage: str, action: Callable[[], Awaitable[Any]]
) -> bool:
    try:
        await action()
    except _EXPECTED as error:
        failures.append(failure_of(job.session_id, stage, error))
        return False
    return True


def run_job(
    client: Client, cache: ResultsCache, job: Job, settings: VadSettings | None, vad: str
) -> list[Failure]:
    """Fetch into the cache what ``job`` needs, with blocking requests (one worker thread).

    Side effects: writes the transcript and recording files and their index rows.
    """
    failures: list[Failure] = []
    sid = job.session_id
    _step(failures, job, "summary_cache", lambda: cache.store_summary(job.summary))
    if job.transcript:
        _step(
            failures,
            job,
            "transcript",
            lambda: cache.store_transcript(sid, client.sessions.transcript(sid)),
        )
    if job.recording:

        def download() -> None:
            client.sessions.recording(sid, path=cache.recording_path(sid))
            cache.recorded(sid)

        if not _step(failures, job, "recording", download):
            return failures
    if job.analyse:
        _step(
            failures,
            job,
            "recording_analysis",
            lambda: analyse_into_cache(cache, sid, settings, vad),
        )
    return failures


async def run_job_async(
    client: AsyncClient, cache: ResultsCache, job: Job, settings: VadSettings | None, vad: str
) -> list[Failure]:
    """:func:`run_job` on an event loop: requests are awaited, disk and analysis run in threads
    so the loop (a notebook's, say) stays responsive."""
    failures: list[Failure] = []
    sid = job.session_id

    async def transcript() -> None:
        document = await client.sessions.transcript(sid)
        await asyncio.to_thread(cache.store_transcript, sid, document)

    async def recording() -> None:
        await client.sessions.recording(sid, path=cache.recording_path(sid))
        await asyncio.to_thread(cache.recorded, sid)

    await _astep(
        failures, job, "summary_cache", lambda: asyncio.to_thread(cache.store_summary, job.summary)
    )
    if job.transcript:
        await _astep(failures, job, "transcript", transcript)
    if job.recording and not await _astep(failures, job, "recording", recording):
        return failures
    if job.analyse:
        await _astep(
            failures,
            job,
            "recording_analysis",
            lambda: asyncio.to_thread(analyse_into_cache, cache, sid, settings, vad),
        )
    return failures


def run_jobs(
    pool: Executor,
    client: Client,
    cache: ResultsCache,
    jobs: list[Job],
    settings: VadSettings | None,
    vad: str,
    *,
    progress: bool,
) -> list[Failure]:
    """Run ``jobs`` on ``pool`` with a progress bar; the failures of them all."""
    futures = [pool.submit(run_job, client, cache, job, settings, vad) for job in jobs]
    failures: list[Failure] = []
    with progress_bar(len(futures), progress) as bar:
        for future in as_completed(futures):
            failures.extend(future.result())
            bar.update()
    return failures


async def arun_jobs(
    client: AsyncClient,
    cache: ResultsCache,
    jobs: list[Job],
    settings: VadSettings | None,
    vad: str,
    *,
    gate: asyncio.Semaphore,
    progress: bool,
) -> list[Failure]:
    """Run ``jobs`` as tasks, at most ``gate`` at once, with a progress bar; their failures."""

    async def run(job: Job) -> list[Failure]:
        async with gate:
            return await run_job_async(client, cache, job, settings, vad)

    failures: list[Failure] = []
    with progress_bar(len(jobs), progress) as bar:
        for next_done in asyncio.as_completed([run(job) for job in jobs]):
            failures.extend(await next_done)
            bar.update()
    return failures


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
