"""Warm re-load of a cohort from the local results cache vs the cold load that filled it.

Same platform as ``bench_bulk_fetch.py`` (sandbox in its own process, 50 ms added to every
contract request, 300 completed sessions of 40 turns and 60 s recordings). Cold: empty cache.
Warm: the same call again. It still lists every session (to find new ones), as concurrent
time slices the cold listing taught it, then finds nothing to download or measure and reads the
frames memoised for exactly this cohort and cache state. For transparency the run also shows
where the time goes: a plain page-by-page listing alone, and a warm load whose memoised frames
were deleted (frames rebuilt from the cached files).

Warm re-load by ``session_ids`` (the same 300 ids), side by side with the one by filters: it
asks the platform for one summary (which names the key's tenant) and serves the completed
others from that tenant's cache, instead of one ``GET`` per session.

Run: ``python benchmarks/bench_cache_warm.py [--sessions 300] [--latency-ms 50]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_bulk_fetch import (
    Platform,
    loaded_everything,
    sandbox_process,
    seed_cohort,
    timed_load,
    verdict,
)

from zenhire_nb import Client

TARGET_SPEEDUP = 50.0
TARGET_BY_IDS_SEC = 0.2


def plain_listing(platform: Platform) -> float:
    """Seconds to list the cohort page by page (100 per page), one request after the other."""
    with Client(platform.api_key, platform.base_url) as client:
        start = time.perf_counter()
        list(client.sessions.list(status="completed", page_size=100))
        return time.perf_counter() - start


def without_memo(platform: Platform, cache: Path) -> float:
    """A warm load after deleting the memoised frames (they are rebuilt, and memoised again)."""
    for memo in cache.rglob("frames/*.pickle"):
        memo.unlink()
    return timed_load(platform, cache)[0]


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
        warm = [timed_load(platform, cache) for _ in range(3)]
        warm_runs = [seconds for seconds, _ in warm]
        listing_sec = min(plain_listing(platform) for _ in range(3))
        rebuild_sec = min(without_memo(platform, cache) for _ in range(3))
        by_id = [timed_load(platform, cache, session_ids=ids) for _ in range(3)]
    by_id_runs = [seconds for seconds, _ in by_id]
    warm_sec, by_id_sec = min(warm_runs), min(by_id_runs)
    rows = [
        ("cold load_cohort (empty cache)", cold_sec, repr(cold)),
        ("warm load_cohort (same filters, best of 3)", warm_sec, ""),
        ("  warm runs", None, ", ".join(f"{sec:.3f}s" for sec in warm_runs)),
        ("  plain page-by-page listing alone, best of 3", listing_sec, ""),
        ("  warm with memoised frames deleted, best of 3", rebuild_sec, ""),
        ("warm load_cohort(session_ids=...), best of 3", by_id_sec, ""),
        ("  by-ids runs", None, ", ".join(f"{sec:.3f}s" for sec in by_id_runs)),
    ]
    for label, seconds, note in rows:
        shown = f"{seconds:8.3f}s" if seconds is not None else " " * 9
        print(f"{label:<48}{shown}  {note}")
    speedup = cold_sec / warm_sec
    # A warm load is only comparable if it (and the cold one) returned the whole cohort.
    complete = all(loaded_everything(c, args.sessions) for c in [cold] + [c for _, c in warm])
    verdict(
        "cache_warm_speedup",
        f"{speedup:.1f}x",
        f">={TARGET_SPEEDUP:g}x",
        speedup >= TARGET_SPEEDUP and complete,
    )
    by_ids_complete = all(loaded_everything(c, args.sessions) for _, c in by_id)
    verdict(
        "cache_warm_by_ids_seconds",
        f"{by_id_sec:.3f} s vs {warm_sec:.3f} s by filters",
        f"< {TARGET_BY_IDS_SEC:g} s for {args.sessions}",
        by_id_sec < TARGET_BY_IDS_SEC and by_ids_complete,
    )


if __name__ == "__main__":
    main()
