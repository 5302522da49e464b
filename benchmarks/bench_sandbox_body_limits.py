"""The sandbox server's memory under a 400 MB POST to routes that need no API key.

Starts ``python -m zenhire_nb.sandbox`` in its own process, reads its resident memory
(``VmRSS`` and the peak ``VmHWM`` from ``/proc``), then POSTs 400 MB (streamed from a generator,
so the client holds none of it) to the webhook and to a candidate route, once with a declared
``Content-Length`` and once chunked, and reads the memory again. Before body limits, the
server read the whole body before rejecting it (96 MB -> 1.1 GB, and it stayed there).

Run: ``python benchmarks/bench_sandbox_body_limits.py``. Linux only (``/proc``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

BODY_MB = 400
TARGET_GROWTH_MB = 50.0  # "flat": well under a tenth of the body
_BLOCK = b" " * (1024 * 1024)


def _memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


def _body() -> Iterator[bytes]:
    for _ in range(BODY_MB):
        yield _BLOCK


def _start() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "zenhire_nb.sandbox", "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("ZenHire sandbox: "):
            return server, line.split(": ", 1)[1].strip()
    raise RuntimeError("the sandbox did not start")


def main() -> None:
    server, base_url = _start()
    try:
        with httpx.Client(base_url=base_url, timeout=120) as http:
            http.get("/api/v1/health")
            before = _memory_mb(server.pid)
            answers = []
            for path in ("/sandbox/webhook/sessions/x", "/sandbox/candidate/verify"):
                for declared in (True, False):
                    headers = {"Content-Type": "application/json"}
                    if declared:
                        headers["Content-Length"] = str(BODY_MB * len(_BLOCK))
                    started = time.perf_counter()
                    try:
                        status: int | str = http.post(
                            path, content=_body(), headers=headers
                        ).status_code
                    except httpx.HTTPError as error:  # a server that hangs up mid-upload
                        status = type(error).__name__
                    answers.append((path, declared, status, time.perf_counter() - started))
            time.sleep(0.5)
            after = _memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    for path, declared, status, seconds in answers:
        kind = "declared length" if declared else "chunked"
        print(f"POST {BODY_MB} MB {path} ({kind}): {status} in {seconds:.2f} s")
    growth = after["VmRSS"] - before["VmRSS"]
    peak = after["VmHWM"] - before["VmRSS"]
    print(
        f"server RSS: {before['VmRSS']:.0f} MB before, {after['VmRSS']:.0f} MB after "
        f"(peak {after['VmHWM']:.0f} MB)"
    )
    for name, measured in (("rss_growth", growth), ("rss_peak", peak)):
        verdict = "PASS" if measured < TARGET_GROWTH_MB else "FAIL"
        target = f"target < {TARGET_GROWTH_MB:g}"
        print(f"BENCH sandbox_{name}_400mb_post_mb: {measured:.1f} ({target}) {verdict}")


if __name__ == "__main__":
    main()
