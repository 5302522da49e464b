"""Talk time: who spoke how long in each interview, and the candidates who barely spoke."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import groups_table, needs, summary_of
from ._layout import candidate_names, empty_figure, finish, missing_note, plural
from ._points import scatter_class
from .groups import By, Groups

__all__ = ["talk_time"]

_SPEAKERS = (
    ("interviewer_speaking_sec", "Interviewer", "#8FA7C0"),
    ("candidate_speaking_sec", "Candidate", "#2B5C8A"),
    ("silence_sec", "Silence", "#E3E3E3"),
)


def _with_silence(summary: pd.DataFrame) -> pd.DataFrame:
    """Adds ``length_sec`` (the recording, else the reported duration) and ``silence_sec``
    (what neither speaker's turns cover, never below zero)."""
    length = pd.Series(np.nan, index=summary.index)
    if "recording_duration_sec" in summary:
        length = summary["recording_duration_sec"].astype(float)
    if "duration_min" in summary:
        length = length.fillna(summary["duration_min"].astype(float) * 60)
    spoken = summary["interviewer_speaking_sec"] + summary["candidate_speaking_sec"]
    return summary.assign(length_sec=length, silence_sec=(length - spoken).clip(lower=0))


def talk_time(
    data: Any,
    *,
    by: By = None,
    sessions: Any = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Per session: interviewer and candidate speaking time and silence (stacked, minutes),
    sorted by talk ratio (the candidate's share of speech), which the lower panel shows per
    session in its group's colour with the cohort's median drawn in.

    Args:
        data: a summary frame, a turns frame (summarised here) or a ``Cohort``.
        sessions: a sessions frame or ``Cohort`` to resolve ``by`` on (tags, metadata, ...).

    Raises:
        ValueError: needed columns missing, or ``by`` names an unknown column.
    """
    title = "Talk time per interview"
    summary = summary_of(data, "talk_time")
    if summary.empty:
        return empty_figure(title)
    needs(
        summary, ("interviewer_speaking_sec", "candidate_speaking_sec", "talk_ratio"), "talk_time"
    )
    groups = Groups(by, colors=colors).resolve(groups_table(data, sessions, "talk_time"))
    table = _with_silence(summary)
    has_speech = (
        table["talk_ratio"].notna() & table["n_turns"].gt(0)
        if "n_turns" in table
        else table["talk_ratio"].notna()
    )
    missing = int((~has_speech).sum())
    table = table[has_speech].sort_values("talk_ratio", kind="stable")
    if table.empty:
        return empty_figure(title, "No session has a transcript with speech")
    table = table.assign(name=candidate_names(table))
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.04
    )
    # Sessions sit at positions 0..n-1 (sorted), not at their ids: 5,000 ids repeated in four
    # traces would make the figure several times larger.
    order = np.arange(len(table))
    table = table.assign(position=order)
    for column, name, color in _SPEAKERS:
        minutes = table[column].astype(float) / 60
        fig.add_trace(
            go.Bar(
                x=order,
                y=minutes,
                name=name,
                marker={"color": color},
                customdata=table["name"],
                hovertemplate="<b>%{customdata}</b><br>" + name + ": %{y:.2f} min<extra></extra>",
            ),
            row=1,
            col=1,
        )
    rows = groups.attach(table)
    Scatter = scatter_class(len(rows))
    for group in [g for g in groups.order if g in set(rows["group"])]:
        part = rows[rows["group"] == group]
        fig.add_trace(
            Scatter(
                x=part["position"],
                y=part["talk_ratio"] * 100,
                mode="markers",
                name=groups.label(group),
                legendgroup="groups",
                marker={"color": groups.colors[group], "size": 8},
                customdata=part["name"],
                hovertemplate="<b>%{customdata}</b><br>"
                + group
                + "<br>candidate share %{y:.0f}%<extra></extra>",
            ),
            row=2,
            col=1,
        )
    median = float(table["talk_ratio"].median() * 100)
    fig.add_hline(
        y=median,
        line={"color": "#444", "dash": "dash"},
        row=2,
        col=1,
        annotation_text=f"median {median:.0f}%",
        annotation_position="top left",
    )
    labels = table["name"].map(lambda n: n if len(n) <= 14 else n[:12] + "…")
    show_ticks = len(order) <= 60  # past that, names overlap: hover names each bar
    fig.update_xaxes(
        tickvals=order if show_ticks else None,
        ticktext=labels if show_ticks else None,
        showticklabels=show_ticks,
        tickangle=-60,
        row=2,
        col=1,
        title="Sessions, by candidate share of speech",
    )
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(title="Minutes", row=1, col=1)
    fig.update_yaxes(title="Candidate share (%)", range=[0, 100], row=2, col=1)
    # Stacked bars reverse the legend by default; keep it in drawing (and group) order.
    fig.update_layout(barmode="stack", bargap=0.15, legend={"traceorder": "normal"})
    notes = [
        plural(len(table), "session"),
        missing_note(missing, "a transcript with speech"),
        f"median candidate share {median:.0f}%",
    ]
    return finish(fig, title, notes=notes, height=620)
