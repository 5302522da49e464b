"""The two runners behind the cohort loaders: same results, bounded concurrency, their own way."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from zenhire_nb.frames._runners import AsyncRunner, Runner


class _Peak:
    """Counts how many calls are in flight at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1


def test_thread_runner_keeps_order_and_bounds_workers() -> None:
    peak = _Peak()

    def work(item: int) -> int:
        peak.enter()
        time.sleep(0.01 * (5 - item % 5))  # later items finish first
        peak.leave()
        return item * 10

    with Runner(3) as runner:
        assert runner.map(work, range(10)) == [item * 10 for item in range(10)]
        assert sorted(runner.as_completed(work, range(10))) == [item * 10 for item in range(10)]
        assert runner.offload(threading.current_thread) is threading.current_thread()
    assert 1 < peak.peak <= 3


def test_async_runner_keeps_order_bounds_tasks_and_offloads_to_threads() -> None:
    peak = _Peak()

    async def work(item: int) -> int:
        peak.enter()
        await asyncio.sleep(0.01 * (5 - item % 5))
        peak.leave()
        return item * 10

    async def main() -> tuple[list[int], list[int], threading.Thread]:
        async with AsyncRunner(3) as runner:
            ordered = await runner.map(work, range(10))
            done = [result async for result in runner.as_completed(work, range(10))]
            worker = await runner.offload(threading.current_thread)
        return ordered, done, worker

    ordered, done, worker = asyncio.run(main())
    assert ordered == [item * 10 for item in range(10)]
    assert sorted(done) == ordered and done != ordered  # in the order they finished
    assert worker is not threading.main_thread()
    assert 1 < peak.peak <= 3


def test_thread_runner_drops_queued_work_after_an_error() -> None:
    started: list[int] = []

    def work(item: int) -> int:
        started.append(item)
        time.sleep(0.05)
        return item

    with pytest.raises(KeyboardInterrupt), Runner(1) as runner:
        for _ in runner.as_completed(work, range(20)):
            raise KeyboardInterrupt
    time.sleep(0.1)
    assert len(started) < 5  # the rest were cancelled, not run
