"""Answers across candidates: the grid holds the answers frame's numbers, questions are
labelled by their text, candidates are ordered and grouped; per-question distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zenhire_nb import charts


def heatmap_of(fig):
    return next(t for t in fig.data if t.type == "heatmap")


def test_the_grid_is_the_answers_frame(talkers):
    fig = charts.answers_heatmap(talkers, metric="answer_words")
    heat = heatmap_of(fig)
    # Rows ordered by mean answer words, largest first: ses_0 (20), ses_2 (5 and unanswered:
    # 2.5), ses_1 (2).
    assert list(fig.layout.yaxis.ticktext) == ["ats-0", "ats-2", "ses_1"]
    z = np.asarray(heat.z, dtype=float)
    assert z[0].tolist() == [20, 20] and z[2].tolist() == [1, 3]
    assert z[1].tolist() == [5, 0]  # an unanswered question has 0 answer words
    # Questions labelled with their text (most sessions were asked the same thing).
    assert list(heat.x) == ["Q1: Tell me about a project…", "Q2: What was the hardest part?"]
    full = np.asarray(heat.customdata)
    assert full[0, 0, 0] == "ats-0" and "proud of" in full[0, 0, 1]
    assert "ats-0" in heat.hovertemplate or "customdata[0]" in heat.hovertemplate


def test_latency_of_an_unanswered_question_is_blank_and_counted(talkers):
    fig = charts.answers_heatmap(talkers, metric="latency_sec")
    z = np.asarray(heatmap_of(fig).z, dtype=float)
    assert np.isnan(z).sum() == 1
    assert "1 blank cells" in fig.layout.title.subtitle.text
    assert fig.layout.title.text == "Time to answer (s) per question"


def test_groups_colour_the_rows_and_a_two_tag_session_is_in_both(talkers):
    fig = charts.answers_heatmap(talkers, by="tags")
    strips = {t.name: list(t.y) for t in fig.data if t.type == "scatter"}
    assert set(strips) == {"a (n=2)", "b (n=3)"}
    assert len(strips["a (n=2)"]) == 2 and len(strips["b (n=3)"]) == 2  # ses_3: no answers
    rows = list(heatmap_of(fig).y)
    assert "a · ats-0" in rows and "b · ats-0" in rows
    colors = charts.group_colors(["a", "b"])
    assert {t.name: t.marker.color for t in fig.data if t.type == "scatter"} == {
        "a (n=2)": colors["a"],
        "b (n=3)": colors["b"],
    }


def test_at_most_max_candidates_rows_and_the_subtitle_says_so(cohort):
    fig = charts.answers_heatmap(cohort, max_candidates=5)
    assert len(heatmap_of(fig).y) == 5
    total = cohort.answers["session_id"].nunique()
    assert f"showing the 5 highest of {total} candidates" in fig.layout.title.subtitle.text
    with pytest.raises(ValueError, match="max_candidates"):
        charts.answers_heatmap(cohort, max_candidates=0)
    with pytest.raises(ValueError, match="metric must be a column"):
        charts.answers_heatmap(cohort, metric="charisma")


def test_order_by_another_metric(talkers):
    fig = charts.answers_heatmap(talkers, metric="answer_words", order_by="latency_sec")
    # Mean latency: ses_1 1.5 s, ses_0 1.0, ses_2 1.0 (stable order).
    assert list(fig.layout.yaxis.ticktext)[0] == "ses_1"


def test_distributions_per_question_and_group(talkers):
    fig = charts.answer_distributions(talkers, by="role_name", metric="latency_sec")
    boxes = {t.name: t for t in fig.data}
    analyst, engineer = boxes["Analyst (n=2)"], boxes["Engineer (n=2)"]
    pairs = sorted((str(x)[:2], float(y)) for x, y in zip(analyst.x, analyst.y, strict=True))
    assert pairs == [("Q1", 1.0), ("Q1", 2.0), ("Q2", 1.0), ("Q2", 1.0)]
    assert str(analyst.x[0]).startswith("Q1: Tell me about a")
    assert list(engineer.y) == [1.0]  # the unanswered question has no latency: left out
    assert "1 answers without a value not shown" in fig.layout.title.subtitle.text
    assert any(h.startswith("<b>ats-0</b>") for h in analyst.hovertext)
    assert fig.layout.yaxis.title.text == "Time to answer (s)"
    assert fig.layout.boxmode == "group"


def test_distributions_of_many_answers_are_sent_as_statistics(cohort):
    answers = cohort.answers
    many = answers.loc[answers.index.repeat(math.ceil(1200 / len(answers)))]
    fig = charts.answer_distributions(many, max_questions=1000)
    (box,) = fig.data
    assert box.y is None and box.median is not None  # five numbers per question, no values
    questioned = many[many["question_index"] >= 0]
    expected = questioned.groupby("question_index")["answer_words"].median()
    assert list(box.median) == pytest.approx(list(expected))


def test_distributions_show_the_first_questions_and_say_so(cohort):
    asked = cohort.answers.loc[cohort.answers["question_index"] >= 0, "question_index"].nunique()
    fig = charts.answer_distributions(cohort, max_questions=3)
    assert {str(x)[:3] for t in fig.data for x in t.x} == {"Q1", "Q2", "Q3"}
    assert f"first 3 of {asked} questions" in fig.layout.title.subtitle.text
    with pytest.raises(ValueError, match="max_questions"):
        charts.answer_distributions(cohort, max_questions=0)
