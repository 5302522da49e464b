"""The cohort dashboard: groups, loading with progress, charts from chart functions, STT check."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from zenhire_nb.frames import CohortQuery
from zenhire_nb.widgets import CohortDashboard

from .conftest import wait_for

CALLS = []


def durations(cohort, *, by=None):
    """A chart like the charts part's: one bar per group."""
    CALLS.append(sorted(by))
    figure = go.Figure()
    for name, query in by.items():
        sessions = cohort.sessions[query.mask(cohort.sessions)]
        figure.add_bar(name=name, x=[name], y=[sessions["duration_sec"].astype(float).mean()])
    return figure.update_layout(title="Interview length")


def broken(cohort, *, by=None):
    raise ValueError("needs a column it does not have")


def finished(dashboard, run):
    assert run is not None and run.wait(60)
    wait_for(lambda: not dashboard.load_button.disabled)


def test_groups_by_persona_load_and_draw(client, persona, completed):
    completed(2, tags=["a"])
    other = client.personas.create(role_name="Engineer", language="en")
    sid = client.sessions.create(other.id, consent_mode="integrator", candidate_ref="e-1").id

    dashboard = CohortDashboard(client, charts=[durations, broken], recordings=False)
    assert sorted(label for label, _ in dashboard.choices.options) == [
        f"Data Analyst ({persona.id[:8]})",
        f"Engineer ({other.id[:8]})",
    ]
    dashboard.choices.value = (persona.id, other.id)
    finished(dashboard, dashboard.load())
    assert sorted(dashboard.groups) == ["Data Analyst", "Engineer"]
    assert dashboard.load_task.status.value == "Loading groups: 2/2 finished"
    assert "Completed sessions" in dashboard.summary.value
    chart, failed = dashboard.chart_area.children
    [figure] = chart.children
    assert [trace.name for trace in figure.data] == ["Data Analyst", "Engineer"]
    assert "chart &#x27;broken&#x27; could not be drawn: needs a column" in failed.value
    assert len(dashboard.cohort.sessions) == 2 and sid not in set(
        dashboard.cohort.sessions["session_id"]
    )
    assert not dashboard.check_button.disabled


def test_saved_queries_tags_and_bad_input(client, persona, completed):
    completed(2, tags=["x"])
    saved = {"all of x": CohortQuery(tags=["x"])}
    dashboard = CohortDashboard(client, queries=saved, charts=[durations], recordings=False)
    dashboard.kind.value = "saved"
    assert list(dashboard.choices.options) == ["all of x"]
    dashboard.choices.value = ("all of x",)
    finished(dashboard, dashboard.load())
    assert CALLS[-1] == ["all of x"]

    dashboard.kind.value = "tag"
    dashboard.values.value = ""
    assert dashboard.load() is None
    assert "choose at least one group" in dashboard.group_messages.value
    dashboard.kind.value = "dates"
    dashboard.ranges.value = "2026-01-01"
    dashboard.load()
    assert "write from..to" in dashboard.group_messages.value
    dashboard.kind.value = "metadata"
    dashboard.values.value = "a"
    dashboard.load()
    assert "enter the metadata key" in dashboard.group_messages.value


def test_without_chart_functions_says_what_to_install(client, completed):
    completed(1, tags=["y"])
    dashboard = CohortDashboard(client, charts=[], recordings=False)
    dashboard.kind.value = "tag"
    dashboard.values.value = "y"
    finished(dashboard, dashboard.load())
    [note] = dashboard.chart_area.children
    assert "install the charts part" in note.value


def test_a_failed_group_is_listed_and_retried(client, completed, zenhire_sandbox):
    completed(1, tags=["z"])
    dashboard = CohortDashboard(client, charts=[durations], recordings=False)
    dashboard.kind.value = "tag"
    dashboard.values.value = "z"
    zenhire_sandbox.set_faults(["list_sessions:500=1"])
    try:
        finished(dashboard, dashboard.load())
    finally:
        zenhire_sandbox.set_faults([])
    assert "1 not done" in dashboard.load_task.failures.value
    assert "group &#x27;z&#x27;" in dashboard.load_task.failures.value
    assert not dashboard.load_task.retry_button.disabled
    dashboard.load_task.retry_button.click()
    finished(dashboard, dashboard.load_task.run)
    assert dashboard.load_task.failures.value == ""
    assert len(dashboard.chart_area.children) == 1


@pytest.mark.stt
@pytest.mark.slow
def test_stt_check_from_the_button(client, completed):
    completed(1, tags=["stt"], minutes=0.3)
    dashboard = CohortDashboard(client, charts=[durations], recordings=True)
    dashboard.kind.value = "tag"
    dashboard.values.value = "stt"
    finished(dashboard, dashboard.load())
    run = dashboard.run_check()
    assert run is not None and run.wait(240)
    wait_for(lambda: "Speech-to-text check" in dashboard.check_summary.value)
    assert dashboard.check_task.status.value == "STT check: 1/1 finished"
    assert len(dashboard.check) == 1
