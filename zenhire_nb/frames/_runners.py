"""How a cohort load runs work side by side: the one part its sync and async flavours cannot share.

The steps of a load are written once, as async code in :mod:`._async_load`; the sync
:mod:`._sync_load` is generated from it by ``scripts/unasync.py`` (``await`` and ``async`` taken
out, ``AsyncRunner`` becoming ``Runner``). Those steps reach concurrency only through the three
methods below, which each flavour implements in its own way:

=========================  ===========================================  ==========================
method                     :class:`AsyncRunner` (the caller's loop)     :class:`Runner` (threads)
=========================  ===========================================  ==========================
``offload(fn, *args)``     ``asyncio.to_thread``: disk writes and       a plain call (the caller
                           recording analysis keep the loop responsive  is a worker or the user)
``map(fn, items)``         tasks gathered, at most ``n`` at once        pool of ``n`` workers
``as_completed(fn, xs)``   results as their tasks finish                results as futures finish
=========================  ===========================================  ==========================

The sync runner never touches asyncio, so ``load_cohort`` works inside Jupyter's running event
loop without ``nest_asyncio``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from types import TracebackType
from typing import ParamSpec, TypeVar

__all__ = ["AsyncRunner", "Runner"]

T = TypeVar("T")
Item = TypeVar("Item")
P = ParamSpec("P")


class AsyncRunner:
    """Runs coroutines on the running loop, at most ``max_concurrency`` at once."""

    def __init__(self, max_concurrency: int) -> None:
        self._gate = asyncio.Semaphore(max_concurrency)

    async def __aenter__(self) -> AsyncRunner:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Tasks are awaited where they are started (map, as_completed): nothing is left behind.
        return None

    async def offload(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args)`` in a worker thread, awaited."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def map(self, fn: Callable[[Item], Awaitable[T]], items: Iterable[Item]) -> list[T]:
        """``[await fn(item) ...]`` run side by side; results in the order of ``items``."""
        return list(await asyncio.gather(*(self._gated(fn, item) for item in items)))

    async def as_completed(
        self, fn: Callable[[Item], Awaitable[T]], items: Iterable[Item]
    ) -> AsyncIterator[T]:
        """The results of ``fn(item)`` run side by side, in the order they finish."""
        for next_done in asyncio.as_completed([self._gated(fn, item) for item in items]):
            yield await next_done

    async def _gated(self, fn: Callable[[Item], Awaitable[T]], item: Item) -> T:
        async with self._gate:
            return await fn(item)


class Runner:
    """Runs blocking calls on a pool of ``max_concurrency`` worker threads.

    A context manager: leaving it waits for the workers, except after an error (Ctrl-C in a
    notebook), when queued work is dropped instead of finishing every download first.
    """

    def __init__(self, max_concurrency: int) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_concurrency, thread_name_prefix="zenhire-fetch"
        )

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._pool.shutdown(wait=True)
        else:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def offload(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args)``, here and now: there is no loop to keep free."""
        return fn(*args, **kwargs)

    def map(self, fn: Callable[[Item], T], items: Iterable[Item]) -> list[T]:
        """``[fn(item) ...]`` on the pool; results in the order of ``items``."""
        futures = [self._pool.submit(fn, item) for item in items]
        return [future.result() for future in futures]

    def as_completed(self, fn: Callable[[Item], T], items: Iterable[Item]) -> Iterator[T]:
        """The results of ``fn(item)`` on the pool, in the order they finish."""
        futures = [self._pool.submit(fn, item) for item in items]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()
