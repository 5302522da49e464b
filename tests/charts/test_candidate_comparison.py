"""One candidate against the cohort, cohort comparison, and a two-tag session in both groups."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb import charts


def test_a_session_with_two_tags_is_in_both_groups(talkers):
    fig = charts.interview_length(talkers, by="tags")
    points = {t.name: sorted(t.x) for t in fig.data if t.type == "scatter"}
    # ses_0 (60 s, tags a and b) is a point of both groups.
    assert points["a (n=2)"] == pytest.approx([0.5, 1.0])
    assert 1.0 in points["b (n=3)"]
    done = pd.Timestamp("2026-11-02T10:00:00Z")
    spend = charts.spend_over_time(talkers.sessions.assign(completed_at=done), by="tags")
    assert "sessions in several groups count in each" in spend.layout.title.subtitle.text


def test_the_candidate_stands_at_its_percentile(talkers):
    fig = charts.candidate_vs_cohort(talkers, "ses_0", by="role_name")
    titles = [a.text for a in fig.layout.annotations]
    # Within Analyst (ses_0, ses_1): ses_0's 40 words are above ses_1's 4: 75th percentile.
    words = next(t for t in titles if t.startswith("Words the candidate said"))
    assert "★ 40.0 words, 75th percentile of Analyst" in words
    star = next(t for t in fig.data if t.marker.symbol == "star" and t.xaxis == "x6")
    assert list(star.x) == [40.0] and "ats-0" in star.hovertext
    assert fig.layout.title.text == "ats-0 against the cohort"
    with pytest.raises(ValueError, match="'ses_9' is not in the frame"):
        charts.candidate_vs_cohort(talkers, "ses_9")
    with pytest.raises(ValueError, match="needs session_id"):
        charts.candidate_vs_cohort(talkers)


def test_comparison_medians_counts_and_small_groups(talkers):
    fig = charts.cohort_comparison(talkers, by="role_name", metrics=["candidate_words"])
    medians = next(t for t in fig.data if t.type == "scatter" and t.mode == "text")
    assert list(medians.text) == ["median 22", "median 2.5"]  # Analyst (40, 4), Engineer (5, 0)
    subtitle = fig.layout.title.subtitle.text
    assert "too few sessions to compare (under 5): Analyst (n=2), Engineer (n=2)" in subtitle
    assert "no value (not plotted): words the candidate said: 0" not in subtitle
    with pytest.raises(ValueError, match="no column 'charisma'"):
        charts.cohort_comparison(talkers, metrics=["charisma"])


def test_comparison_counts_missing_values(talkers):
    fig = charts.cohort_comparison(talkers, by="role_name", metrics=["mean_latency_sec"])
    assert "mean time to answer: 1" in fig.layout.title.subtitle.text  # the failed session
