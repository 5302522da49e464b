"""Cold bulk fetch of a cohort with ``load_cohort`` vs a naive sequential ``httpx`` loop.

The sandbox runs in its own process with 50 ms of latency added to every contract request (the
fault injection's ``latency_ms``), like a platform across the internet. Both sides fetch the
same 300 completed sessions (transcripts of 40 turns, 60 s 16 kHz mono recordings) from it in
one run; ``load_cohort`` also builds every frame and measures every recording.

Run: ``python benchmarks/bench_bulk_fetch.py [--sessions 300] [--latency-ms 50]``.
The other cohort benchmarks import the setup helpers from here.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import tempfile
import time
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

from zenhire_nb import Client
from zenhire_nb.frames import load_cohort
from zenhire_nb.sandbox.admin.client import SandboxAdmin

TARGET_SPEEDUP = 5.0


@dataclass(frozen=True)
class Platform:
    """A sandbox running in a child process: where it is and how to reach it."""

    base_url: str
    api_key: str
    admin_token: str


def _serve(connection: object, latency_ms: float) -> None:
    from zenhire_nb.sandbox import Sandbox

    faults = [f"*:latency_ms={latency_ms}"] if latency_ms else []
    with Sandbox(credits=10_000_000, rate_limit_per_minute=10_000_000, faults=faults) as sb:
        connection.send((sb.base_url, sb.api_key, sb.admin_token))  # type: ignore[attr-defined]
        connection.recv()  # type: ignore[attr-defined]  # wait until told to stop


@contextmanager
def sandbox_process(latency_ms: float) -> Iterator[Platform]:
    """A sandbox in a separate process (its CPU and memory do not count against ours)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, latency_ms), daemon=True)
    process.start()
    try:
        yield Platform(*ours.recv())
    finally:
        ours.send("stop")
        process.join(timeout=30)


def wav_bytes(seconds: float, *, rate: int = 16_000, seed: int = 0) -> bytes:
    """A mono 16-bit WAV of noise bursts (speech-like on/off) of ``seconds`` seconds."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    gate = (np.arange(n) // (rate // 2)) % 3 != 0
    samples = (rng.normal(0, 3000, n) * gate).clip(-32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def transcript(n_turns: int = 40, seconds: float = 60.0) -> list[dict[str, object]]:
    step = seconds / n_turns
    return [
        {
            "speaker": "interviewer" if i % 2 == 0 else "candidate",
            "text": f"turn {i} says a few words about the project and the team",
            "start": round(i * step, 2),
            "end": round((i + 0.9) * step, 2),
        }
        for i in range(n_turns)
    ]


def seed_cohort(platform: Platform, n: int, *, seconds: float = 60.0) -> list[str]:
    """``n`` completed sessions with 40-turn transcripts and ``seconds``-long recordings."""
    recording = wav_bytes(seconds)
    document = transcript(40, seconds)
    admin = SandboxAdmin(platform.base_url, platform.admin_token)
    with Client(platform.api_key, platform.base_url) as client:
        persona = client.personas.create(role_name="Data engineer", language="en")

        def one(index: int) -> str:
            sid = client.sessions.create(
                persona.id, consent_mode="integrator", candidate_ref=f"c{index}"
            ).id
            admin.start(sid)
            admin.stage_recording(sid, recording)
            admin.complete(sid, duration_sec=int(seconds), transcript=document)
            return sid

        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(one, range(n)))
    admin.close()
    return ids


def naive_fetch(platform: Platform, folder: Path) -> int:
    """The loop an analyst would write first: list, then each artifact in turn."""
    headers = {"X-API-Key": platform.api_key}
    fetched = 0
    with httpx.Client(base_url=platform.base_url, headers=headers, timeout=600) as http:
        ids, cursor = [], None
        while True:
            params = {"status": "completed", "limit": 100, **({"cursor": cursor} if cursor else {})}
            page = http.get("/api/v1/interview/sessions", params=params).raise_for_status().json()
            ids += [row["id"] for row in page["data"]]
            cursor = page["pagination"]["next_cursor"]
            if not cursor:
                break
        for sid in ids:
            base = f"/api/v1/interview/sessions/{sid}"
            document = http.get(f"{base}/transcript").raise_for_status().content
            (folder / f"{sid}.json").write_bytes(document)
            recording = http.get(f"{base}/recording").raise_for_status().content
            (folder / f"{sid}.wav").write_bytes(recording)
            fetched += 1
    return fetched


def timed_load(platform: Platform, cache: Path, **options: object) -> tuple[float, object]:
    with Client(platform.api_key, platform.base_url) as client:
        start = time.perf_counter()
        cohort = load_cohort(client, cache=cache, progress=False, **options)  # type: ignore[arg-type]
        return time.perf_counter() - start, cohort


def loaded_everything(cohort: object, expected: int) -> bool:
    """Whether ``cohort`` holds ``expected`` sessions with a transcript and a recording each and
    no failures; prints what is missing otherwise (such a run FAILs whatever its speed)."""
    sessions = len(cohort.sessions)  # type: ignore[attr-defined]
    transcripts = len(cohort.transcript_paths)  # type: ignore[attr-defined]
    recordings = len(cohort.recording_paths)  # type: ignore[attr-defined]
    failures = len(cohort.failures)  # type: ignore[attr-defined]
    complete = sessions == transcripts == recordings == expected and failures == 0
    if not complete:
        print(
            f"INCOMPLETE: expected {expected} sessions, got {sessions} sessions, "
            f"{transcripts} transcripts, {recordings} recordings, {failures} failures"
        )
    return complete


def verdict(name: str, measured: str, target: str, passed: bool) -> None:
    print(f"BENCH {name}: {measured} (target {target}) {'PASS' if passed else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    with sandbox_process(args.latency_ms) as platform, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        seed_cohort(platform, args.sessions)
        print(f"setup: {args.sessions} sessions in {time.perf_counter() - started:.1f}s")
        naive_dir = Path(tmp, "naive")
        naive_dir.mkdir()
        started = time.perf_counter()
        naive_count = naive_fetch(platform, naive_dir)
        naive_sec = time.perf_counter() - started
        cold_sec, cohort = timed_load(platform, Path(tmp, "cache"))
    print(f"{'naive sequential httpx loop (fetch only)':<48}{naive_sec:8.2f}s  {naive_count}")
    print(f"{'load_cohort cold (fetch + all frames)':<48}{cold_sec:8.2f}s  {cohort!r}")
    speedup = naive_sec / cold_sec
    # Both sides must have done the whole job: a load that lost sessions is not a faster load.
    complete = loaded_everything(cohort, naive_count)
    verdict(
        "bulk_fetch_speedup",
        f"{speedup:.1f}x",
        f">={TARGET_SPEEDUP:g}x",
        speedup >= TARGET_SPEEDUP and complete,
    )


if __name__ == "__main__":
    main()
