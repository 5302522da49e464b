"""What interviews cost: each charge against the billing rule, and spend over time.

The rule is the contract's: ``Limits.CREDITS_PER_MINUTE`` credits per started minute
(:func:`zenhire_nb.contract.limits.credits_for`), charged when a session completes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from zenhire_nb.contract.limits import Limits, credits_for

from ._data import needs, session_table
from ._layout import candidate_names, empty_figure, finish, label_of, missing_note, plural
from ._points import scatter_class
from .groups import By, Groups

__all__ = ["billing_step", "credits_vs_duration", "spend_over_time"]

_PERIODS = {"day": "D", "week": "W-SUN", "month": "M"}


def billing_step(max_minutes: float) -> tuple[list[float], list[int]]:
    """The billing rule as a step line up to ``max_minutes``: x in minutes, y in credits
    (draw with ``line_shape="hv"``: each started minute costs ``CREDITS_PER_MINUTE``)."""
    minutes = list(range(0, max(1, math.ceil(max_minutes)) + 1))
    return [float(m) for m in minutes], [credits_for(60 * m + 1) for m in minutes]


def _seconds(table: pd.DataFrame) -> pd.Series:
    if "duration_sec" in table.columns:
        return table["duration_sec"].astype("Float64")
    return (table["duration_min"] * 60).round().astype("Float64")


def _charged(table: pd.DataFrame) -> pd.DataFrame:
    """Completed sessions with a duration and a charge, with the rule's price."""
    done = table[table["status"].eq("completed").fillna(False).astype(bool)].copy()
    done["seconds"] = _seconds(done)
    done = done[done["seconds"].notna() & done["credit_charged"].notna()].copy()
    done["minutes"] = done["seconds"].astype(float) / 60
    done["credits"] = done["credit_charged"].astype(float)
    done["rule"] = [credits_for(int(s)) for s in done["seconds"]]
    done["off_rule"] = done["credits"] != done["rule"]
    return done


def _failed_spend(table: pd.DataFrame) -> str | None:
    failed = table[table["status"].isin(["failed", "initiated", "active"]).fillna(False)]
    paid = failed["credit_charged"].fillna(0).astype(float)
    if (paid > 0).any():
        return f"{int((paid > 0).sum())} sessions not completed were charged {paid.sum():g} credits"
    return "no credits charged for failed or unfinished sessions" if len(failed) else None


def credits_vs_duration(
    data: Any, *, by: By = None, colors: Mapping[str, str] | None = None
) -> go.Figure:
    """Credits charged against interview length, one point per completed session, over the
    billing step (5 credits per started minute). A charge that does not match the rule is
    circled in red and counted; legends give each group's total and mean spend.

    Args:
        data: a sessions or summary frame (``status``, ``duration_min`` or ``duration_sec``,
            ``credit_charged``), or a ``Cohort``.
        by, colors: grouping and colours (see :mod:`zenhire_nb.charts.groups`).

    Raises:
        ValueError: a needed column is missing, or ``by`` names an unknown column.
    """
    title = "Credits against interview length"
    table = session_table(data, "credits_vs_duration")
    if table.empty:
        return empty_figure(title)
    needs(table, ("status", "duration_min", "credit_charged"), "credits_vs_duration")
    completed = table["status"].eq("completed").fillna(False).astype(bool)
    done = _charged(table)
    missing = int(completed.sum()) - len(done)
    if done.empty:
        return empty_figure(title, "No completed session with a charge")
    groups = Groups(by, colors=colors).resolve(table)
    rows = groups.attach(done)
    fig = go.Figure()
    step_x, step_y = billing_step(rows["minutes"].max())
    fig.add_trace(
        go.Scatter(
            x=step_x,
            y=step_y,
            mode="lines",
            line_shape="hv",
            name=f"Billing rule ({Limits.CREDITS_PER_MINUTE} credits per started minute)",
            line={"color": "#888", "dash": "dot", "width": 2},
            hoverinfo="skip",
        )
    )
    names = candidate_names(rows)
    rows["hover"] = (
        "<b>"
        + names
        + "</b><br>"
        + rows["minutes"].round(2).astype(str)
        + " min ("
        + rows["seconds"].astype(int).astype(str)
        + " s)<br>charged "
        + rows["credits"].astype(int).astype(str)
        + " credits, rule says "
        + rows["rule"].astype(str)
    )
    Scatter = scatter_class(len(rows))
    for group in [g for g in groups.order if g in set(rows["group"])]:
        part = rows[rows["group"] == group]
        spend = (
            f"{groups.label(group)} · total {part['credits'].sum():,.0f}, "
            f"mean {part['credits'].mean():,.1f} credits"
        )
        fig.add_trace(
            Scatter(
                x=part["minutes"],
                y=part["credits"],
                mode="markers",
                name=spend,
                marker={"color": groups.colors[group], "size": 8, "opacity": 0.85},
                hovertext=part["hover"],
                hoverinfo="text",
            )
        )
    off = rows.drop_duplicates("session_id")
    off = off[off["off_rule"]]
    if len(off):
        fig.add_trace(
            go.Scatter(
                x=off["minutes"],
                y=off["credits"],
                mode="markers",
                name="Charge off the rule",
                marker={
                    "symbol": "circle-open",
                    "size": 18,
                    "color": "#C0392B",
                    "line": {"width": 2.5},
                },
                hovertext=off["hover"],
                hoverinfo="text",
            )
        )
    notes = [
        plural(len(done), "completed session"),
        f"{len(off)} charges off the rule" if len(off) else "every charge matches the rule",
        missing_note(missing, "a duration or charge"),
        _failed_spend(table),
    ]
    fig.update_xaxes(title=label_of("duration_min"), rangemode="tozero", dtick=1)
    fig.update_yaxes(title=label_of("credit_charged"), rangemode="tozero")
    fig.update_layout(legend={"orientation": "v"})
    return finish(fig, title, notes=notes, height=520)


def _period_start(times: pd.Series, period: str) -> pd.Series:
    naive = times.dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.dt.to_period(_PERIODS[period]).dt.start_time


def spend_over_time(
    data: Any,
    *,
    by: By = None,
    period: str = "week",
    client: Any = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Credits charged per day, week or month, stacked by group, by completion time (when the
    platform charges). With ``client``, the running balance is drawn on a second axis.

    The balance is reconstructed backwards from ``client.credits().balance`` (today) by adding
    back later charges; top-ups are not known to the API, so before a top-up the line reads
    too high.

    Args:
        data: a sessions frame or ``Cohort`` (``completed_at``, ``credit_charged``).
        period: ``"day"``, ``"week"`` or ``"month"``.
        client: a ``zenhire_nb.Client`` (one ``GET /credits`` request), or None.

    Raises:
        ValueError: a bad ``period``, a missing column, or ``by`` naming an unknown column.
        ZenHireError: the balance request failed (only with ``client``).
    """
    if period not in _PERIODS:
        raise ValueError(f"period must be one of {', '.join(_PERIODS)}, got {period!r}")
    title = f"Credits spent per {period}"
    table = session_table(data, "spend_over_time")
    if table.empty:
        return empty_figure(title)
    time_column = "completed_at" if "completed_at" in table.columns else "created_at"
    needs(table, (time_column, "credit_charged"), "spend_over_time")
    charged = table[table["credit_charged"].fillna(0).astype(float) > 0]
    undated = int(charged[time_column].isna().sum())
    charged = charged[charged[time_column].notna()].copy()
    if charged.empty:
        return empty_figure(title, "No credits charged in these sessions")
    charged["period"] = _period_start(charged[time_column], period)
    charged["credits"] = charged["credit_charged"].astype(float)
    groups = Groups(by, colors=colors).resolve(table)
    rows = groups.attach(charged)
    periods = pd.date_range(
        charged["period"].min(),
        charged["period"].max(),
        freq=_PERIODS[period].replace("M", "MS")
        if period == "month"
        else ("7D" if period == "week" else "D"),
    )
    fig = make_subplots(specs=[[{"secondary_y": client is not None}]])
    rows = rows.assign(name=candidate_names(rows))
    for group in [g for g in groups.order if g in set(rows["group"])]:
        part = rows[rows["group"] == group]
        per_period = part.groupby("period")
        sums = per_period["credits"].sum().reindex(periods, fill_value=0)
        counts = per_period["session_id"].nunique().reindex(periods, fill_value=0)
        who = per_period["name"].agg(_some_names).reindex(periods, fill_value="")
        fig.add_trace(
            go.Bar(
                x=periods,
                y=sums.to_numpy(),
                name=groups.label(group),
                marker={"color": groups.colors[group]},
                customdata=list(zip(counts.to_numpy().tolist(), who.tolist(), strict=True)),
                hovertemplate=f"<b>{group}</b><br>{period} of %{{x|%Y-%m-%d}}<br>"
                "%{y:,.0f} credits, %{customdata[0]} sessions<br>%{customdata[1]}"
                "<extra></extra>",
            ),
            secondary_y=False,
        )
    notes = [
        f"{charged['credits'].sum():,.0f} credits over {plural(len(charged), 'session')}",
        f"{undated} charged sessions without a {time_column} not shown" if undated else None,
    ]
    if groups.pairs["session_id"].duplicated().any():
        notes.append("sessions in several groups count in each")
    if client is not None:
        _add_balance(fig, charged, periods, period, client)
    fig.update_layout(barmode="stack", bargap=0.15)
    # One tick per period, labelled by its first day: left to itself plotly zooms a single
    # period down to sub-second ticks ("23:59:59.9996").
    day_ms = 86_400_000
    fig.update_xaxes(
        title=f"{period.capitalize()} (UTC, by completion)",
        type="date",
        tickformat="%Y-%m-%d" if period != "month" else "%b %Y",
        tick0=periods[0] if len(periods) else None,
        dtick={"day": day_ms, "week": 7 * day_ms, "month": "M1"}[period],
    )
    fig.update_yaxes(title="Credits charged", secondary_y=False)
    return finish(fig, title, notes=notes, height=480)


def _some_names(names: pd.Series, shown: int = 6) -> str:
    """The candidates of one bar for its hover: a few names, then how many more."""
    unique = list(dict.fromkeys(names))
    text = ", ".join(unique[:shown])
    return text + (f" and {len(unique) - shown:,} more" if len(unique) > shown else "")


def _add_balance(
    fig: go.Figure, charged: pd.DataFrame, periods: pd.DatetimeIndex, period: str, client: Any
) -> None:
    balance_now = float(client.credits().balance)
    per_period = charged.groupby("period")["credits"].sum().reindex(periods, fill_value=0)
    # Balance at the end of a period = today's balance + everything charged after it.
    after = per_period[::-1].cumsum()[::-1].shift(-1, fill_value=0)
    later = float(charged.loc[charged["period"] > periods[-1], "credits"].sum())
    balance = balance_now + after.to_numpy() + later
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=balance,
            mode="lines+markers",
            name=f"Balance at end of {period} (credits)",
            line={"color": "#222", "width": 2},
            hovertemplate="balance %{y:,.0f} credits<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.update_yaxes(
        title="Balance (credits)", secondary_y=True, showgrid=False, rangemode="tozero"
    )
