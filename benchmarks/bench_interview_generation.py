"""Benchmark: generating a 10-minute simulated interview (mono 16 kHz) on one core.

Measures, in one run: wall time of ``simulate_interview`` (speech synthesis, resampling and
streamed WAV writing) against the duration of the audio it produced, and the share of that time
spent in eSpeak NG alone (synthesizing the same script without resampling or writing).
Target: generation takes at most 0.5x the audio's duration (at least 2x faster than real time).

Run: ``python benchmarks/bench_interview_generation.py`` (pins itself to one CPU where the OS
allows it, so the figure is a one-core figure).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 0.5


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to 1 core"
    return "not pinned (no sched_setaffinity)"


def main() -> None:
    pinning = _pin_to_one_core()
    from zenhire_nb.sandbox.simulation.interview.simulate import simulate_interview
    from zenhire_nb.sandbox.simulation.interview.tts import synthesize

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ten_minutes.wav"
        synthesize("Warm up.")  # load the library outside the timed region
        started = time.perf_counter()
        result = simulate_interview(
            "Software Engineer", "en", seed=2024, out_path=out, target_minutes=10.0
        )
        elapsed = time.perf_counter() - started
        audio_sec = out.stat().st_size / (2 * 16000)  # approximate: header is 44 bytes
        size_mb = out.stat().st_size / 1e6

    started = time.perf_counter()
    for turn in result.ground_truth["turns"]:
        voice = result.ground_truth["voices"][turn["speaker"]]
        synthesize(turn["text"], voice=voice)
    tts_only = time.perf_counter() - started

    ratio = elapsed / audio_sec
    print(f"setup: {pinning}; {len(result.transcript)} turns; {size_mb:.1f} MB WAV")
    print(f"audio duration: {audio_sec:.1f} s ({audio_sec / 60:.2f} min)")
    print(f"generation wall time: {elapsed:.2f} s  -> {ratio:.4f}x real time "
          f"({1 / ratio:.0f}x faster than real time)")  # fmt: skip
    print(f"eSpeak NG alone on the same text: {tts_only:.2f} s ({tts_only / elapsed:.0%} of it)")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"BENCH interview_generation_ratio: {ratio:.4f} (target <= {TARGET_RATIO}) {verdict}")


if __name__ == "__main__":
    main()
