"""check_cohort on a real distributed.LocalCluster: same results as in-process, model loaded
once per worker process, cached re-run, workers gone afterwards."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import distributed
import pandas as pd
import pytest
from _simulated import THREADS, SimulatedCohort

from zenhire_nb.stt import CohortCheck, check_cohort
from zenhire_nb.stt._worker import worker_stats

pytestmark = pytest.mark.stt


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_gone(pids: list[int], seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


@pytest.fixture(scope="module")
def dask_client() -> Iterator[distributed.Client]:
    """Two single-threaded worker processes; closed, and checked gone, after the module."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        client = distributed.Client(cluster)
        try:
            pids = list(client.run(os.getpid).values())
            yield client
        finally:
            client.close()
    finally:
        cluster.close()
    assert not _wait_gone(pids), "LocalCluster worker processes outlived the cluster"


@pytest.fixture(scope="module")
def dask_check(
    simulated: SimulatedCohort,
    dask_client: distributed.Client,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CohortCheck, Path]:
    root = tmp_path_factory.mktemp("cohort-dask")  # its own cache: computed afresh
    checked = check_cohort(
        simulated.client, executor=dask_client, cache_dir=root, threads=THREADS, progress=False
    )
    return checked, root


def test_cluster_results_equal_the_local_run(
    local_check: CohortCheck, dask_check: tuple[CohortCheck, Path]
) -> None:
    checked, _ = dask_check
    assert checked.failures.empty and len(checked.sessions) == len(local_check.sessions)
    for name in ("sessions", "turns", "differences", "failures"):
        pd.testing.assert_frame_equal(getattr(checked, name), getattr(local_check, name))


def test_model_loaded_once_per_worker(
    dask_client: distributed.Client, dask_check: tuple[CohortCheck, Path]
) -> None:
    checked, _ = dask_check
    tasks = checked.tasks
    worker_pids = {stats["pid"] for stats in dask_client.run(worker_stats).values()}
    assert set(tasks["pid"]) <= worker_pids and os.getpid() not in set(tasks["pid"])
    assert (tasks["engine_loads"] == 1).all()  # every task found its worker's one model
    stats = dask_client.run(worker_stats)
    used = [s for s in stats.values() if s["pid"] in set(tasks["pid"])]
    assert used and all(s["loads"] == 1 for s in used)
    # Each session uses the engine twice (transcription, forced scoring), loading it at most
    # once per worker.
    assert sum(s["uses"] for s in used) == 2 * len(tasks)


def test_cluster_rerun_comes_from_the_cache(
    simulated: SimulatedCohort,
    dask_client: distributed.Client,
    dask_check: tuple[CohortCheck, Path],
) -> None:
    checked, root = dask_check
    before = {w: s["uses"] for w, s in dask_client.run(worker_stats).items()}
    again = check_cohort(
        simulated.client, executor=dask_client, cache_dir=root, threads=THREADS, progress=False
    )
    after = {w: s["uses"] for w, s in dask_client.run(worker_stats).items()}
    assert after == before and not again.tasks["engine_used"].any()
    pd.testing.assert_frame_equal(again.turns, checked.turns)
