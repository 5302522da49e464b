"""Throughput of the cohort check on a Dask LocalCluster: 1 worker vs 2 workers.

Simulates a cohort on a local sandbox (real HTTP), loads it once through the frames cache,
then checks it with :func:`zenhire_nb.stt.check_cohort` on a ``LocalCluster`` of 1 worker and
of 2 workers (one thread each, ``threads=1`` in the engine too), without the results cache so
both runs transcribe and score everything. The model is loaded on every worker before the
clock starts (a warm-up task), so the figure is steady-state throughput: seconds of audio
checked per wall-clock second. Prints both side by side and the ratio.

Run: ``python benchmarks/bench_stt_dask.py [sessions] [minutes]`` (default 8 sessions of
~1 minute; ~2 minutes on 2 cores). Target: 2 workers >= 1.7x the throughput of 1 worker.
The machine may be shared: the load average is printed before and after.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import distributed

from zenhire_nb.frames import Cohort, load_cohort
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.stt import CheckSettings, CohortCheck, check_cohort
from zenhire_nb.stt._worker import load_model

ROLES = ("Data Analyst", "Software Engineer", "Customer Support", "Sales Representative")
TARGET = 1.7


def _simulate(sb: Sandbox, client: object, count: int, minutes: float) -> None:
    for index in range(count):
        persona = client.personas.create(
            role_name=ROLES[index % len(ROLES)],  # type: ignore[attr-defined]
            language="en",
        )
        session = client.sessions.create(persona.id, consent_mode="integrator")  # type: ignore[attr-defined]
        sb.admin.simulate(
            session.id,
            seed=900 + index,
            target_minutes=minutes,
            mistake_rate=0.05,
            failure_rate=0.0,
            timeout_rate=0.0,
        )


def _warm_up(dask: distributed.Client, settings: CheckSettings, root: str) -> None:
    """Load the model on every worker, outside the timed run."""
    loads = dask.run(load_model, settings, root)
    assert all(stats["loads"] == 1 for stats in loads.values()), loads


def _run(cohort: Cohort, workers: int, root: str) -> tuple[float, CohortCheck]:
    settings = CheckSettings(threads=1)
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as dask,
    ):
        # The tasks keep the engine under <cache root>/stt: warm the same memo entry.
        _warm_up(dask, settings, os.fspath(Path(root) / "stt"))
        started = time.perf_counter()
        checked = check_cohort(
            cohort, executor=dask, progress=False, cache_dir=root, settings=settings, cache=False
        )
        elapsed = time.perf_counter() - started
    return elapsed, checked


def main(count: int, minutes: float) -> None:
    print(f"load average before: {os.getloadavg()}")
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox(credits=1_000_000) as sb,
        sb.client() as client,
    ):
        _simulate(sb, client, count, minutes)
        cohort = load_cohort(client, cache=Path(folder) / "cache", progress=False)
        root = os.fspath(Path(folder) / "cache")
        runs = {workers: _run(cohort, workers, root) for workers in (1, 2)}
    audio = float(runs[1][1].sessions["audio_sec"].sum())
    rates = {workers: audio / elapsed for workers, (elapsed, _) in runs.items()}
    print(f"{count} sessions, {audio:.0f} s of audio, engine threads=1, cache off")
    print(f"{'workers':<10}{'wall s':>8}{'audio s / s':>13}{'processes':>11}{'max loads':>11}")
    for workers, (elapsed, checked) in runs.items():
        tasks = checked.tasks
        print(
            f"{workers:<10}{elapsed:>8.1f}{rates[workers]:>13.2f}"
            f"{tasks['pid'].nunique():>11}{tasks['engine_loads'].max():>11}"
        )
    same = runs[1][1].turns.equals(runs[2][1].turns)
    print(f"identical turns frames (1 vs 2 workers): {same}")
    print(f"load average after: {os.getloadavg()}")
    ratio = rates[2] / rates[1]
    print(
        f"BENCH stt_dask_scaling: {ratio:.2f}x (target >= {TARGET}x) "
        f"{'PASS' if ratio >= TARGET else 'FAIL'}"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 8,
        float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
    )
