"""Benchmark: every chart of ``zenhire_nb.charts`` on a 5,000-session / 200,000-turn cohort.

The cohort is the shipped sample cohort scaled up: each sample session is copied (new session
id, candidate and creation time, its length and charge varied within the billing rule) until
there are ``--sessions`` sessions; the completed copies share ``--turns`` turns (about 48
each), taken from their template's transcript (repeated, later in time, when the template is
shorter). The answers and summary frames are then built from those turns with the frames
builders, so every frame has the schema a loaded cohort has. The speech-to-text check is
scaled the same way (every completed session checked).

Measured per chart: build time (best of ``--repeat``, so a noisy neighbour on a shared machine
does not decide) and the size of the figure's JSON (what a notebook or an HTML report stores).

Run: ``python benchmarks/bench_charts.py [--sessions 5000] [--turns 200000] [--repeat 2]``.
Ends with::

    BENCH charts_build_seconds: <s> (target < 3 s for all charts) PASS|FAIL
    BENCH charts_largest_figure_mb: <mb> (target < 2 MB) PASS|FAIL
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from zenhire_nb import charts, samples
from zenhire_nb.contract.limits import credits_for
from zenhire_nb.frames import Cohort, answers_frame, session_summary_frame
from zenhire_nb.stt import CohortCheck

BUILD_TARGET_SEC = 3.0
SIZE_TARGET_MB = 2.0


def _copies(template: pd.DataFrame, n: int) -> np.ndarray:
    return np.arange(n) % len(template)


def scaled_sessions(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """``n`` sessions copied from the samples; also the template row of each copy."""
    template = samples.sessions()
    pick = _copies(template, n)
    frame = template.iloc[pick].reset_index(drop=True)
    frame["session_id"] = pd.array([f"bench-{i:05d}" for i in range(n)], dtype="string")
    frame["candidate_ref"] = pd.array([f"cand-{i:05d}" for i in range(n)], dtype="string")
    shift = pd.to_timedelta(rng.integers(0, 180 * 24 * 3600, n), unit="s")
    for column in ("created_at", "started_at", "completed_at"):
        frame[column] = frame[column] - pd.Timedelta(days=180) + shift
    stretch = rng.uniform(0.7, 1.3, n)
    seconds = (frame["duration_sec"].astype("Float64") * stretch).round().astype("Int64")
    frame["duration_sec"] = seconds
    frame["duration_min"] = seconds.astype(float) / 60
    completed = frame["status"].eq("completed").to_numpy()
    charged = [
        credits_for(int(s)) if done else 0
        for s, done in zip(seconds.fillna(0), completed, strict=True)
    ]
    frame["credit_charged"] = pd.Series(charged, dtype="Int64").where(seconds.notna().to_numpy())
    frame["completed_at"] = frame["started_at"] + pd.to_timedelta(seconds.astype(float), unit="s")
    return frame, pick


def scaled_turns(sessions: pd.DataFrame, pick: np.ndarray, total: int) -> pd.DataFrame:
    """``total`` turns shared by the completed sessions, each from its template."""
    template = samples.turns()
    template_ids = samples.sessions()["session_id"].to_numpy()
    by_session = {sid: part for sid, part in template.groupby("session_id", sort=False)}
    parts = []
    done = np.flatnonzero(sessions["status"].eq("completed").to_numpy())
    counts = np.full(len(done), total // len(done))
    counts[: total - counts.sum()] += 1  # exactly ``total``
    blocks: dict[tuple[str, int], pd.DataFrame] = {}
    for row, count in zip(done, counts, strict=True):
        key = (template_ids[pick[row]], int(count))
        if key not in blocks:
            blocks[key] = _stretch(by_session[key[0]], key[1])
        block = blocks[key].copy()
        block["session_id"] = sessions["session_id"].iat[row]
        block["candidate_ref"] = sessions["candidate_ref"].iat[row]
        parts.append(block)
    frame = pd.concat(parts, ignore_index=True)
    return frame.astype({"session_id": "string", "candidate_ref": "string"})


def _stretch(turns: pd.DataFrame, count: int) -> pd.DataFrame:
    """``count`` turns: the transcript repeated after itself as often as needed."""
    turns = turns.sort_values("turn_index").reset_index(drop=True)
    length = float(turns["end_sec"].max()) + 1.0
    rounds = -(-count // len(turns))
    parts = []
    for index in range(rounds):
        part = turns.copy()
        part["start_sec"] += index * length
        part["end_sec"] += index * length
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).iloc[:count].copy()
    frame["turn_index"] = np.arange(count)
    return frame


def scaled_check(sessions: pd.DataFrame) -> CohortCheck:
    """The sample check's per-turn and per-word rows copied onto the scaled sessions."""
    check = samples.stt_check()
    checked = sessions[sessions["status"].eq("completed")]
    pick = _copies(check.sessions, len(checked))
    per_session = check.sessions.iloc[pick].reset_index(drop=True)
    per_session["session_id"] = checked["session_id"].to_numpy()
    turns_of = {sid: part for sid, part in check.turns.groupby("session_id", sort=False)}
    diffs_of = {sid: part for sid, part in check.differences.groupby("session_id", sort=False)}
    turn_parts, diff_parts = [], []
    for sid, source in zip(
        per_session["session_id"], check.sessions["session_id"].iloc[pick], strict=True
    ):
        turn_parts.append(turns_of[source].assign(session_id=sid))
        if source in diffs_of:
            diff_parts.append(diffs_of[source].assign(session_id=sid))
    return CohortCheck(
        sessions=per_session,
        turns=pd.concat(turn_parts, ignore_index=True),
        differences=pd.concat(diff_parts, ignore_index=True),
        failures=check.failures.iloc[:0],
    )


def build_cohort(n_sessions: int, n_turns: int) -> tuple[Cohort, CohortCheck]:
    rng = np.random.default_rng(5000)
    sessions, pick = scaled_sessions(n_sessions, rng)
    turns = scaled_turns(sessions, pick, n_turns)
    answers = answers_frame(turns)
    summary = session_summary_frame(turns, answers=answers, sessions=sessions)
    empty = samples.recordings().iloc[:0]
    cohort = Cohort(
        sessions=sessions,
        turns=turns,
        answers=answers,
        recordings=empty,
        summary=summary,
        failures=samples.cohort().failures.iloc[:0],
    )
    return cohort, scaled_check(sessions)


def chart_calls(cohort: Cohort, check: CohortCheck) -> dict[str, Callable[[], go.Figure]]:
    one = str(cohort.summary["session_id"].iloc[0])
    return {
        "interview_length": lambda: charts.interview_length(cohort, by="role_name"),
        "credits_vs_duration": lambda: charts.credits_vs_duration(cohort, by="role_name"),
        "spend_over_time": lambda: charts.spend_over_time(cohort, by="tags"),
        "answers_heatmap": lambda: charts.answers_heatmap(cohort, by="role_name"),
        "answer_distributions": lambda: charts.answer_distributions(cohort, by="role_name"),
        "talk_time": lambda: charts.talk_time(cohort, by="role_name"),
        "status_timing": lambda: charts.status_timing(cohort, by="role_name"),
        "stt_agreement": lambda: charts.stt_agreement(check, sessions=cohort, by="role_name"),
        "candidate_vs_cohort": lambda: charts.candidate_vs_cohort(cohort, one, by="role_name"),
        "cohort_comparison": lambda: charts.cohort_comparison(cohort, by="tags"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--turns", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    cohort, check = build_cohort(args.sessions, args.turns)
    print(
        f"cohort: {len(cohort.sessions):,} sessions, {len(cohort.turns):,} turns, "
        f"{len(cohort.answers):,} answers, {len(check.turns):,} checked turns "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    total, largest, largest_name = 0.0, 0, ""
    for name, call in chart_calls(cohort, check).items():
        best = float("inf")
        for _ in range(args.repeat):
            begin = time.perf_counter()
            fig = call()
            best = min(best, time.perf_counter() - begin)
        size = len(fig.to_json())
        total += best
        if size > largest:
            largest, largest_name = size, name
        print(f"  {name:22s} {best:6.3f} s  {size / 1e6:6.3f} MB  {len(fig.data)} traces")
    mb = largest / 1e6
    print(f"largest figure: {largest_name}")
    verdict = "PASS" if total < BUILD_TARGET_SEC else "FAIL"
    print(f"BENCH charts_build_seconds: {total:.2f} (target < 3 s for all charts) {verdict}")
    verdict = "PASS" if mb < SIZE_TARGET_MB else "FAIL"
    print(f"BENCH charts_largest_figure_mb: {mb:.2f} (target < 2 MB) {verdict}")


if __name__ == "__main__":
    main()
