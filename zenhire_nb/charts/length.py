"""Interview length per group, against the 90-minute budget."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from zenhire_nb.contract.limits import Limits

from ._data import needs, session_table
from ._layout import candidate_names, empty_figure, finish, label_of, missing_note, plural
from ._points import box, jitter, scatter_class
from .groups import By, Groups

__all__ = ["interview_length"]

BUDGET_MIN = Limits.MAX_INTERVIEW_SEC / 60
# A completed interview shorter than this share of its group's median "ended early".
EARLY_SHARE = 0.5
# The budget line is drawn when the longest interview reaches this share of it; otherwise it
# would squash every box against the left edge, and the subtitle says how far off it is.
BUDGET_IN_VIEW = 0.4


def _flags(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(hit the budget, ended early) per row."""
    seconds = rows["duration_min"] * 60
    hit = seconds >= Limits.MAX_INTERVIEW_SEC
    median = rows.groupby("group")["duration_min"].transform("median")
    failed = rows["status"].eq("failed").fillna(False) if "status" in rows else False
    early = (failed | (rows["duration_min"] < EARLY_SHARE * median)) & ~hit
    return hit.astype(bool), pd.Series(early, index=rows.index).astype(bool)


def _hover(rows: pd.DataFrame) -> pd.Series:
    status = (
        rows["status"].astype(object).fillna("?")
        if "status" in rows
        else pd.Series("?", index=rows.index)
    )
    return (
        "<b>"
        + candidate_names(rows)
        + "</b><br>"
        + rows["group"].astype(str)
        + "<br>"
        + rows["duration_min"].round(2).astype(str)
        + " min"
        + "<br>status: "
        + status.astype(str)
    )


def interview_length(
    data: Any,
    *,
    by: By = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Interview length per group: a box per group with every session as a point.

    The box of a group covers its sessions that did not fail. Sessions that hit the 90-minute
    budget (``Limits.MAX_INTERVIEW_SEC``) are marked with a
    triangle, sessions that ended early (failed, or completed in under half their group's
    median length) with a cross. Sessions without a duration are left out and counted.

    Args:
        data: a sessions or summary frame, or a ``Cohort``.
        by: how sessions are grouped (see :mod:`zenhire_nb.charts.groups`).
        colors: ``{group: colour}`` overriding the stable palette.

    Raises:
        ValueError: the frame has no ``duration_min`` column, or ``by`` names an unknown column.
    """
    title = "Interview length"
    table = session_table(data, "interview_length")
    if table.empty:
        return empty_figure(title)
    needs(table, ("duration_min",), "interview_length")
    groups = Groups(by, colors=colors).resolve(table)
    rows = groups.attach(table)
    missing = rows.loc[rows["duration_min"].isna(), "session_id"].nunique()
    rows = rows[rows["duration_min"].notna()].reset_index(drop=True)
    if rows.empty:
        return empty_figure(title, "No session has a duration yet")
    rows = rows.assign(duration_min=rows["duration_min"].astype(float))
    hit, early = _flags(rows)
    fig = go.Figure()
    order = [g for g in groups.order if g in set(rows["group"])]
    position = {g: i for i, g in enumerate(order)}
    rows["y"] = rows["group"].map(position).astype(float) + jitter(rows["session_id"])
    rows["hover"] = _hover(rows)
    Scatter = scatter_class(len(rows))
    for group in order:
        part = rows[rows["group"] == group]
        color = groups.colors[group]
        # The box describes the interviews that ran their course; failed ones are crosses.
        finished = (
            part[~part["status"].eq("failed").fillna(False).astype(bool)]
            if "status" in part
            else part
        )
        fig.add_trace(
            box(
                finished["duration_min"],
                position[group],
                name=groups.label(group),
                color=color,
                horizontal=True,
            )
        )
        plain = part[~(hit | early)[part.index]]
        fig.add_trace(
            Scatter(
                x=plain["duration_min"],
                y=plain["y"],
                mode="markers",
                name=groups.label(group),
                legendgroup=groups.label(group),
                marker={"color": color, "size": 7, "opacity": 0.8},
                hovertext=plain["hover"],
                hoverinfo="text",
            )
        )
    for mask, name, symbol in (
        (hit, "Hit the 90-min budget", "triangle-up"),
        (early, "Ended early", "x"),
    ):
        marked = rows[mask]
        if len(marked):
            fig.add_trace(
                Scatter(
                    x=marked["duration_min"],
                    y=marked["y"],
                    mode="markers",
                    name=name,
                    marker={
                        "color": marked["group"].map(groups.colors),
                        "size": 11,
                        "symbol": symbol,
                        "line": {"color": "#222", "width": 1.5},
                    },
                    hovertext=marked["hover"] + f"<br><i>{name.lower()}</i>",
                    hoverinfo="text",
                )
            )
    longest = rows["duration_min"].max()
    notes = [plural(rows["session_id"].nunique(), "session"), missing_note(missing, "a duration")]
    if longest >= BUDGET_IN_VIEW * BUDGET_MIN:
        fig.add_vline(
            x=BUDGET_MIN,
            line={"color": "#C0392B", "dash": "dash"},
            annotation_text=f"{BUDGET_MIN:g}-min budget",
            annotation_position="top",
        )
    else:
        notes.append(f"longest {longest:.1f} min, far under the {BUDGET_MIN:g}-min budget")
    notes += [
        f"{int(hit.sum())} hit the budget" if hit.any() else None,
        f"{int(early.sum())} ended early" if early.any() else None,
    ]
    fig.update_xaxes(title=label_of("duration_min"), rangemode="tozero")
    fig.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=[groups.label(g) for g in order],
        title=groups.title,
        autorange="reversed",
        zeroline=False,
    )
    fig.update_layout(showlegend=bool(hit.any() or early.any()))
    heading = f"{title} by {groups.title.lower()}" if by is not None else title
    return finish(fig, heading, notes=notes, height=max(320, 140 + 70 * len(order)))
