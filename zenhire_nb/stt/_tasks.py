"""Run one task per session, here or through an executor, with a progress bar.

An executor is anything with ``submit(fn, *args)`` returning futures with ``.result()``:
``concurrent.futures`` executors and ``distributed.Client`` both qualify. Completed futures
are collected as they finish (``concurrent.futures.as_completed`` or
``distributed.as_completed``; other kinds in submission order), so the bar moves as work ends.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from tqdm.auto import tqdm

__all__ = ["Executor", "run_tasks"]


class Executor(Protocol):
    """What a cohort check needs of an executor: ``submit`` returning a future."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any: ...


Job = tuple[str, tuple[Any, ...]]  # (session id, positional arguments of the task)


def _completed(futures: list[Any]) -> Iterator[Any]:
    if not futures:
        return iter(())
    if all(isinstance(f, concurrent.futures.Future) for f in futures):
        return concurrent.futures.as_completed(futures)
    if type(futures[0]).__module__.startswith("distributed"):
        from distributed import as_completed

        return iter(as_completed(futures))
    return iter(futures)


def _token(future: Any) -> Any:
    # A Dask future is named by its task key (as_completed may hand back another object for
    # it); other futures by identity.
    key = getattr(future, "key", None)
    return key if isinstance(key, str | tuple) else id(future)


def _run_here(
    function: Callable[..., Any],
    jobs: list[Job],
    bar: Any,
    results: dict[str, Any],
    errors: dict[str, BaseException],
) -> None:
    for session_id, args in jobs:
        try:
            results[session_id] = function(*args)
        except Exception as error:  # one session's failure must not stop the others
            errors[session_id] = error
        bar.update()


def _run_on(
    executor: Executor,
    function: Callable[..., Any],
    jobs: list[Job],
    bar: Any,
    results: dict[str, Any],
    errors: dict[str, BaseException],
) -> None:
    futures = [executor.submit(function, *args) for _, args in jobs]
    session_of = {
        _token(future): session_id for future, (session_id, _) in zip(futures, jobs, strict=True)
    }
    try:
        for future in _completed(futures):
            session_id = session_of[_token(future)]
            try:
                results[session_id] = future.result()
            except Exception as error:  # reported per session, the rest still collected
                errors[session_id] = error
            bar.update()
    except BaseException:
        for future in futures:  # interrupted: do not leave work queued on the workers
            future.cancel()
        raise


def run_tasks(
    function: Callable[..., Any],
    jobs: Iterable[Job],
    *,
    executor: Executor | None = None,
    progress: bool = True,
    description: str = "checking",
) -> tuple[dict[str, Any], dict[str, BaseException]]:
    """Run ``function(*args)`` for every ``(session_id, args)`` job.

    ``executor`` None runs the jobs one after the other in this process. Returns the results
    and the exceptions, both by session id. Side effects: a ``tqdm.auto`` bar when
    ``progress``; on an interrupt, pending futures are cancelled and the interrupt re-raised.
    """
    jobs = list(jobs)
    results: dict[str, Any] = {}
    errors: dict[str, BaseException] = {}
    with tqdm(total=len(jobs), desc=description, unit="session", disable=not progress) as bar:
        if executor is None:
            _run_here(function, jobs, bar, results, errors)
        else:
            _run_on(executor, function, jobs, bar, results, errors)
    return results, errors
