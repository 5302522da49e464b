"""Background runs: bounded concurrency, cancel, failures per item, retry of only those."""

from __future__ import annotations

import threading
import time

from zenhire_nb.widgets.logic.tasks import TaskRun


def test_runs_every_item_once_with_bounded_concurrency():
    running, peak, lock = [0], [0], threading.Lock()

    def work(item):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01)
        with lock:
            running[0] -= 1
        return item * 2

    run = TaskRun([1, 2, 3, 2, 4, 5, 6], work, max_workers=2).start()
    assert run.wait(10)
    assert run.results == {1: 2, 2: 4, 3: 6, 4: 8, 5: 10, 6: 12}
    assert peak[0] <= 2
    assert run.progress().text == "6/6 finished"


def test_failures_are_kept_per_item_and_retry_runs_only_them():
    calls = []

    def work(item):
        calls.append(item)
        if item == "b" and calls.count("b") == 1:
            raise RuntimeError("flaky")
        return item

    run = TaskRun(["a", "b", "c"], work).run()
    assert set(run.results) == {"a", "c"} and list(run.failures) == ["b"]
    assert run.progress().failed == 1
    again = run.retry().run()
    assert again.items == ["b"] and again.results == {"b": "b"}


def test_cancel_skips_what_has_not_started_and_lets_running_items_finish():
    started = threading.Event()
    release = threading.Event()

    def work(item):
        started.set()
        release.wait(5)
        return item

    updates = []
    run = TaskRun(range(10), work, max_workers=1, on_update=lambda r: updates.append(r.progress()))
    run.start()
    assert started.wait(5)
    run.cancel()
    assert run.progress().state == "cancelling"
    release.set()
    assert run.wait(5)
    assert run.results == {0: 0}
    assert run.skipped == list(range(1, 10))
    assert run.progress().state == "cancelled"
    assert updates[-1].state == "cancelled"
    assert run.retry().items == list(range(1, 10))


def test_a_broken_progress_callback_does_not_stop_the_work():
    def broken(_run):
        raise ValueError("view gone")

    run = TaskRun([1, 2], lambda x: x, on_update=broken).run()
    assert run.results == {1: 1, 2: 2}
    assert run.callback_errors and isinstance(run.callback_errors[0], ValueError)
