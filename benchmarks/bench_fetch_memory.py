"""Peak memory (RSS) of a process bulk-fetching 40 recordings of 20 MB each.

The sandbox runs in its own process (its memory does not count). The measured process is a
fresh interpreter that imports the package, records its RSS, runs ``load_cohort`` (downloads
stream to the cache files; recordings are measured chunk-wise), and reports ``VmHWM`` from
``/proc/self/status``: its peak resident set over its whole life. (``ru_maxrss`` is not used:
Linux carries it over from the parent across ``fork``/``exec``, so a child would report the
parent's peak.) The 800 MB of recordings would not fit under the target
if they were ever held in memory together.

Run: ``python benchmarks/bench_fetch_memory.py [--sessions 40] [--megabytes 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from bench_bulk_fetch import Platform, sandbox_process, transcript, verdict, wav_bytes

from zenhire_nb import Client
from zenhire_nb.sandbox.admin.client import SandboxAdmin

TARGET_MB = 300.0

_CHILD = """
import json, os, sys
from zenhire_nb import Client
from zenhire_nb.frames import load_cohort
def high_water_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
before = high_water_mb()
with Client(os.environ["BENCH_KEY"], os.environ["BENCH_URL"]) as client:
    cohort = load_cohort(client, cache=sys.argv[1], progress=False)
peak = high_water_mb()
print(json.dumps({"imports_mb": before, "peak_mb": peak, "recordings": len(cohort.recordings),
                  "bytes": int(cohort.recordings["bytes"].sum()),
                  "failures": len(cohort.failures)}))
"""


def seed(platform: Platform, n: int, megabytes: float) -> None:
    seconds = megabytes * 1_000_000 / (16_000 * 2)
    recording = wav_bytes(seconds)
    admin = SandboxAdmin(platform.base_url, platform.admin_token)
    with Client(platform.api_key, platform.base_url) as client:
        persona = client.personas.create(role_name="Analyst", language="en")

        def one(index: int) -> None:
            sid = client.sessions.create(persona.id, consent_mode="integrator").id
            admin.start(sid)
            admin.stage_recording(sid, recording)
            admin.complete(sid, duration_sec=int(seconds), transcript=transcript(40, seconds))

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(one, range(n)))
    admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    with sandbox_process(0) as platform, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        seed(platform, args.sessions, args.megabytes)
        print(
            f"setup: {args.sessions} x {args.megabytes:g} MB in "
            f"{time.perf_counter() - started:.1f}s"
        )
        env = {**os.environ, "BENCH_KEY": platform.api_key, "BENCH_URL": platform.base_url}
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, tmp], env=env, check=True, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
    result = json.loads(child.stdout)
    print(f"{'RSS after imports':<40}{result['imports_mb']:8.1f} MB")
    print(f"{'peak RSS of the whole load':<40}{result['peak_mb']:8.1f} MB")
    print(
        f"{'recordings fetched and measured':<40}{result['recordings']:8d}   "
        f"{result['bytes'] / 1e6:.0f} MB in {elapsed:.1f}s, failures {result['failures']}"
    )
    verdict(
        "fetch_peak_rss",
        f"{result['peak_mb']:.0f} MB",
        f"<{TARGET_MB:g} MB",
        result["peak_mb"] < TARGET_MB
        and result["failures"] == 0
        and result["recordings"] == args.sessions,
    )


if __name__ == "__main__":
    main()
