"""Distributions drawn the same way everywhere: a box per group with its points beside it.

Points are plain scatter traces on a numeric axis (group ``i`` at position ``i``, points jittered
around it), so that some of them can be marked (budget hit, ended early, this candidate) and
each names its candidate on hover. Past :data:`WEBGL_FROM` points a trace switches to WebGL;
past :data:`STATS_FROM` values a box is sent as its five numbers instead of every value; and
a panel of :data:`POINTS_UNTIL` values or more shows boxes only (thousands of named points per
panel make a figure of several megabytes and cannot be told apart anyway). That keeps figures
of 5,000 sessions small.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._layout import candidate_names

__all__ = [
    "POINTS_UNTIL",
    "STATS_FROM",
    "WEBGL_FROM",
    "add_distribution",
    "box",
    "boxes_only_note",
    "jitter",
    "scatter_class",
]

WEBGL_FROM = 1_500
STATS_FROM = 1_000
POINTS_UNTIL = 1_500


def boxes_only_note(count: int) -> str:
    return f"{count:,} values per panel: boxes only (hover a box for its numbers)"


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
    # One coordinate array and the position as x0/y0: half the JSON of a repeated position.
    data = {("x" if horizontal else "y"): values.to_numpy(), f"{axis}0": position}
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
) -> bool:
    """A horizontal box per group of ``rows[column] * scale`` with jittered, named points
    (group ``order[i]`` at y = i); NaN values are skipped (the caller counts them). Returns
    whether points were drawn (False past :data:`POINTS_UNTIL` values: boxes only)."""
    where = {"row": subplot[0], "col": subplot[1]} if subplot else {}
    rows = rows[rows[column].notna()]
    points = len(rows) < POINTS_UNTIL
    Scatter = scatter_class(len(rows))
    for index, group in enumerate(order):
        part = rows[rows["group"] == group]
        if part.empty:
            continue
        values = part[column].astype(float) * scale
        color = membership.colors[group]
        label = membership.label(group)
        fig.add_trace(
            box(
                values,
                index,
                name=label,
                color=color,
                horizontal=True,
                showlegend=showlegend and not points,
            ),
            **where,
        )
        if not points:
            continue
        fig.add_trace(
            Scatter(
                x=values,
                y=index + jitter(part["session_id"], 0.22),
                mode="markers",
                name=label,
                legendgroup=label,
                showlegend=showlegend,
                marker={"color": color, "size": 6, "opacity": 0.8},
                customdata=candidate_names(part),
                # The group and unit once in the template, not once per point.
                hovertemplate=f"<b>%{{customdata}}</b><br>{group}<br>%{{x:.4~g}} {unit}"
                "<extra></extra>",
            ),
            **where,
        )
    return points
