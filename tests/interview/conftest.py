"""Shared simulated interviews: generated once per test module (each takes well under a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zenhire_nb.sandbox.simulation.interview.simulate import SimulatedInterview, simulate_interview


@pytest.fixture(scope="module")
def one_minute_interview(tmp_path_factory: pytest.TempPathFactory) -> SimulatedInterview:
    out = tmp_path_factory.mktemp("interview") / "mono.wav"
    return simulate_interview(
        "Data Analyst", "en", seed=11, out_path=out, target_minutes=1.0, mistake_rate=0.08
    )


@pytest.fixture(scope="module")
def stereo_interview(tmp_path_factory: pytest.TempPathFactory) -> SimulatedInterview:
    out: Path = tmp_path_factory.mktemp("interview") / "stereo.wav"
    return simulate_interview(
        "Customer Support", "en-GB", seed=5, out_path=out, target_minutes=1.0, channels=2,
        sample_rate=24000,
    )  # fmt: skip
