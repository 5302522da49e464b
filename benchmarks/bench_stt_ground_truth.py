"""Detection quality of the speech-to-text check against the sandbox's ground truth.

Runs a local sandbox, simulates interviews over HTTP (``sb.admin.simulate``: ~2.5 minutes
each, mistakes injected at 5% per word), downloads each recording and transcript through the
client, runs :func:`zenhire_nb.stt.check_recording` at its default settings and compares the
flagged turns with the ground truth (``sb.admin.ground_truth``: which turns got a mistake).
Prints recall (share of turns with >= 1 injected mistake that are flagged) and false-flag rate
(share of clean turns flagged) for the default rule (forced scoring) side by side with the
plain WER rule (turn WER > 0.10).

Run: ``python benchmarks/bench_stt_ground_truth.py [interviews]`` (default 10; ~3 minutes on
2 cores). Targets: recall >= 0.90, false-flag rate <= 0.10.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.stt import check_recording

ROLES = [
    "Data Analyst",
    "Software Engineer",
    "Product Manager",
    "Sales Representative",
    "Customer Support",
]
MISTAKE_RATE = 0.05
TARGET_MINUTES = 2.5


def _simulate(sb: Sandbox, client: object, count: int) -> list[str]:
    ids = []
    for index in range(count):
        persona = client.personas.create(role_name=ROLES[index % len(ROLES)], language="en")
        session = client.sessions.create(persona.id, consent_mode="integrator")
        sb.admin.simulate(
            session.id,
            seed=5000 + index,
            mistake_rate=MISTAKE_RATE,
            target_minutes=TARGET_MINUTES,
            failure_rate=0.0,
            timeout_rate=0.0,
        )
        ids.append(session.id)
    return ids


def _measure(sb: Sandbox, client: object, ids: list[str], folder: Path) -> tuple:
    labels, forced, wer, weakest, audio_sec = [], [], [], [], 0.0
    for session_id in ids:
        wav = client.sessions.recording(session_id, path=folder / f"{session_id}.wav")
        turns = client.sessions.transcript(session_id)
        truth = sb.admin.ground_truth(session_id)
        mistaken = {mistake["turn"] for mistake in truth["mistakes"]}
        result = check_recording(wav, turns, session_id=session_id, cache_dir=folder / "cache")
        labels += [index in mistaken for index in range(len(result.turns))]
        forced += list(result.turns["flagged"])
        wer += list(result.turns["flagged_wer"])
        weakest += list(result.turns["min_logprob"])
        audio_sec += result.transcription.audio["duration_sec"]
    return np.array(labels), np.array(forced), np.array(wer), np.array(weakest), audio_sec


def _rates(labels: np.ndarray, flags: np.ndarray) -> tuple[float, float]:
    return float(flags[labels].mean()), float(flags[~labels].mean())


def main(count: int) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, Sandbox(credits=1_000_000) as sb:
        client = sb.client()
        ids = _simulate(sb, client, count)
        labels, forced, wer, weakest, audio_sec = _measure(sb, client, ids, Path(folder))
    recall, false_rate = _rates(labels, forced)
    wer_recall, wer_false = _rates(labels, wer)
    print(
        f"{count} interviews, {audio_sec:.0f} s of audio, {len(labels)} turns: "
        f"{int(labels.sum())} with injected mistakes, {int((~labels).sum())} clean; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"{'rule':<34}{'recall':>8}{'false flags':>13}")
    print(f"{'forced scoring (default, -6.0)':<34}{recall:>8.3f}{false_rate:>13.3f}")
    print(f"{'plain WER > 0.10':<34}{wer_recall:>8.3f}{wer_false:>13.3f}")
    for threshold in (-4.0, -5.0, -7.0, -8.0):  # other thresholds, for information
        other = _rates(labels, weakest < threshold)
        print(f"{f'  forced scoring at {threshold}':<34}{other[0]:>8.3f}{other[1]:>13.3f}")
    print(
        f"BENCH stt_flag_recall: {recall:.3f} (target >= 0.90) "
        f"{'PASS' if recall >= 0.90 else 'FAIL'}"
    )
    print(
        f"BENCH stt_false_flag_rate: {false_rate:.3f} (target <= 0.10) "
        f"{'PASS' if false_rate <= 0.10 else 'FAIL'}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
