"""What every chart promises (issue 10): a new Figure, nothing shown, no global plotly setting
changed, the input untouched, counts per group, units on the axes, the candidate named on hover,
one colour per group across charts, and a "no sessions match" figure for an empty input."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from zenhire_nb import charts
from zenhire_nb.frames import Cohort
from zenhire_nb.frames.schemas import empty_frame
from zenhire_nb.stt import CohortCheck

PARTS = ("sessions", "turns", "answers", "recordings", "summary", "failures")


def strings(fig: go.Figure) -> str:
    """Every text of the figure (names, hover texts, custom data, annotations), one string."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
            for item in value.tolist() if hasattr(value, "tolist") else value:
                walk(item)

    walk(fig.to_plotly_json())
    return "\n".join(found)


def _first_completed(cohort: Cohort) -> str:
    sessions = cohort.sessions
    return str(sessions.loc[sessions["status"] == "completed", "session_id"].iloc[0])


# name -> chart(cohort, check, by): every chart of the module, called the way a notebook does.
CHARTS: dict[str, Callable[[Cohort, CohortCheck, str | None], go.Figure]] = {
    "interview_length": lambda c, k, by: charts.interview_length(c, by=by),
    "credits_vs_duration": lambda c, k, by: charts.credits_vs_duration(c, by=by),
    "spend_over_time": lambda c, k, by: charts.spend_over_time(c, by=by),
    "answers_heatmap": lambda c, k, by: charts.answers_heatmap(c, by=by),
    "answer_distributions": lambda c, k, by: charts.answer_distributions(c, by=by),
    "talk_time": lambda c, k, by: charts.talk_time(c, by=by),
    "status_timing": lambda c, k, by: charts.status_timing(c, by=by),
    "stt_agreement": lambda c, k, by: charts.stt_agreement(k, sessions=c, by=by),
    "candidate_vs_cohort": lambda c, k, by: charts.candidate_vs_cohort(
        c, _first_completed(c), by=by
    ),
    "cohort_comparison": lambda c, k, by: charts.cohort_comparison(c, by=by),
}


@pytest.fixture(params=sorted(CHARTS))
def chart(request) -> Callable[[Cohort, CohortCheck, str | None], go.Figure]:
    return CHARTS[request.param]


def _snapshot(cohort: Cohort, check: CohortCheck) -> dict[str, pd.DataFrame]:
    frames = {part: getattr(cohort, part).copy(deep=True) for part in PARTS}
    frames.update({f"check.{p}": getattr(check, p).copy(deep=True) for p in ("sessions", "turns")})
    return frames


def test_a_new_figure_and_nothing_touched(chart, cohort, check, monkeypatch):
    shown = []
    monkeypatch.setattr(go.Figure, "show", lambda self, *a, **k: shown.append(self))
    template, renderer = pio.templates.default, pio.renderers.default
    before = _snapshot(cohort, check)
    fig = chart(cohort, check, "role_name")
    assert isinstance(fig, go.Figure) and len(fig.data) > 0
    assert not shown, "a chart must not call .show()"
    assert (pio.templates.default, pio.renderers.default) == (template, renderer)
    for name, frame in _snapshot(cohort, check).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
    assert fig.layout.title.text and fig.layout.title.subtitle.text


def test_every_figure_says_how_many_sessions_each_group_holds(chart, cohort, check):
    fig = chart(cohort, check, "role_name")
    text = strings(fig)
    counts = cohort.sessions["role_name"].value_counts()
    if chart is CHARTS["stt_agreement"]:  # only the checked sessions are in its groups
        checked = cohort.sessions[cohort.sessions["session_id"].isin(check.sessions["session_id"])]
        counts = checked["role_name"].value_counts()
    if chart is CHARTS["candidate_vs_cohort"]:  # compared with the candidate's own group
        counts = counts[[_role_of(cohort, _first_completed(cohort))]]
    for role, count in counts.items():
        assert f"{role} (n={count})" in text, role


def _role_of(cohort: Cohort, session_id: str) -> str:
    sessions = cohort.sessions.set_index("session_id")
    return str(sessions.loc[session_id, "role_name"])


def _axis_titles(fig: go.Figure) -> list[str]:
    layout = fig.to_plotly_json()["layout"]
    titles = []
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and axis.get("visible", True) is not False:
            text = (axis.get("title") or {}).get("text")
            if text:
                titles.append(text)
    return titles


# The unit each chart's value axes must carry (a group or category axis needs none).
UNITS = {
    "interview_length": ["(min)"],
    "credits_vs_duration": ["(min)", "Credits"],
    "spend_over_time": ["Credits"],
    "answer_distributions": ["(words)"],
    "talk_time": ["Minutes", "(%)"],
    "status_timing": ["Sessions", "Link to start (", "Start to end ("],
    "stt_agreement": ["(%)", "Times"],
    "candidate_vs_cohort": ["(min)", "(words)", "(s)", "(words/min)", "(%)"],
}


@pytest.mark.parametrize("name", sorted(UNITS))
def test_axis_titles_carry_units(name, cohort, check):
    titles = " | ".join(_axis_titles(CHARTS[name](cohort, check, "role_name")))
    for unit in UNITS[name]:
        assert unit in titles, (unit, titles)


def test_heatmap_and_comparison_name_their_units(cohort):
    heat = charts.answers_heatmap(cohort)
    assert heat.data[-1].colorbar.title.text == "Answer length (words)"
    comparison = charts.cohort_comparison(cohort, by="role_name")
    panels = [a.text for a in comparison.layout.annotations]
    assert "Interview length (min)" in panels and "Speaking rate (words/min)" in panels


def test_hover_names_the_candidate(chart, cohort, check):
    fig = chart(cohort, check, "role_name")
    text = strings(fig)
    sessions = cohort.sessions
    refs = sessions.loc[sessions["status"] == "completed", "candidate_ref"].dropna()
    named = [ref for ref in refs if ref in text]
    assert named, "no candidate named in the figure"
    if chart is not CHARTS["candidate_vs_cohort"]:  # that one shows one group
        shown = set(refs)
        if chart is CHARTS["stt_agreement"]:
            shown = set(
                sessions.loc[
                    sessions["session_id"].isin(check.sessions["session_id"]), "candidate_ref"
                ].dropna()
            )
        assert len(named) >= 0.9 * len(shown), sorted(shown - set(named))


def test_a_group_has_one_colour_in_every_chart(cohort, check):
    wanted = charts.group_colors(sorted(cohort.sessions["role_name"].dropna().unique()))
    for name, chart in CHARTS.items():
        fig = chart(cohort, check, "role_name")
        for trace in fig.data:
            role = next((r for r in wanted if str(trace.name or "").startswith(f"{r} (n=")), None)
            if role is None:
                continue
            colour = trace.marker.color
            assert colour == wanted[role], (name, trace.name, colour)


EMPTY_INPUTS: dict[str, Callable[[], go.Figure]] = {
    "interview_length": lambda: charts.interview_length(empty_frame("sessions")),
    "credits_vs_duration": lambda: charts.credits_vs_duration(empty_frame("sessions")),
    "spend_over_time": lambda: charts.spend_over_time(empty_frame("sessions")),
    "answers_heatmap": lambda: charts.answers_heatmap(empty_frame("answers")),
    "answer_distributions": lambda: charts.answer_distributions(empty_frame("answers")),
    "talk_time": lambda: charts.talk_time(empty_frame("session_summary")),
    "status_timing": lambda: charts.status_timing(empty_frame("sessions"), by="role_name"),
    "stt_agreement": lambda: charts.stt_agreement(
        CohortCheck(
            sessions=pd.DataFrame({"session_id": [], "wer": [], "turns": [], "flagged_turns": []}),
            turns=pd.DataFrame(),
            differences=pd.DataFrame(),
            failures=pd.DataFrame(),
        )
    ),
    "candidate_vs_cohort": lambda: charts.candidate_vs_cohort(
        empty_frame("session_summary"), "ses_x"
    ),
    "cohort_comparison": lambda: charts.cohort_comparison(empty_frame("session_summary")),
}


@pytest.mark.parametrize("name", sorted(EMPTY_INPUTS))
def test_an_empty_frame_says_no_sessions_match(name):
    fig = EMPTY_INPUTS[name]()
    messages = [a.text for a in fig.layout.annotations]
    assert any(m.startswith("No ") for m in messages), messages
    assert not fig.data
    if name != "stt_agreement":
        assert messages == [charts.EMPTY_MESSAGE]


def test_an_empty_cohort_says_no_sessions_match(cohort, check):
    empty = Cohort(**{part: getattr(cohort, part).iloc[:0] for part in PARTS})
    for name, chart in CHARTS.items():
        if name in ("stt_agreement", "candidate_vs_cohort"):
            continue  # they need a check / a session of the cohort
        fig = chart(empty, check, "role_name")
        assert [a.text for a in fig.layout.annotations] == [charts.EMPTY_MESSAGE], name


def test_no_match_after_filtering_is_not_an_error(cohort):
    nobody = cohort.sessions[cohort.sessions["role_name"] == "Astronaut"]
    fig = charts.interview_length(nobody, by="role_name")
    assert fig.layout.annotations[0].text == charts.EMPTY_MESSAGE
