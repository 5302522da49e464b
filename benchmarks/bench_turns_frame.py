"""Benchmark: building the turns frame from 5,000 transcripts of 40 turns.

Compares :func:`zenhire_nb.frames.turns_frame` with the obvious notebook approach (one
``pd.json_normalize`` per transcript, then ``pd.concat``), measured side by side in one run on
the same synthetic cohort. Each side is timed as the best of ``--repeat`` runs so a noisy
neighbour on a shared machine does not decide the result.

Run: ``python benchmarks/bench_turns_frame.py [--sessions 5000] [--turns 40] [--repeat 3]``.
Ends with one line per target::

    BENCH turns_frame_speedup: <x>x (target >=10x) PASS|FAIL
    BENCH turns_frame_seconds: <s> (target <1s) PASS|FAIL
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from zenhire_nb.frames import turns_frame

_WORDS = (
    "I we the a our team data pipeline project customer led built migrated tested because then "
    "after before latency billing python service users weeks design review deploy"
)
_VOCABULARY = _WORDS.split()


def synthetic_cohort(sessions: int, turns: int, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """Transcripts in the sandbox's shape: alternating speakers, 5-40 words, seconds."""
    rng = random.Random(seed)
    cohort = {}
    for index in range(sessions):
        clock, items = 0.0, []
        for turn in range(turns):
            words = rng.randint(5, 40)
            seconds = words / rng.uniform(2.0, 3.2)
            items.append(
                {
                    "speaker": "interviewer" if turn % 2 == 0 else "candidate",
                    "text": " ".join(rng.choices(_VOCABULARY, k=words)),
                    "start": round(clock, 3),
                    "end": round(clock + seconds, 3),
                }
            )
            clock += seconds + rng.uniform(0.2, 1.5)
        cohort[f"session-{index:05d}"] = items
    return cohort


def naive_turns(cohort: dict[str, list[dict[str, Any]]]) -> pd.DataFrame:
    """What a notebook would write: normalise each transcript, tag it, concatenate."""
    parts = []
    for session_id, document in cohort.items():
        part = pd.json_normalize(document)
        part["session_id"] = session_id
        part["turn_index"] = range(len(part))
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["duration_sec"] = frame["end"] - frame["start"]
    frame["words"] = frame["text"].str.split().str.len()
    return frame


def best_of(repeat: int, build: Callable[[], pd.DataFrame]) -> tuple[float, pd.DataFrame]:
    best, result = float("inf"), pd.DataFrame()
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = build()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cohort = synthetic_cohort(args.sessions, args.turns)
    total = args.sessions * args.turns
    print(f"cohort: {args.sessions} transcripts x {args.turns} turns = {total} turns")
    ours, frame = best_of(args.repeat, lambda: turns_frame(cohort))
    naive, reference = best_of(args.repeat, lambda: naive_turns(cohort))
    assert len(frame) == len(reference) == total
    assert frame["words"].tolist() == reference["words"].tolist()
    speedup = naive / ours
    print(f"{'method':<42}{'seconds':>10}")
    print(f"{'turns_frame (one pass, columnar)':<42}{ours:>10.3f}")
    print(f"{'per-transcript json_normalize + concat':<42}{naive:>10.3f}")
    print(
        f"BENCH turns_frame_speedup: {speedup:.1f}x (target >=10x) "
        f"{'PASS' if speedup >= 10 else 'FAIL'}"
    )
    print(f"BENCH turns_frame_seconds: {ours:.3f}s (target <1s) {'PASS' if ours < 1 else 'FAIL'}")


if __name__ == "__main__":
    main()
