"""Where sessions stand (initiated, active, completed, failed and why) and how long they take
from link to start and from start to the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import needs, session_table
from ._layout import empty_figure, finish, plural
from ._points import add_distribution, boxes_only_note
from .groups import By, Groups
from .palette import STATUS_COLORS

__all__ = ["status_timing", "time_unit"]

_STATUSES = ("initiated", "active", "completed")
_FAILED_SHADES = ("#C0392B", "#E74C3C", "#922B21", "#F1948A", "#641E16")


def time_unit(seconds: pd.Series) -> tuple[str, float]:
    """A readable unit for durations like ``seconds``: ``("s", 1)``, ``("min", 1/60)`` or
    ``("h", 1/3600)``, chosen from their median."""
    median = seconds.median()
    if pd.isna(median) or median < 120:
        return "s", 1.0
    if median < 3 * 3600:
        return "min", 1 / 60
    return "h", 1 / 3600


def _status_labels(table: pd.DataFrame) -> pd.Series:
    status = table["status"].astype(object).fillna("unknown").map(str)
    if "error_code" in table:
        code = table["error_code"].astype(object).fillna("no code").map(str)
        status = status.where(status != "failed", "failed: " + code)
    return status


def status_timing(
    data: Any, *, by: By = None, colors: Mapping[str, str] | None = None
) -> go.Figure:
    """How many sessions of each group are initiated, active, completed or failed (with the
    failure code), and per group the time from link to start (``started_at - created_at``)
    and from start to end (``completed_at - started_at``). Sessions that have not reached a
    step are counted in the subtitle, not plotted as zero.

    Args:
        data: a sessions frame or ``Cohort`` (``status``, ``created_at``, ``started_at``,
            ``completed_at``; ``error_code`` when present).

    Raises:
        ValueError: needed columns missing, or ``by`` names an unknown column.
    """
    title = "Session status and timing"
    table = session_table(data, "status_timing")
    if table.empty:
        return empty_figure(title)
    needs(table, ("status", "created_at", "started_at", "completed_at"), "status_timing")
    groups = Groups(by, colors=colors).resolve(table)
    rows = groups.attach(table)
    rows["state"] = _status_labels(rows)
    rows["to_start"] = (rows["started_at"] - rows["created_at"]).dt.total_seconds()
    rows["to_end"] = (rows["completed_at"] - rows["started_at"]).dt.total_seconds()
    order = [g for g in groups.order if g in set(rows["group"])]
    fig = make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("Sessions by status", "Link to start", "Start to end"),
    )
    _status_bars(fig, rows, order, groups)
    notes = [plural(table["session_id"].nunique(), "session")]
    for column, col, what in (("to_start", 2, "started"), ("to_end", 3, "ended")):
        unit, scale = time_unit(rows[column].dropna())
        drawn = add_distribution(
            fig, rows, column, groups, order, unit=unit, scale=scale, subplot=(1, col)
        )
        if not drawn and col == 2:
            notes.append(boxes_only_note(int(rows[column].notna().sum())))
        label = "Link to start" if column == "to_start" else "Start to end"
        fig.update_xaxes(title=f"{label} ({unit})", rangemode="tozero", row=1, col=col)
        waiting = rows.loc[rows[column].isna(), "session_id"].nunique()
        if waiting:
            notes.append(f"{waiting} not {what} yet")
    fig.update_xaxes(title="Sessions", row=1, col=1)
    fig.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[groups.label(g) for g in order],
        autorange="reversed",
        row=1,
        col=1,
    )
    fig.update_layout(barmode="stack", legend={"title": {"text": "Status"}, "traceorder": "normal"})
    return finish(fig, title, notes=notes, height=max(360, 170 + 70 * len(order)))


def _status_bars(fig: go.Figure, rows: pd.DataFrame, order: list[str], groups: Any) -> None:
    counts = rows.groupby(["state", "group"])["session_id"].nunique().unstack(fill_value=0)
    failed = sorted(s for s in counts.index if s.startswith("failed"))
    states = [s for s in _STATUSES if s in counts.index] + failed
    states += sorted(set(counts.index) - set(states))
    for state in states:
        shade = STATUS_COLORS.get(state) or (
            _FAILED_SHADES[failed.index(state) % len(_FAILED_SHADES)]
            if state in failed
            else "#BBBBBB"
        )
        values = counts.loc[state].reindex(order, fill_value=0)
        fig.add_trace(
            go.Bar(
                y=list(range(len(order))),
                x=values.to_numpy(),
                orientation="h",
                name=state,
                marker={"color": shade},
                customdata=order,
                hovertemplate="%{customdata}<br>" + state + ": %{x}<extra></extra>",
            ),
            row=1,
            col=1,
        )
