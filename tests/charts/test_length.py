"""Interview length: values, the budget, marked sessions, missing values."""

from __future__ import annotations

import pytest

from zenhire_nb import charts


def traces(fig, name):
    return [t for t in fig.data if t.name == name]


def test_points_are_the_durations_and_name_the_candidate(make_sessions):
    frame = make_sessions(
        [
            {"duration_sec": 600, "candidate_ref": "ats-1"},
            {"duration_sec": 660},
            {"duration_sec": None},
        ]
    )
    fig = charts.interview_length(frame)
    box, points = fig.data[:2]
    assert sorted(box.x) == [10.0, 11.0]
    assert sorted(points.x) == [10.0, 11.0]
    assert any(h.startswith("<b>ats-1</b>") for h in points.hovertext)
    assert any(h.startswith("<b>ses_1</b>") for h in points.hovertext)
    assert fig.layout.xaxis.title.text == "Interview length (min)"
    assert "1 session without a duration not shown" in fig.layout.title.subtitle.text


def test_budget_hits_and_early_ends_stand_out(make_sessions):
    frame = make_sessions(
        [
            {"duration_sec": 90 * 60},
            {"duration_sec": 60 * 60},
            {"duration_sec": 58 * 60},
            {"duration_sec": 10 * 60},  # under half the median
            {"duration_sec": 55 * 60, "status": "failed", "error_code": "SESSION_TIMEOUT"},
        ]
    )
    fig = charts.interview_length(frame)
    (hit,) = traces(fig, "Hit the 90-min budget")
    (early,) = traces(fig, "Ended early")
    assert list(hit.x) == [90.0]
    assert sorted(early.x) == [10.0, 55.0]
    assert any(shape.x0 == 90 for shape in fig.layout.shapes)  # the budget line
    # The box describes the interviews that did not fail.
    assert sorted(fig.data[0].x) == [10.0, 58.0, 60.0, 90.0]


def test_a_far_budget_is_named_not_drawn(make_sessions):
    fig = charts.interview_length(make_sessions([{"duration_sec": 120}]))
    assert not fig.layout.shapes
    assert "far under the 90-min budget" in fig.layout.title.subtitle.text


def test_groups_are_counted_on_the_axis(cohort):
    fig = charts.interview_length(cohort, by="role_name")
    labels = list(fig.layout.yaxis.ticktext)
    counts = cohort.sessions["role_name"].value_counts()
    for role, count in counts.items():
        assert f"{role} (n={count})" in labels


def test_missing_column_is_named(make_sessions):
    frame = make_sessions([{"duration_sec": 60}]).drop(columns=["duration_min"])
    with pytest.raises(ValueError, match="duration_min"):
        charts.interview_length(frame)
