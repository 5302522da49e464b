"""Talk time and status/timing: the bars and points are the summary's and sessions' numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb import charts


def by_name(fig):
    return {t.name: t for t in fig.data}


def test_talk_time_stacks_speech_and_silence_sorted_by_share(talkers):
    fig = charts.talk_time(talkers, by="role_name")
    traces = by_name(fig)
    # Sorted by candidate share: ses_2 (0.2), ses_1 (0.5), ses_0 (0.75).
    assert list(traces["Interviewer"].customdata) == ["ats-2", "ses_1", "ats-0"]
    assert list(traces["Interviewer"].y) == pytest.approx([20 / 60, 10 / 60, 10 / 60])
    assert list(traces["Candidate"].y) == pytest.approx([5 / 60, 10 / 60, 30 / 60])
    # Silence: the reported length minus speech (40 - 25, 30 - 20, 60 - 40 seconds).
    assert list(traces["Silence"].y) == pytest.approx([15 / 60, 10 / 60, 20 / 60])
    assert fig.layout.barmode == "stack"
    analyst, engineer = traces["Analyst (n=2)"], traces["Engineer (n=2)"]
    assert list(analyst.y) == pytest.approx([50, 75]) and list(engineer.y) == pytest.approx([20])
    median = next(s for s in fig.layout.shapes if s.y0 == s.y1)
    assert median.y0 == pytest.approx(50)
    subtitle = fig.layout.title.subtitle.text
    assert "1 session without a transcript with speech not shown" in subtitle
    assert "median candidate share 50%" in subtitle
    assert fig.layout.yaxis.title.text == "Minutes"
    assert fig.layout.yaxis2.title.text == "Candidate share (%)"


def test_talk_time_from_a_turns_frame(talkers):
    fig = charts.talk_time(talkers.turns)
    assert list(by_name(fig)["Candidate"].y) == pytest.approx([5 / 60, 10 / 60, 30 / 60])


def test_talk_time_names_only_what_fits_on_the_axis(cohort):
    fig = charts.talk_time(cohort)
    assert fig.layout.xaxis2.showticklabels is True
    many = cohort.summary.loc[cohort.summary.index.repeat(4)].copy()
    many["session_id"] = [f"s{i}" for i in range(len(many))]
    assert charts.talk_time(many).layout.xaxis2.showticklabels is False


def test_status_counts_per_group_with_failure_codes(talkers):
    fig = charts.status_timing(talkers, by="role_name")
    bars = {t.name: list(t.x) for t in fig.data if t.type == "bar"}
    # groups in order Analyst, Engineer
    assert bars == {"completed": [2, 1], "failed: CANDIDATE_DISCONNECTED": [0, 1]}
    assert fig.layout.yaxis.ticktext == ("Analyst (n=2)", "Engineer (n=2)")
    failed = next(t for t in fig.data if t.name.startswith("failed"))
    assert failed.marker.color != next(t for t in fig.data if t.name == "completed").marker.color


def test_status_timing_draws_the_times_and_counts_what_has_not_happened(make_sessions):
    frame = make_sessions(
        [
            {"created_at": "2026-11-02T10:00:00Z", "started_at": "2026-11-02T12:00:00Z",
             "completed_at": "2026-11-02T12:30:00Z", "duration_sec": 1800,
             "candidate_ref": "ats-1"},
            {"created_at": "2026-11-02T10:00:00Z", "started_at": "2026-11-03T10:00:00Z",
             "completed_at": "2026-11-03T10:20:00Z", "duration_sec": 1200},
            {"created_at": "2026-11-02T10:00:00Z", "status": "active",
             "started_at": "2026-11-04T10:00:00Z"},
            {"created_at": "2026-11-02T10:00:00Z", "status": "initiated"},
        ]
    )  # fmt: skip
    before = frame.copy(deep=True)
    fig = charts.status_timing(frame)
    points = [t for t in fig.data if t.type == "scatter"]
    to_start, to_end = points
    assert sorted(to_start.x) == pytest.approx([2, 24, 48])  # hours
    assert sorted(to_end.x) == pytest.approx([20, 30])  # minutes
    assert fig.layout.xaxis2.title.text == "Link to start (h)"
    assert fig.layout.xaxis3.title.text == "Start to end (min)"
    assert "ats-1" in list(to_start.customdata)
    subtitle = fig.layout.title.subtitle.text
    assert "1 not started yet" in subtitle and "2 not ended yet" in subtitle
    bars = {t.name: list(t.x) for t in fig.data if t.type == "bar"}
    assert bars == {"initiated": [1], "active": [1], "completed": [2]}
    pd.testing.assert_frame_equal(frame, before)


def test_sample_timing_is_plausible(cohort):
    """The samples' links are opened hours to days after they are sent, and interviews last
    minutes: the chart shows hours and minutes, not seconds."""
    fig = charts.status_timing(cohort)
    assert fig.layout.xaxis2.title.text == "Link to start (h)"
    assert fig.layout.xaxis3.title.text == "Start to end (min)"
