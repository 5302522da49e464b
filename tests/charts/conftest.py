"""Frames for the chart tests: the shipped samples, and small frames built by hand whose
numbers are known exactly."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from zenhire_nb import samples
from zenhire_nb.frames import Cohort, answers_frame, session_summary_frame, turns_frame
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


def tiny_cohort(sessions: pd.DataFrame, transcripts: dict[str, list[tuple]]) -> Cohort:
    """A cohort from a sessions frame and ``{session_id: [(speaker, text, start, end), ...]}``:
    turns, answers and summary built by the frames builders, so every number is known."""
    documents = {
        sid: [{"speaker": s, "text": t, "start": a, "end": b} for s, t, a, b in turns]
        for sid, turns in transcripts.items()
    }
    turns = turns_frame(documents, sessions=sessions)
    answers = answers_frame(turns)
    summary = session_summary_frame(turns, answers=answers, sessions=sessions)
    return Cohort(
        sessions=sessions,
        turns=turns,
        answers=answers,
        recordings=empty_frame("recordings"),
        summary=summary,
        failures=pd.DataFrame(columns=["session_id", "stage", "error_type", "message"]),
    )


@pytest.fixture
def talkers(make_sessions) -> Cohort:
    """Three completed sessions with known speech, one failed session without a transcript.

    ses_0 (ats-0, Analyst, tags a+b): interviewer 10 s, candidate 30 s (40 words over 2 answers)
    ses_1 (Analyst, tag a):            interviewer 10 s, candidate 10 s (1 + 3 words)
    ses_2 (ats-2, Engineer, tag b):    interviewer 20 s, candidate 5 s
    """
    sessions = make_sessions(
        [
            {"candidate_ref": "ats-0", "role_name": "Analyst", "tags": ["a", "b"],
             "duration_sec": 60, "credit_charged": 5},
            {"role_name": "Analyst", "tags": ["a"], "duration_sec": 30, "credit_charged": 5},
            {"candidate_ref": "ats-2", "role_name": "Engineer", "tags": ["b"],
             "duration_sec": 40, "credit_charged": 5},
            {"role_name": "Engineer", "tags": ["b"], "status": "failed",
             "error_code": "CANDIDATE_DISCONNECTED"},
        ]
    )  # fmt: skip
    words = " ".join(["word"] * 20)
    transcripts = {
        "ses_0": [
            ("interviewer", "Tell me about a project you are proud of.", 0.0, 5.0),
            ("candidate", words, 6.0, 21.0),
            ("interviewer", "What was the hardest part?", 22.0, 27.0),
            ("candidate", words, 28.0, 43.0),
        ],
        "ses_1": [
            ("interviewer", "Tell me about a project you are proud of.", 0.0, 5.0),
            ("candidate", "short", 7.0, 12.0),
            ("interviewer", "What was the hardest part?", 13.0, 18.0),
            ("candidate", "another short one", 19.0, 24.0),
        ],
        "ses_2": [
            ("interviewer", "Tell me about a project you are proud of.", 0.0, 10.0),
            ("candidate", "one two three four five", 11.0, 16.0),
            ("interviewer", "What was the hardest part?", 17.0, 27.0),
        ],
    }
    return tiny_cohort(sessions, transcripts)
