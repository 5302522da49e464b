"""Speech-to-text agreement: the chart's numbers are the check's (a real tiny.en check of the
sample cohort), fillers Whisper drops by design are not called transcript errors."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb import charts
from zenhire_nb.charts.agreement import FILLERS, question_of_turns
from zenhire_nb.stt import CohortCheck


def test_per_session_wer_and_flagged_share(check, cohort):
    fig = charts.stt_agreement(check, sessions=cohort)
    (points,) = [t for t in fig.data if t.xaxis == "x" and t.type.startswith("scatter")]
    sessions = check.sessions
    assert sorted(points.x) == pytest.approx(sorted(sessions["wer"] * 100))
    share = sessions["flagged_turns"] / sessions["turns"] * 100
    assert sorted(points.y) == pytest.approx(sorted(share))
    refs = set(cohort.sessions.loc[cohort.sessions["session_id"].isin(sessions["session_id"]),
                                   "candidate_ref"])  # fmt: skip
    assert all(any(f"<b>{ref}</b>" in h for h in points.hovertext) for ref in refs)
    rate = check.turns["flagged"].mean() * 100
    assert f"{rate:.0f}% of turns flagged" in fig.layout.title.subtitle.text


def test_flagged_rate_per_speaker_and_question_per_group(check, cohort):
    fig = charts.stt_agreement(check, sessions=cohort, by="role_name")
    roles = cohort.sessions.set_index("session_id")["role_name"]
    turns = check.turns.assign(group=check.turns["session_id"].map(roles))
    speaker_bars = [t for t in fig.data if t.type == "bar" and t.xaxis == "x2"]
    for bar in speaker_bars:
        group = bar.legendgroup
        expected = turns[turns["group"] == group].groupby("speaker", observed=True)["flagged"]
        for speaker, value in zip(bar.x, bar.y, strict=True):
            assert value == pytest.approx(expected.mean()[speaker] * 100)
    question_bars = [t for t in fig.data if t.type == "bar" and t.xaxis == "x3"]
    assert question_bars and all(str(x).startswith("Q") for x in question_bars[0].x)
    # The group of a checked session is the one of its cohort row (counted on checked ones).
    names = {t.name for t in fig.data if t.type.startswith("scatter")}
    checked = cohort.sessions[cohort.sessions["session_id"].isin(check.sessions["session_id"])]
    assert names == {f"{r} (n={n})" for r, n in checked["role_name"].value_counts().items()}


def test_top_words_are_the_differences_without_fillers(check):
    fig = charts.stt_agreement(check, top_words=5)
    bars = [t for t in fig.data if t.type == "bar" and t.yaxis == "y4"]
    shown = {label: count for bar in bars for label, count in zip(bar.y, bar.x, strict=True)}
    assert len(shown) == 5
    differences = check.differences
    words = differences["reference_word"].astype(object).fillna("").astype(str).str.lower()
    filler = (differences["kind"] == "deletion") & words.str.strip(".,!?").isin(FILLERS)
    for label, count in shown.items():
        assert not any(label == f"− {f}" for f in FILLERS)
        if label.startswith("− "):
            word = label.removeprefix("− ")
            deletions = differences[(differences["kind"] == "deletion") & (words == word)]
            assert len(deletions) == count
    if filler.any():
        assert f"{int(filler.sum())} dropped fillers" in fig.layout.title.subtitle.text


def test_questions_of_turns_start_at_each_interviewer_run():
    turns = pd.DataFrame(
        {
            "session_id": ["s"] * 6,
            "turn_index": range(6),
            "speaker": ["candidate", "interviewer", "interviewer", "candidate", "interviewer",
                        "candidate"],
        }
    )  # fmt: skip
    assert question_of_turns(turns).tolist() == [-1, 0, 0, 0, 1, 1]


def test_not_a_check_is_a_type_error(cohort):
    with pytest.raises(TypeError, match="check_cohort"):
        charts.stt_agreement(cohort)


def test_sessions_without_a_wer_are_counted(check):
    sessions = check.sessions.copy()
    sessions.loc[sessions.index[0], "wer"] = float("nan")
    partial = CohortCheck(
        sessions=sessions, turns=check.turns, differences=check.differences,
        failures=check.failures,
    )  # fmt: skip
    fig = charts.stt_agreement(partial)
    (points,) = [t for t in fig.data if t.xaxis == "x" and t.type.startswith("scatter")]
    assert len(points.x) == len(sessions) - 1
    assert "1 sessions without a WER not shown" in fig.layout.title.subtitle.text
