"""Cohort comparison: small multiples of the key metrics for two or more groups."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import summary_of
from ._layout import empty_figure, finish, plural
from ._metrics import metric_list
from ._points import add_distribution, boxes_only_note
from .groups import By, Groups

__all__ = ["MIN_GROUP", "cohort_comparison"]

MIN_GROUP = 5  # below this many sessions, a group's median says little


def _small_note(groups: Any, order: list[str], min_group: int) -> str | None:
    small = [g for g in order if groups.counts[g] < min_group]
    if not small:
        return None
    listed = ", ".join(groups.label(g) for g in small)
    return f"too few sessions to compare (under {min_group}): {listed}"


def cohort_comparison(
    data: Any,
    *,
    by: By = None,
    metrics: Sequence[str] | None = None,
    min_group: int = MIN_GROUP,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Small multiples: one panel per metric, one box per group with its sessions as points,
    its median written beside it and its size in the axis labels. Groups with fewer than
    ``min_group`` sessions are named in a plain-language note.

    Args:
        data: a summary frame or ``Cohort``.
        by: the groups to compare (two or more make sense; None shows the whole cohort).
        metrics: summary columns to compare instead of the key metrics.

    Raises:
        ValueError: unknown metrics, or ``by`` names an unknown column.
    """
    title = "Cohort comparison"
    table = summary_of(data, "cohort_comparison")
    if table.empty:
        return empty_figure(title)
    chosen = metric_list(table, metrics, "cohort_comparison")
    groups = Groups(by, colors=colors).resolve(table)
    rows = groups.attach(table)
    order = groups.order
    columns = 2 if len(chosen) > 1 else 1
    lines = math.ceil(len(chosen) / columns)
    fig = make_subplots(
        rows=lines,
        cols=columns,
        shared_yaxes=True,
        subplot_titles=[f"{m.label} ({m.unit})" for m in chosen],
        horizontal_spacing=0.06,
        vertical_spacing=0.32 / max(lines, 1),
    )
    missing_counts = []
    boxes_only = False
    for index, metric in enumerate(chosen):
        where = (index // columns + 1, index % columns + 1)
        boxes_only |= not add_distribution(
            fig,
            rows,
            metric.column,
            groups,
            order,
            unit=metric.unit,
            scale=metric.scale,
            subplot=where,
            showlegend=index == 0,
        )
        _medians(fig, rows, metric, order, where)
        fig.update_xaxes(rangemode="tozero", row=where[0], col=where[1])
        absent = rows.loc[rows[metric.column].isna(), "session_id"].nunique()
        if absent:
            missing_counts.append(f"{metric.label.lower()}: {absent}")
    fig.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[groups.label(g) for g in order],
        autorange="reversed",
    )
    notes = [
        plural(rows["session_id"].nunique(), "session") + f" in {len(order)} groups",
        _small_note(groups, order, min_group),
        "no value (not plotted): " + ", ".join(missing_counts) if missing_counts else None,
        None if by is not None else "pass by= to compare groups",
        boxes_only_note(len(rows)) if boxes_only else None,
    ]
    fig.update_annotations(font={"size": 13})
    return finish(
        fig,
        f"{title} by {groups.title.lower()}" if by is not None else title,
        notes=notes,
        height=140 + lines * (70 + 45 * len(order)),
    )


def _medians(
    fig: go.Figure, rows: Any, metric: Any, order: list[str], where: tuple[int, int]
) -> None:
    medians = rows.groupby("group")[metric.column].median() * metric.scale
    xs = [medians.get(g) for g in order]
    keep = [(x, i) for i, x in enumerate(xs) if x is not None and x == x]
    if not keep:
        return
    # Written just above each box, starting at its median (never cut at the axis' left end).
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in keep],
            y=[i - 0.3 for _, i in keep],
            mode="text",
            text=[f"median {x:,.0f}" if abs(x) >= 100 else f"median {x:.3g}" for x, _ in keep],
            textposition="top right",
            textfont={"size": 11, "color": "#333"},
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        ),
        row=where[0],
        col=where[1],
    )
