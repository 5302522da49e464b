"""The per-session metrics the comparison charts show, with their units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["KEY_METRICS", "Metric", "metric_list", "percentile_in"]


class Metric(NamedTuple):
    column: str
    label: str
    unit: str
    scale: float = 1.0  # multiply before showing (fractions as percentages)


_KNOWN = {
    m.column: m
    for m in (
        Metric("duration_min", "Interview length", "min"),
        Metric("candidate_words", "Words the candidate said", "words"),
        Metric("mean_answer_words", "Mean answer length", "words"),
        Metric("mean_answer_sec", "Mean speaking time per answer", "s"),
        Metric("mean_latency_sec", "Mean time to answer", "s"),
        Metric("mean_words_per_minute", "Speaking rate", "words/min"),
        Metric("talk_ratio", "Candidate share of speech", "%", 100.0),
        Metric("candidate_speaking_sec", "Candidate speaking time", "s"),
        Metric("n_answered", "Questions answered", "questions"),
        Metric("credit_charged", "Credits charged", "credits"),
        Metric("recording_silence_ratio", "Silence in recording", "%", 100.0),
    )
}
KEY_METRICS = (
    "duration_min",
    "mean_answer_words",
    "mean_latency_sec",
    "mean_words_per_minute",
    "talk_ratio",
    "candidate_words",
)


def metric_list(table: pd.DataFrame, metrics: Sequence[str] | None, chart: str) -> list[Metric]:
    """The metrics to show: those asked for (``ValueError`` naming any not in the table), or
    the key metrics the table has."""
    if metrics is None:
        return [_KNOWN[c] for c in KEY_METRICS if c in table.columns]
    if isinstance(metrics, str):
        metrics = [metrics]
    missing = [m for m in metrics if m not in table.columns]
    if missing:
        raise ValueError(f"{chart}(): no column {', '.join(map(repr, missing))} in the frame")
    return [_KNOWN.get(m, Metric(m, m.replace("_", " ").capitalize(), "")) for m in metrics]


def percentile_in(values: pd.Series, value: float) -> float:
    """Where ``value`` stands among ``values`` (0-100): the share below it plus half the
    share equal to it, so the median of an odd group is at 50. NaN without values."""
    clean = values.dropna().astype(float).to_numpy()
    if clean.size == 0 or pd.isna(value):
        return float("nan")
    below = np.count_nonzero(clean < value)
    equal = np.count_nonzero(clean == value)
    return 100.0 * (below + 0.5 * equal) / clean.size
