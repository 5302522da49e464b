"""Answers across candidates: a candidate x question grid, and per-question distributions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._data import answers_of, groups_table, needs
from ._layout import candidate_names, empty_figure, finish, label_of, plural, shorten
from ._points import STATS_FROM
from .groups import By, Groups

__all__ = ["ANSWER_METRICS", "answer_distributions", "answers_heatmap"]

ANSWER_METRICS = ("answer_words", "answer_sec", "latency_sec", "words_per_minute", "answer_turns")


def _questions(answers: pd.DataFrame, metric: str, chart: str) -> pd.DataFrame:
    if metric not in ANSWER_METRICS and metric not in answers.columns:
        raise ValueError(
            f"{chart}(): metric must be a column of the answers frame such as "
            f"{', '.join(ANSWER_METRICS)}; got {metric!r}"
        )
    needs(answers, ("question_index", "question_text", metric), chart)
    # -1 is speech before the first question, not a question.
    return answers[answers["question_index"] >= 0]


# Past this many questions there is no room for their text on the axis: "Q1", "Q2", ...
TEXT_LABELS_UP_TO = 12


def question_labels(answers: pd.DataFrame, width: int = 28) -> dict[int, tuple[str, str]]:
    """``{question_index: (axis label, full text)}``: "Q1" plus the question's text when most
    sessions of the frame were asked the same thing at that position (else only "Q1"), full
    text for hover. No text on the axis past :data:`TEXT_LABELS_UP_TO` questions."""
    labels = {}
    sessions = answers["session_id"].nunique()
    few = answers["question_index"].nunique() <= TEXT_LABELS_UP_TO
    for index, texts in answers.groupby("question_index")["question_text"]:
        counts = texts.dropna().value_counts()
        top = str(counts.index[0]) if len(counts) else ""
        # Most of *all* sessions, not of the few that got this far: the last question of the
        # longest interview is not "the" question at that position.
        shared = few and len(counts) > 0 and counts.iloc[0] > sessions / 2
        name = f"Q{index + 1}"
        label = f"{name}: {shorten(top, width)}" if shared else name
        full = top if shared or len(counts) == 1 else f"{len(counts)} different questions"
        labels[int(index)] = (label, full)
    return labels


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def answers_heatmap(
    data: Any,
    *,
    by: By = None,
    metric: str = "answer_words",
    order_by: str | None = None,
    max_candidates: int = 40,
    sessions: Any = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """A candidate x question grid of one answer metric, candidates grouped and ordered.

    Rows are candidates (a session in two groups appears in each), columns the questions in
    interview order, labelled with their shortened text (the full question is on hover), a
    coloured strip on the left shows each row's group. Unanswered questions stay blank.

    Args:
        data: an answers frame or a ``Cohort``.
        metric: the answers column coloured (``answer_words``, ``answer_sec``,
            ``latency_sec``, ``words_per_minute``, ``answer_turns``).
        order_by: an answers column whose per-candidate mean orders the rows (largest
            first); default ``metric``.
        max_candidates: at most this many rows, the highest by ``order_by`` (the subtitle says
            how many were left out); a grid of thousands of rows cannot be read.
        sessions: a sessions frame or ``Cohort`` to resolve ``by`` on (tags, metadata, ...)
            when ``data`` is an answers frame.

    Raises:
        ValueError: unknown metric or column, ``max_candidates < 1``.
    """
    if max_candidates < 1:
        raise ValueError(f"max_candidates must be at least 1, got {max_candidates}")
    title = f"{label_of(metric)} per question"
    answers = _questions(answers_of(data, "answers_heatmap"), metric, "answers_heatmap")
    order_by = order_by or metric
    needs(answers, (order_by,), "answers_heatmap")
    if answers.empty:
        return empty_figure(title)
    groups = Groups(by, colors=colors).resolve(groups_table(data, sessions, "answers_heatmap"))
    rows = groups.attach(answers)
    if rows.empty:
        return empty_figure(title)
    rows = rows.assign(candidate=candidate_names(rows))
    key = rows.groupby("session_id")[order_by].mean().sort_values(ascending=False)
    shown = key.index[:max_candidates]
    total = key.size
    rows = rows[rows["session_id"].isin(shown)]
    rank = {sid: i for i, sid in enumerate(shown)}
    rows = rows.assign(
        rank=rows["session_id"].map(rank),
        group_rank=rows["group"].map({g: i for i, g in enumerate(groups.order)}),
    )
    rows = rows.sort_values(["group_rank", "rank", "question_index"])
    rows["row"] = rows["group"].astype(str) + " · " + rows["candidate"]
    row_order = list(dict.fromkeys(rows["row"]))
    labels = question_labels(answers)
    columns = sorted(labels)
    grid = rows.pivot_table(index="row", columns="question_index", values=metric, aggfunc="mean")
    grid = grid.reindex(index=row_order, columns=columns)
    asked = rows.pivot_table(
        index="row", columns="question_index", values="question_text", aggfunc="first"
    ).reindex(index=row_order, columns=columns)
    hover = asked.map(lambda t: _wrap(t) if isinstance(t, str) else "not asked").to_numpy()
    candidates = rows.drop_duplicates("row").set_index("row")["candidate"].reindex(row_order)
    fig = make_subplots(
        rows=1, cols=2, column_widths=[0.03, 0.97], shared_yaxes=True, horizontal_spacing=0.005
    )
    group_of_row = rows.drop_duplicates("row").set_index("row")["group"].reindex(row_order)
    for group in [g for g in groups.order if g in set(group_of_row)]:
        mine = group_of_row.index[group_of_row == group].tolist()
        fig.add_trace(
            go.Scatter(
                x=[0] * len(mine),
                y=mine,
                mode="markers",
                name=groups.label(group),
                marker={"symbol": "square", "size": 14, "color": groups.colors[group]},
                hovertext=[group] * len(mine),
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[labels[c][0] for c in columns],
            y=row_order,
            customdata=np.dstack(
                [np.broadcast_to(candidates.to_numpy()[:, None], hover.shape), hover]
            ),
            colorscale="Blues",
            colorbar={"title": {"text": label_of(metric), "side": "right"}, "thickness": 14},
            hovertemplate="<b>%{customdata[0]}</b><br>%{x}<br>%{customdata[1]}<br>"
            f"{label_of(metric)}: %{{z:.1f}}<extra></extra>",
            hoverongaps=False,
            xgap=1,
            ygap=1,
            showscale=True,
            name="",
        ),
        row=1,
        col=2,
    )
    blank = int(np.isnan(grid.to_numpy(dtype=float)).sum())
    notes = [
        plural(rows["session_id"].nunique(), "session"),
        f"showing the {len(shown)} highest of {total:,} candidates by {label_of(order_by)}"
        if total > len(shown)
        else f"ordered by {label_of(order_by).lower()}",
        f"{blank} blank cells: question not asked or no value" if blank else None,
    ]
    fig.update_xaxes(visible=False, row=1, col=1)
    many = len(columns) > TEXT_LABELS_UP_TO
    fig.update_xaxes(
        side="top", tickangle=-90 if many else -30, tickfont={"size": 10 if many else 12},
        row=1, col=2,
    )  # fmt: skip
    fig.update_yaxes(
        autorange="reversed",
        tickvals=row_order,
        ticktext=[shorten(c, 24) for c in candidates],
        row=1,
        col=1,
    )
    # The colour bar takes the right margin, so the group legend goes under the grid; the
    # question labels (tilted, on top) get a top margin of their own, clear of the subtitle.
    longest = max((len(labels[c][0]) for c in columns), default=4) if not many else 6
    return finish(
        fig,
        title,
        notes=notes,
        height=max(420, 260 + 20 * len(row_order)),
        top_margin=100 + min(longest, 40) * 4,
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "xanchor": "left"},
    ).update_layout(plot_bgcolor="#f3f3f3")


def answer_distributions(
    data: Any,
    *,
    by: By = None,
    metric: str = "answer_words",
    max_questions: int = 10,
    sessions: Any = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Per-question distributions of one answer metric, the groups side by side.

    One box per question and group (median, quartiles, whiskers), answers as points when there
    are few enough to read (up to :data:`~zenhire_nb.charts._points.STATS_FROM` per box).
    Answers without a value (an unanswered question has no latency) are left out and counted.

    Args:
        data: an answers frame or a ``Cohort``.
        metric: the answers column shown (see :data:`ANSWER_METRICS`).
        max_questions: the first this many questions are shown (the subtitle says how many
            there were): side by side, forty questions of four groups cannot be read.
        sessions: a sessions frame or ``Cohort`` to resolve ``by`` on, for an answers frame.

    Raises:
        ValueError: unknown metric, ``max_questions < 1``, or ``by`` names an unknown column.
    """
    if max_questions < 1:
        raise ValueError(f"max_questions must be at least 1, got {max_questions}")
    title = f"{label_of(metric)} per question"
    answers = _questions(answers_of(data, "answer_distributions"), metric, "answer_distributions")
    if answers.empty:
        return empty_figure(title)
    asked = sorted(answers["question_index"].unique())
    answers = answers[answers["question_index"].isin(asked[:max_questions])]
    groups = Groups(by, colors=colors).resolve(groups_table(data, sessions, "answer_distributions"))
    rows = groups.attach(answers)
    values = rows[metric].astype(float)
    missing = int(values.isna().sum())
    rows = rows[values.notna()].assign(value=values[values.notna()])
    if rows.empty:
        return empty_figure(title, f"No answer has a value for {metric}")
    labels = question_labels(answers, width=22)
    present = [g for g in groups.order if g in set(rows["group"])]
    fig = go.Figure()
    for group in present:
        part = rows[rows["group"] == group]
        x = part["question_index"].map(lambda q: labels[int(q)][0])
        few = len(part) < STATS_FROM
        trace = go.Box(
            x=x,
            y=part["value"],
            name=groups.label(group),
            offsetgroup=group,
            marker={"color": groups.colors[group], "size": 5},
            line={"color": groups.colors[group]},
            boxpoints="all" if few else False,
            jitter=0.4,
            pointpos=0,
            hovertext=("<b>" + candidate_names(part) + "</b><br>" + group) if few else None,
            hoverinfo="text+y" if few else "y",
        )
        if not few:
            trace = _stats_boxes(part, labels, group, groups)
        fig.add_trace(trace)
    notes = [
        plural(rows["session_id"].nunique(), "session"),
        f"{missing} answers without a value not shown" if missing else None,
        f"first {max_questions} of {len(asked)} questions" if len(asked) > max_questions else None,
    ]
    fig.update_layout(boxmode="group")
    fig.update_xaxes(
        title="Question (in interview order)",
        categoryorder="array",
        categoryarray=[labels[q][0] for q in sorted(labels)],
    )
    fig.update_yaxes(title=label_of(metric), rangemode="tozero")
    return finish(fig, title, notes=notes, height=480)


def _stats_boxes(part: pd.DataFrame, labels: dict, group: str, groups: Any) -> go.Box:
    """One box trace of precomputed statistics per question: small JSON for many answers."""
    stats = part.groupby("question_index")["value"].describe(percentiles=[0.25, 0.5, 0.75])
    x = [labels[int(q)][0] for q in stats.index]
    iqr = stats["75%"] - stats["25%"]
    return go.Box(
        x=x,
        q1=stats["25%"],
        median=stats["50%"],
        q3=stats["75%"],
        lowerfence=np.maximum(stats["min"], stats["25%"] - 1.5 * iqr),
        upperfence=np.minimum(stats["max"], stats["75%"] + 1.5 * iqr),
        name=groups.label(group),
        offsetgroup=group,
        boxpoints=False,
        marker={"color": groups.colors[group]},
        line={"color": groups.colors[group]},
    )
