"""One candidate against the cohort: where a session stands on the key metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import summary_of
from ._layout import candidate_names, empty_figure, finish
from ._metrics import metric_list, percentile_in
from ._points import add_distribution, boxes_only_note
from .groups import By, Groups

__all__ = ["candidate_vs_cohort"]


def _ordinal(number: float) -> str:
    n = int(round(number))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def candidate_vs_cohort(
    data: Any,
    session_id: str | None = None,
    *,
    by: By = None,
    metrics: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Where one session stands within its group on each key metric (interview length,
    answer length, time to answer, speaking rate, talk share, words), as a percentile.

    Each panel shows the group's distribution (box and points) with the candidate as a star;
    the panel title gives the percentile ("higher than 80% of Data Analyst"). A session in
    several groups is compared with the first of them (by ``by``'s order).

    Args:
        data: a summary frame or ``Cohort``.
        session_id: the session to show (required).
        metrics: summary columns to show instead of the key metrics.

    Raises:
        ValueError: no ``session_id``, or it is not in ``data`` (naming it); unknown metrics.
    """
    if not session_id:
        raise ValueError("candidate_vs_cohort() needs session_id= (the session to show)")
    table = summary_of(data, "candidate_vs_cohort")
    if table.empty:
        return empty_figure("One candidate against the cohort")
    me = table[table["session_id"].astype(str) == str(session_id)]
    if me.empty:
        raise ValueError(
            f"session {session_id!r} is not in the frame given to candidate_vs_cohort()"
        )
    name = candidate_names(me).iloc[0]
    title = f"{name} against the cohort"
    groups = Groups(by, colors=colors).resolve(table)
    mine = groups.pairs.loc[groups.pairs["session_id"] == str(session_id), "group"].tolist()
    if not mine:
        return empty_figure(title, f"Session {session_id} is in none of the groups")
    group = next(g for g in groups.order if g in mine)
    peers = groups.attach(table)
    peers = peers[peers["group"] == group]
    chosen = metric_list(table, metrics, "candidate_vs_cohort")
    titles = []
    for metric in chosen:
        value = me[metric.column].iloc[0]
        rank = percentile_in(peers[metric.column], value)
        titles.append(
            f"{metric.label}: no value"
            if rank != rank
            else f"{metric.label}: ★ {_number(float(value) * metric.scale)} {metric.unit}, "
            f"{_ordinal(rank)} percentile of {group}"
        )
    fig = make_subplots(
        rows=len(chosen),
        cols=1,
        subplot_titles=titles,
        vertical_spacing=0.5 / max(len(chosen), 1),
    )
    boxes_only = False
    for index, metric in enumerate(chosen, start=1):
        boxes_only |= not add_distribution(
            fig,
            peers,
            metric.column,
            groups,
            [group],
            unit=metric.unit,
            scale=metric.scale,
            subplot=(index, 1),
        )
        value = me[metric.column].iloc[0]
        if value == value and value is not None:
            fig.add_trace(
                go.Scatter(
                    x=[float(value) * metric.scale],
                    y=[0],
                    mode="markers",
                    name=name,
                    showlegend=index == 1,
                    legendgroup="me",
                    marker={
                        "symbol": "star",
                        "size": 20,
                        "color": "#111",
                        "line": {"color": "white", "width": 1},
                    },
                    hovertext=f"<b>{name}</b><br>{float(value) * metric.scale:.2f} {metric.unit}",
                    hoverinfo="text",
                ),
                row=index,
                col=1,
            )
        axis_title = f"{metric.label} ({metric.unit})" if metric.unit else metric.label
        fig.update_xaxes(title={"text": axis_title, "font": {"size": 12}}, row=index, col=1)
        fig.update_yaxes(showticklabels=False, row=index, col=1)
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    notes = [
        f"compared with {groups.label(group)}",
        f"session {session_id}",
        boxes_only_note(len(peers)) if boxes_only else None,
    ]
    fig.update_layout(showlegend=False)  # the star is named in every panel title
    return finish(fig, title, notes=notes, height=160 + 150 * len(chosen))
