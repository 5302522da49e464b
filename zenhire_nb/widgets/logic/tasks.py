"""Background work over many items: bounded concurrency, progress, cancel, failures, retry.

A :class:`TaskRun` runs ``fn(item)`` for each item in worker threads, so the kernel stays free
(another cell can run meanwhile). Cancelling stops new items from starting; items already
running finish (a request that was sent cannot be taken back). Each item ends ``done``,
``failed`` (with its exception) or ``skipped`` (cancelled before it started); ``retry()`` builds a
new run over the failed items only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

__all__ = ["Progress", "TaskRun"]


@dataclass(frozen=True)
class Progress:
    """A snapshot: items finished (done + failed), of ``total``; ``state`` of the run."""

    finished: int
    failed: int
    total: int
    state: str  # pending, running, cancelling, cancelled, finished

    @property
    def text(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.finished}/{self.total} {self.state}{failed}"


class TaskRun:
    """Run ``fn`` over ``items`` in the background.

    Args:
        items: hashable keys (e.g. candidate references or session ids), run in order.
        fn: called as ``fn(item)`` in a worker thread; its return value is kept in ``results``.
        max_workers: at most this many items in flight.
        on_update: called (from a worker thread) after each item and at the end, with the
            run; its own errors are kept in ``callback_errors`` instead of killing the run.

    Side effects: ``start()`` starts one daemon thread, which ends with the run.
    """

    def __init__(
        self,
        items: Sequence[Hashable],
        fn: Callable[[Any], Any],
        *,
        max_workers: int = 4,
        on_update: Callable[[TaskRun], None] | None = None,
    ) -> None:
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers}")
        self.items = list(dict.fromkeys(items))  # never run one item twice in a run
        self.fn = fn
        self.max_workers = max_workers
        self.on_update = on_update
        self.results: dict[Any, Any] = {}
        self.failures: dict[Any, BaseException] = {}
        self.skipped: list[Any] = []
        self.callback_errors: list[BaseException] = []
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._ended = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- control -----------------------------------------------------------------------------

    def start(self) -> TaskRun:
        """Start in the background (once) and return self."""
        if self._thread is not None:
            raise RuntimeError("this run was already started; use retry() for a new one")
        self._thread = threading.Thread(target=self._run, name="zenhire-widgets-task", daemon=True)
        self._thread.start()
        return self

    def run(self) -> TaskRun:
        """Run in this thread until every item is finished (for scripts and tests)."""
        self._thread = threading.current_thread()
        self._run()
        return self

    def cancel(self) -> None:
        """Start no new item; the ones in flight finish."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run ends; False if ``timeout`` seconds passed first."""
        return self._finished.wait(timeout)

    def retry(self) -> TaskRun:
        """A new (not started) run over the failed and skipped items, same function."""
        again = list(self.failures) + list(self.skipped)
        return TaskRun(again, self.fn, max_workers=self.max_workers, on_update=self.on_update)

    # -- state -------------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        return self._ended

    def progress(self) -> Progress:
        with self._lock:
            failed = len(self.failures)
            finished = len(self.results) + failed
        if self._ended:
            state = "cancelled" if self._cancel.is_set() and self.skipped else "finished"
        elif self._thread is None:
            state = "pending"
        else:
            state = "cancelling" if self._cancel.is_set() else "running"
        return Progress(finished, failed, len(self.items), state)

    # -- work --------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            with ThreadPoolExecutor(self.max_workers, thread_name_prefix="zenhire-item") as pool:
                self._feed(pool)
        finally:
            # ended first (views see a finished run), then the last update, then waiters wake:
            # whoever waits sees the views already updated.
            self._ended = True
            self._notify()
            self._finished.set()

    def _feed(self, pool: ThreadPoolExecutor) -> None:
        pending = iter(self.items)
        in_flight: dict[Future[Any], Any] = {}
        while True:
            while len(in_flight) < self.max_workers and not self._cancel.is_set():
                item = next(pending, _END)
                if item is _END:
                    break
                in_flight[pool.submit(self.fn, item)] = item
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                self._record(in_flight.pop(future), future)
        self.skipped = [item for item in pending if item is not _END]

    def _record(self, item: Any, future: Future[Any]) -> None:
        error = future.exception()
        with self._lock:
            if error is None:
                self.results[item] = future.result()
            else:
                self.failures[item] = error
        self._notify()

    def _notify(self) -> None:
        if self.on_update is None:
            return
        try:
            self.on_update(self)
        except Exception as error:  # a broken view must not stop the work
            self.callback_errors.append(error)


_END = object()
