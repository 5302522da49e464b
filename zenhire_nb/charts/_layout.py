"""Shared figure furniture: plain-word labels with units, the empty figure, notes, hover names.

Every chart builds its traces and then calls :func:`finish`, so titles, subtitles (counts and
what was left out), fonts and margins look the same everywhere. Nothing here touches plotly's
global state (renderers, default template); each figure carries its own template.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "EMPTY_MESSAGE",
    "LABELS",
    "empty_figure",
    "finish",
    "group_title",
    "label_of",
    "missing_note",
    "plural",
    "shorten",
]

EMPTY_MESSAGE = "No sessions match"
TEMPLATE = "plotly_white"

# Column -> axis and hover label in plain words, units in brackets.
LABELS = {
    "duration_min": "Interview length (min)",
    "duration_sec": "Interview length (s)",
    "created_at": "Created",
    "completed_at": "Completed",
    "started_at": "Started",
    "credit_charged": "Credits",
    "answer_words": "Answer length (words)",
    "answer_sec": "Speaking time per answer (s)",
    "latency_sec": "Time to answer (s)",
    "words_per_minute": "Speaking rate (words/min)",
    "answer_turns": "Turns per answer",
    "n_turns": "Turns",
    "n_questions": "Questions",
    "n_answered": "Questions answered",
    "interviewer_speaking_sec": "Interviewer speaking (s)",
    "candidate_speaking_sec": "Candidate speaking (s)",
    "talk_ratio": "Candidate share of speech (%)",
    "candidate_words": "Words the candidate said",
    "mean_answer_words": "Mean answer length (words)",
    "mean_answer_sec": "Mean speaking time per answer (s)",
    "mean_latency_sec": "Mean time to answer (s)",
    "mean_words_per_minute": "Speaking rate (words/min)",
    "recording_duration_sec": "Recording length (s)",
    "recording_rms_dbfs": "Recording level (dBFS)",
    "recording_silence_ratio": "Silence in recording (%)",
    "wer": "Word error rate (%)",
    "flagged_share": "Flagged turns (%)",
}
# Fractions shown as percentages (values multiplied by 100 where plotted).
PERCENT = frozenset({"talk_ratio", "recording_silence_ratio", "wer", "flagged_share"})


GROUP_TITLES = {
    "role_name": "Role",
    "persona_id": "Persona",
    "status": "Status",
    "candidate_ref": "Candidate",
    "language": "Language",
    "source": "Source",
    "consent_mode": "Consent",
    "project_id": "Project",
    "tag": "Tag",
}


def group_title(title: str) -> str:
    """How a grouping is named on axes and in titles (``role_name`` -> ``Role``)."""
    if title in GROUP_TITLES:
        return GROUP_TITLES[title]
    column, _, unit = title.partition(" (")
    if unit:
        return f"{label_of(column).split(' (')[0]} ({unit}"
    return label_of(title)


def label_of(column: str) -> str:
    """The plain-word label of a column (its name, spaced, when no label is known)."""
    return LABELS.get(column, column.replace("_", " ").capitalize())


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def shorten(text: str, width: int = 42) -> str:
    """``text`` cut at a word boundary to about ``width`` characters, with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


def missing_note(count: int, what: str) -> str | None:
    """``"3 sessions without a duration not shown"``, or None when nothing is missing."""
    if count <= 0:
        return None
    return f"{plural(count, 'session')} without {what} not shown"


def candidate_names(frame: pd.DataFrame) -> pd.Series:
    """The name hover text shows for each row: ``candidate_ref``, else the session id."""
    ids = frame["session_id"].astype(str)
    if "candidate_ref" not in frame.columns:
        return ids
    refs = frame["candidate_ref"]
    return refs.astype(object).where(refs.notna(), ids).map(str)


def finish(
    fig: go.Figure,
    title: str,
    *,
    notes: Iterable[str | None] = (),
    height: int | None = None,
    top_margin: int = 90,
    legend: dict[str, Any] | None = None,
) -> go.Figure:
    """Give ``fig`` the shared look: title, a subtitle of ``notes`` (counts, what was left
    out), the template, a legend right of the plot area, margins. Returns ``fig``.

    ``top_margin`` (px) makes room for panel titles or tilted labels under the subtitle;
    ``legend`` replaces the legend placement (e.g. under the plot when a colour bar takes the
    right margin).
    """
    subtitle = " · ".join(note for note in notes if note)
    fig.update_layout(
        # Pinned to the top of the figure, so a larger top margin (tilted labels) leaves no
        # gap above the title.
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 14},
        },
        template=TEMPLATE,
        font={"size": 13},
        margin={"t": top_margin, "l": 70, "r": 30, "b": 60},
        # Legends sit right of the plot (plotly widens the margin for them), never over data.
        legend=legend
        if legend is not None
        else {"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02, "xanchor": "left"},
        hoverlabel={"namelength": -1},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> go.Figure:
    """A figure that says ``message`` ("No sessions match") where the chart would be."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": "#555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, notes=["0 sessions"])
