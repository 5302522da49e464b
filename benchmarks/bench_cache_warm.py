"""Warm re-load of a cohort from the local results cache vs the cold load that filled it.

Same platform as ``bench_bulk_fetch.py`` (sandbox in its own process, 50 ms added to every
contract request, 300 completed sessions of 40 turns and 60 s recordings). Cold: empty cache.
Warm: the same call again (it still lists the sessions, to find new ones, but downloads and
measures nothing). Also shown: the warm re-load of the same cohort by ``session_ids``.

Run: ``python benchmarks/bench_cache_warm.py [--sessions 300] [--latency-ms 50]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_bulk_fetch import sandbox_process, seed_cohort, timed_load, verdict

TARGET_SPEEDUP = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    with sandbox_process(args.latency_ms) as platform, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        ids = seed_cohort(platform, args.sessions)
        print(f"setup: {args.sessions} sessions in {time.perf_counter() - started:.1f}s")
        cache = Path(tmp, "cache")
        cold_sec, cold = timed_load(platform, cache)
        warm_runs = [timed_load(platform, cache)[0] for _ in range(3)]
        by_id_runs = [timed_load(platform, cache, session_ids=ids)[0] for _ in range(3)]
    warm_sec, by_id_sec = min(warm_runs), min(by_id_runs)
    print(f"{'cold load_cohort (empty cache)':<44}{cold_sec:8.3f}s  {cold!r}")
    print(f"{'warm load_cohort (same filters, best of 3)':<44}{warm_sec:8.3f}s")
    print(f"{'warm load_cohort(session_ids=...), best of 3':<44}{by_id_sec:8.3f}s")
    speedup = cold_sec / warm_sec
    verdict(
        "cache_warm_speedup", f"{speedup:.1f}x", f">={TARGET_SPEEDUP:g}x", speedup >= TARGET_SPEEDUP
    )


if __name__ == "__main__":
    main()
