"""Distributions drawn the same way everywhere: a box per group with its points beside it.

Points are plain scatter traces on a numeric axis (group ``i`` at position ``i``, points jittered
around it), so that some of them can be marked (budget hit, ended early, this candidate) and
each names its candidate on hover. Past :data:`WEBGL_FROM` points a trace switches to WebGL,
and past :data:`STATS_FROM` values a box is sent as its five numbers instead of every value,
which keeps figures of 5,000 sessions small.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._layout import candidate_names

__all__ = ["STATS_FROM", "WEBGL_FROM", "add_distribution", "box", "jitter", "scatter_class"]

WEBGL_FROM = 1_500
STATS_FROM = 2_000


def scatter_class(points: int) -> type[go.Scatter] | type[go.Scattergl]:
    """``go.Scattergl`` for many points (the browser draws them on the GPU), else ``Scatter``."""
    return go.Scattergl if points >= WEBGL_FROM else go.Scatter


def jitter(ids: pd.Series, spread: float = 0.28) -> np.ndarray:
    """A stable offset in ``[-spread, spread]`` per session id (the same every time)."""
    hashed = pd.util.hash_pandas_object(ids.astype(str), index=False).to_numpy()
    return (hashed % 10_007) / 10_006 * 2 * spread - spread


def box(
    values: pd.Series,
    position: float,
    *,
    name: str,
    color: str,
    horizontal: bool,
    legendgroup: str | None = None,
    showlegend: bool = False,
    width: float = 0.5,
) -> go.Box:
    """One box of ``values`` (NaN already removed) at ``position`` on the category axis."""
    common = dict(
        name=name,
        marker={"color": color},
        line={"color": color},
        fillcolor=_faded(color),
        boxpoints=False,
        width=width,
        legendgroup=legendgroup or name,
        showlegend=showlegend,
    )
    if len(values) >= STATS_FROM:
        common["hoverinfo"] = "skip"
    axis = "y" if horizontal else "x"
    if len(values) >= STATS_FROM:
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        iqr = q3 - q1
        low = values[values >= q1 - 1.5 * iqr].min()
        high = values[values <= q3 + 1.5 * iqr].max()
        stats = dict(q1=[q1], median=[median], q3=[q3], lowerfence=[low], upperfence=[high])
        return go.Box(
            **{axis: [position]}, **stats, orientation="h" if horizontal else "v", **common
        )
    data = {("x" if horizontal else "y"): values.to_numpy(), axis: np.full(len(values), position)}
    return go.Box(**data, orientation="h" if horizontal else "v", **common)


def _faded(color: str, alpha: float = 0.18) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def add_distribution(
    fig: go.Figure,
    rows: pd.DataFrame,
    column: str,
    membership: Any,
    order: list[str],
    *,
    unit: str,
    scale: float = 1.0,
    subplot: tuple[int, int] | None = None,
    showlegend: bool = False,
) -> None:
    """A horizontal box per group of ``rows[column] * scale`` with jittered, named points
    (group ``order[i]`` at y = i); NaN values are skipped (the caller counts them)."""
    where = {"row": subplot[0], "col": subplot[1]} if subplot else {}
    rows = rows[rows[column].notna()]
    Scatter = scatter_class(len(rows))
    for index, group in enumerate(order):
        part = rows[rows["group"] == group]
        if part.empty:
            continue
        values = part[column].astype(float) * scale
        color = membership.colors[group]
        label = membership.label(group)
        fig.add_trace(
            box(values, index, name=label, color=color, horizontal=True, showlegend=False), **where
        )
        if len(part) >= STATS_FROM:
            continue  # the box alone: thousands of points would bloat the figure
        names = candidate_names(part)
        fig.add_trace(
            Scatter(
                x=values,
                y=index + jitter(part["session_id"], 0.22),
                mode="markers",
                name=label,
                legendgroup=label,
                showlegend=showlegend,
                marker={"color": color, "size": 6, "opacity": 0.8},
                hovertext="<b>"
                + names
                + "</b><br>"
                + group
                + "<br>"
                + values.round(2).astype(str)
                + f" {unit}",
                hoverinfo="text",
            ),
            **where,
        )
