"""Throughput of the full speech-to-text check through the default call, side by side with the
unbatched path of earlier versions.

Simulates a cohort on a local sandbox (real HTTP), loads it once through the frames cache,
then runs :func:`zenhire_nb.stt.check_cohort` in this process, results cache off, twice per
path in alternation: the default settings (batched transcription, see
``zenhire_nb.stt._faster_batched``) and ``CheckSettings(batched=False)`` (faster-whisper's
sequential transcription, the forced scorer encoding windows in batches). Both engines are
loaded before the clock starts. Each figure is the full check: transcription, forced scoring
and comparison, in seconds of audio per wall-clock second (best of the two runs). Also checks
that the default path's results are identical across its two runs, and prints the flags
both paths agree on.

Run: ``python benchmarks/bench_stt_check_throughput.py [sessions] [minutes]`` (default 3
sessions of 2.5 minutes; ~3 minutes on 2 cores). Targets: the default path >= 40 audio s/s;
the speed-up is reported. The machine may be shared: the load average is printed; the ratio,
measured side by side, is the steadier figure.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from zenhire_nb.frames import Cohort, load_cohort
from zenhire_nb.sandbox import Sandbox
from zenhire_nb.stt import CheckSettings, CohortCheck, check_cohort
from zenhire_nb.stt._worker import load_model

ROLES = ("Data Analyst", "Software Engineer", "Customer Support", "Sales Representative")
TARGET = 40.0


def _simulate(sb: Sandbox, client: object, count: int, minutes: float) -> None:
    for index in range(count):
        persona = client.personas.create(  # type: ignore[attr-defined]
            role_name=ROLES[index % len(ROLES)], language="en"
        )
        session = client.sessions.create(persona.id, consent_mode="integrator")  # type: ignore[attr-defined]
        sb.admin.simulate(
            session.id,
            seed=700 + index,
            target_minutes=minutes,
            mistake_rate=0.05,
            failure_rate=0.0,
            timeout_rate=0.0,
        )


def _timed(cohort: Cohort, settings: CheckSettings, root: str) -> tuple[float, CohortCheck]:
    started = time.perf_counter()
    checked = check_cohort(cohort, settings=settings, progress=False, cache_dir=root, cache=False)
    return time.perf_counter() - started, checked


def main(count: int, minutes: float) -> None:
    print(f"load average before: {os.getloadavg()}")
    paths = {"default (batched)": CheckSettings(), "unbatched": CheckSettings(batched=False)}
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox(credits=1_000_000) as sb,
        sb.client() as client,
    ):
        _simulate(sb, client, count, minutes)
        cohort = load_cohort(client, cache=Path(folder) / "cache", progress=False)
        root = os.fspath(Path(folder) / "cache")
        for settings in paths.values():  # the engine of each path, loaded outside the clock
            load_model(settings, os.fspath(Path(root) / "stt"))
        runs: dict[str, list[tuple[float, CohortCheck]]] = {name: [] for name in paths}
        for _ in range(2):
            for name, settings in paths.items():
                runs[name].append(_timed(cohort, settings, root))
    audio = float(runs["unbatched"][0][1].sessions["audio_sec"].sum())
    best = {name: min(elapsed for elapsed, _ in results) for name, results in runs.items()}
    rates = {name: audio / elapsed for name, elapsed in best.items()}
    print(f"{count} sessions, {audio:.0f} s of audio, in-process, default threads, cache off")
    print(f"{'path':<20}{'runs (wall s)':>20}{'audio s / s':>13}{'flagged turns':>15}")
    for name, results in runs.items():
        walls = ", ".join(f"{elapsed:.1f}" for elapsed, _ in results)
        flagged = int(results[0][1].turns["flagged"].sum())
        print(f"{name:<20}{walls:>20}{rates[name]:>13.2f}{flagged:>15}")
    default_runs = runs["default (batched)"]
    same = default_runs[0][1].turns.equals(default_runs[1][1].turns)
    print(f"default path identical across its two runs: {same}")
    agree = (
        default_runs[0][1].turns["flagged"].to_numpy()
        == runs["unbatched"][0][1].turns["flagged"].to_numpy()
    ).mean()
    print(f"turns flagged alike by both paths: {agree:.3f}")
    print(f"load average after: {os.getloadavg()}")
    measured, speedup = rates["default (batched)"], rates["default (batched)"] / rates["unbatched"]
    print(
        f"BENCH stt_check_throughput: {measured:.1f} audio s/s (target >= {TARGET:.0f}) "
        f"{'PASS' if measured >= TARGET else 'FAIL'}"
    )
    print(f"BENCH stt_check_speedup: {speedup:.2f}x vs the unbatched path")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3,
        float(sys.argv[2]) if len(sys.argv) > 2 else 2.5,
    )
