"""Frames for the chart tests: the shipped samples, and small frames built by hand whose
numbers are known exactly."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from zenhire_nb import samples
from zenhire_nb.frames import Cohort
from zenhire_nb.frames.schemas import SCHEMAS, apply_schema, empty_frame
from zenhire_nb.stt import CohortCheck


@pytest.fixture(scope="session")
def _cohort() -> Cohort:
    return samples.cohort()


@pytest.fixture
def cohort(_cohort: Cohort) -> Cohort:
    """The sample cohort (each test gets its own copies of the frames)."""
    return Cohort(
        **{
            part: getattr(_cohort, part).copy(deep=True)
            for part in ("sessions", "turns", "answers", "recordings", "summary", "failures")
        }
    )


@pytest.fixture(scope="session")
def check() -> CohortCheck:
    return samples.stt_check()


def session_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A sessions frame (full schema) from a few hand-written rows; unset columns are NA."""
    base = empty_frame("sessions")
    filled = []
    for index, row in enumerate(rows):
        full = {column: None for column in SCHEMAS["sessions"]}
        full.update({"session_id": f"ses_{index}", "status": "completed", "role_name": "Role A"})
        full.update(row)
        if full.get("duration_sec") is not None and full.get("duration_min") is None:
            full["duration_min"] = full["duration_sec"] / 60
        filled.append(full)
    frame = pd.DataFrame(filled, columns=list(base.columns))
    for column in ("created_at", "started_at", "completed_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["duration_min"] = frame["duration_min"].astype(float)
    return apply_schema(frame, "sessions")


@pytest.fixture
def make_sessions():
    return session_rows
