"""Credits against duration and spend over time: the numbers drawn are the frame's."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb import charts
from zenhire_nb.charts.billing import billing_step
from zenhire_nb.contract.limits import Limits


@pytest.fixture
def billed(make_sessions):
    return make_sessions(
        [
            {
                "duration_sec": 59,
                "credit_charged": 5,
                "candidate_ref": "ats-1",
                "completed_at": "2026-11-02T10:00:00Z",
            },
            {"duration_sec": 61, "credit_charged": 10, "completed_at": "2026-11-03T10:00:00Z"},
            {
                "duration_sec": 125,
                "credit_charged": 10,
                "role_name": "Role B",  # off: 15
                "candidate_ref": "ats-3",
                "completed_at": "2026-11-10T10:00:00Z",
            },
            {"duration_sec": None, "credit_charged": None},  # no duration: counted
            {
                "status": "failed",
                "duration_sec": 30,
                "credit_charged": 5,
                "completed_at": "2026-11-10T11:00:00Z",
            },
        ]
    )


def test_the_billing_step_is_five_credits_per_started_minute():
    x, y = billing_step(3.2)
    assert x == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert y == [5 * (m + 1) for m in range(5)] and Limits.CREDITS_PER_MINUTE == 5


def test_points_are_the_completed_charges_and_the_off_rule_one_stands_out(billed):
    fig = charts.credits_vs_duration(billed, by="role_name")
    rule, group_a, group_b, off = fig.data
    assert rule.line.shape == "hv" and "5 credits per started minute" in rule.name
    assert list(group_a.y) == [5, 10] and list(group_b.y) == [10]
    assert list(group_a.x) == pytest.approx([59 / 60, 61 / 60])
    assert off.name == "Charge off the rule" and list(off.y) == [10]
    assert "rule says 15" in off.hovertext[0] and "ats-3" in off.hovertext[0]
    assert group_a.name.startswith("Role A (n=4)") and "total 15, mean 7.5 credits" in group_a.name
    subtitle = fig.layout.title.subtitle.text
    assert "1 charges off the rule" in subtitle
    assert "1 session without a duration or charge not shown" in subtitle
    assert "1 sessions not completed were charged 5 credits" in subtitle
    assert fig.layout.xaxis.title.text == "Interview length (min)"
    assert fig.layout.yaxis.title.text == "Credits"


def test_hover_names_the_candidate_else_the_session(billed):
    fig = charts.credits_vs_duration(billed)
    hover = list(fig.data[1].hovertext)
    assert hover[0].startswith("<b>ats-1</b>") and hover[1].startswith("<b>ses_1</b>")


def test_spend_per_week_stacks_the_groups(billed):
    fig = charts.spend_over_time(billed, by="role_name", period="week")
    bars = {trace.name: trace for trace in fig.data}
    a, b = bars["Role A (n=4)"], bars["Role B (n=1)"]
    weeks = [pd.Timestamp(x).strftime("%Y-%m-%d") for x in a.x]
    assert weeks == ["2026-11-02", "2026-11-09"]
    assert list(a.y) == [15, 5] and list(b.y) == [0, 10]  # the failed one's charge counts
    assert fig.layout.barmode == "stack"
    with pytest.raises(ValueError, match="period must be one of"):
        charts.spend_over_time(billed, period="year")


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_spend_in_one_period_is_labelled_by_its_date_not_by_milliseconds(make_sessions, period):
    one = make_sessions(
        [{"duration_sec": 59, "credit_charged": 5, "completed_at": "2026-11-02T10:00:00Z"}]
    )
    axis = charts.spend_over_time(one, period=period).layout.xaxis
    assert axis.type == "date" and axis.dtick is not None
    assert "%S" not in axis.tickformat and "%Y" in axis.tickformat


def test_spend_with_a_client_draws_the_balance(billed, zenhire_tenant):
    with zenhire_tenant.client() as client:
        balance_now = client.credits().balance
        fig = charts.spend_over_time(billed, client=client, period="week")
    line = fig.data[-1]
    assert line.name.startswith("Balance")
    # Going back in time, later charges are added back: 10 credits after the first week.
    assert list(line.y) == [balance_now + 15, balance_now]
