"""Where the platform's transcript disagrees with the audio (results of the speech-to-text
check: ``check_cohort`` / ``check_session``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import session_table
from ._layout import candidate_names, empty_figure, finish, plural
from ._points import scatter_class
from .groups import By, Groups

__all__ = ["stt_agreement"]

# Hesitations the platform writes down and Whisper leaves out by design: not transcript errors,
# so they are not listed among the words the audio disagrees with (the subtitle counts them).
FILLERS = frozenset({"uh", "um", "er", "erm", "ah", "hmm", "mm", "uhm"})

# Later questions are reached by few sessions: their rates are noise, and 40 questions of four
# groups side by side cannot be read.
QUESTIONS_SHOWN = 10

# The check compares the platform's transcript (reference) with what the local model heard.
_KINDS = {
    "substitution": ("#D55E00", "Transcript word → heard in audio"),
    "insertion": ("#009E73", "Heard, missing from transcript"),
    "deletion": ("#0072B2", "In transcript, not heard"),
}


def _check_frames(data: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(sessions, turns, differences) of a ``CohortCheck`` or a ``CheckResult``."""
    if hasattr(data, "comparison") and hasattr(data, "summary"):  # one CheckResult
        session_id = str(data.session_id or "session")
        summary = data.summary
        sessions = pd.DataFrame(
            {
                "session_id": [session_id],
                "wer": [summary.get("wer")],
                "turns": [summary.get("turns")],
                "flagged_turns": [summary.get("flagged_turns")],
            }
        )
        return (
            sessions,
            data.turns.assign(session_id=session_id),
            data.differences.assign(session_id=session_id),
        )
    if all(
        hasattr(data, part) for part in ("sessions", "turns", "differences")
    ) and "wer" in getattr(data.sessions, "columns", ()):
        return data.sessions, data.turns, data.differences
    raise TypeError(
        "stt_agreement() takes the result of check_cohort (a CohortCheck) or check_session "
        f"(a CheckResult), got {type(data).__name__}"
    )


def question_of_turns(turns: pd.DataFrame) -> pd.Series:
    """The question each turn belongs to (0, 1, ...; -1 before the first question): a new
    question starts at each run of interviewer turns, as in the answers frame."""
    ordered = turns.sort_values(["session_id", "turn_index"], kind="stable")
    speaker = ordered["speaker"].astype(str)
    previous = speaker.groupby(ordered["session_id"]).shift()
    starts = (speaker == "interviewer") & (previous != "interviewer")
    return (starts.groupby(ordered["session_id"]).cumsum() - 1).reindex(turns.index)


def stt_agreement(
    data: Any,
    *,
    by: By = None,
    sessions: Any = None,
    top_words: int = 12,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Four views of a speech-to-text check: WER against the share of flagged turns per
    session; flagged rate per speaker and per question (by group); and the platform's words
    most often substituted or dropped according to the audio.

    Args:
        data: a ``CohortCheck`` (``check_cohort``) or a ``CheckResult`` (``check_session``).
        by: grouping; columns such as ``role_name`` or ``tags`` need ``sessions``.
        sessions: a sessions frame or ``Cohort`` of the checked sessions (groups and
            candidate names).
        top_words: how many words to list.

    Raises:
        TypeError: ``data`` is not a check result. ValueError: ``by`` names an unknown column.
    """
    title = "Speech-to-text agreement"
    checked, turns, differences = _check_frames(data)
    if checked.empty:
        return empty_figure(title, "No checked sessions")
    table = session_table(sessions, "stt_agreement") if sessions is not None else checked
    table = table[table["session_id"].isin(checked["session_id"])]
    groups = Groups(by, colors=colors).resolve(table)
    names = dict(zip(table["session_id"].astype(str), candidate_names(table), strict=True))
    fig = make_subplots(
        rows=2,
        cols=2,
        horizontal_spacing=0.2,  # room for the word labels of the lower right panel
        vertical_spacing=0.16,
        subplot_titles=(
            "Per session",
            "Flagged turns per speaker",
            f"Flagged turns per question (first {QUESTIONS_SHOWN})",
            f"Words the audio disagrees with (top {top_words})",
        ),
    )
    order = groups.order
    per_session = groups.attach(checked)
    missing = int(per_session["wer"].isna().sum())
    _sessions_panel(fig, per_session[per_session["wer"].notna()], order, groups, names)
    flagged = groups.attach(turns.assign(question=question_of_turns(turns)))
    _rate_bars(fig, flagged, "speaker", order, groups, (1, 2))
    _rate_bars(
        fig,
        flagged[flagged["question"].between(0, QUESTIONS_SHOWN - 1)].assign(
            question="Q" + (flagged["question"] + 1).astype(int).astype(str)
        ),
        "question",
        order,
        groups,
        (2, 1),
    )
    fillers = _words_panel(fig, differences, top_words)
    fig.update_xaxes(title="Word error rate (%)", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="Flagged turns (%)", rangemode="tozero", row=1, col=1)
    for col, row in ((2, 1), (1, 2)):
        fig.update_yaxes(title="Flagged (%)", range=[0, 100], row=row, col=col)
    fig.update_xaxes(title="Times", row=2, col=2)
    fig.update_layout(barmode="group")
    rate = float(turns["flagged"].mean() * 100) if len(turns) else float("nan")
    notes = [
        plural(len(checked), "checked session"),
        f"{rate:.0f}% of turns flagged",
        f"{missing} sessions without a WER not shown" if missing else None,
        f"{fillers} dropped fillers (uh, um) not listed" if fillers else None,
    ]
    fig.update_annotations(font={"size": 14})
    # A larger top margin: room between the subtitle and the panel titles.
    return finish(fig, title, notes=notes, height=780, top_margin=120)


def _sessions_panel(
    fig: go.Figure, rows: pd.DataFrame, order: list[str], groups: Any, names: dict[str, str]
) -> None:
    Scatter = scatter_class(len(rows))
    share = rows["flagged_turns"] / rows["turns"].where(rows["turns"] > 0)
    rows = rows.assign(share=share * 100, wer_pct=rows["wer"].astype(float) * 100)
    for group in [g for g in order if g in set(rows["group"])]:
        part = rows[rows["group"] == group]
        who = part["session_id"].astype(str).map(names).fillna(part["session_id"].astype(str))
        fig.add_trace(
            Scatter(
                x=part["wer_pct"],
                y=part["share"],
                mode="markers",
                name=groups.label(group),
                legendgroup=group,
                marker={"color": groups.colors[group], "size": 9},
                hovertext="<b>"
                + who
                + "</b><br>WER "
                + part["wer_pct"].round(1).astype(str)
                + "%<br>"
                + part["flagged_turns"].astype(str)
                + " of "
                + part["turns"].astype(str)
                + " turns flagged",
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )


def _rate_bars(
    fig: go.Figure,
    turns: pd.DataFrame,
    column: str,
    order: list[str],
    groups: Any,
    where: tuple[int, int],
) -> None:
    rates = turns.groupby(["group", column], observed=True)["flagged"].agg(["mean", "size"])
    categories = (
        sorted(turns[column].astype(str).unique(), key=lambda c: (len(c), c)) if len(turns) else []
    )
    for group in [g for g in order if g in rates.index.get_level_values(0)]:
        part = rates.loc[group].reindex(categories)
        fig.add_trace(
            go.Bar(
                x=categories,
                y=part["mean"] * 100,
                name=groups.label(group),
                legendgroup=group,
                showlegend=False,
                marker={"color": groups.colors[group]},
                customdata=part["size"],
                hovertemplate=f"<b>{group}</b><br>%{{x}}: %{{y:.0f}}% of "
                "%{customdata} turns flagged<extra></extra>",
            ),
            row=where[0],
            col=where[1],
        )


def _words_panel(fig: go.Figure, differences: pd.DataFrame, top: int) -> int:
    """The ``top`` most frequent differences as bars; returns how many dropped fillers were
    left out."""
    wanted = differences[differences["kind"].isin(list(_KINDS))]
    # Count the distinct (kind, word, word) triples first and work on those: a check of 5,000
    # sessions has a million differences but a few thousand distinct ones.
    distinct = (
        wanted[["kind", "reference_word", "hypothesis_word"]]
        .astype(object)
        .fillna("")
        .value_counts(sort=False)
        .reset_index(name="times")
    )
    reference = distinct["reference_word"].astype(str).str.lower()
    heard = distinct["hypothesis_word"].astype(str).str.lower()
    kind = distinct["kind"].to_numpy()
    filler = (kind == "deletion") & reference.str.strip(".,!?").isin(FILLERS).to_numpy()
    fillers = int(distinct.loc[filler, "times"].sum())
    if filler.all():
        return fillers
    label = np.where(
        kind == "substitution",
        reference + " → " + heard,
        np.where(kind == "insertion", "+ " + heard, "− " + reference),
    )
    counts = (
        pd.DataFrame({"label": label, "kind": kind, "times": distinct["times"].to_numpy()})[~filler]
        .groupby(["label", "kind"])["times"]
        .sum()
        .sort_values(ascending=False, kind="stable")
        .head(top)
        .iloc[::-1]
    )
    for kind, (color, name) in _KINDS.items():
        part = counts[counts.index.get_level_values("kind") == kind]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=part.index.get_level_values("label"),
                x=part.to_numpy(),
                orientation="h",
                name=name,
                marker={"color": color},
                hovertemplate="%{y}: %{x} times<extra></extra>",
            ),
            row=2,
            col=2,
        )
    fig.update_yaxes(
        categoryorder="array",
        row=2,
        col=2,
        categoryarray=list(counts.index.get_level_values("label")),
    )
    return fillers
