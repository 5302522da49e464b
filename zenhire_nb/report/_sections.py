"""The report's sections, each a plain function of the frames (no I/O, no plotly globals).

Charts come from :mod:`zenhire_nb.charts` with one shared :class:`~zenhire_nb.charts.Groups`
so that a group has the same colour in every figure of the page.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from zenhire_nb import charts
from zenhire_nb.report._page import Section, table, text

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from zenhire_nb.frames import Cohort
    from zenhire_nb.stt import CohortCheck

__all__ = [
    "ReportWarning",
    "answers_section",
    "charts_section",
    "overview_section",
    "sessions_section",
    "stt_section",
]

_FIGURE_CONFIG = {"displaylogo": False, "responsive": True}
_WORST_TURNS = 8


class ReportWarning(UserWarning):
    """A part of the report could not be drawn; the page says so where it would have been."""


def overview_section(cohort: Cohort, groups: charts.Groups, note: str | None) -> Section:
    sessions = cohort.sessions
    completed = sessions[sessions["status"] == "completed"]
    minutes = completed["duration_min"].dropna()
    cards = [
        (len(sessions), "sessions"),
        (len(completed), "completed"),
        (int((sessions["status"] == "failed").sum()), "failed"),
        (f"{minutes.median():.1f} min" if len(minutes) else "–", "median interview length"),
        (int(sessions["credit_charged"].fillna(0).sum()), "credits charged"),
        (len(cohort.failures), "load failures"),
    ]
    html_cards = (
        '<div class="cards">'
        + "".join(f"<div class=card><b>{text(v)}</b><span>{text(k)}</span></div>" for v, k in cards)
        + "</div>"
    )
    membership = groups.resolve(sessions)
    rows = []
    for group in membership.order:
        ids = set(membership.pairs.loc[membership.pairs["group"] == group, "session_id"])
        part = sessions[sessions["session_id"].isin(ids)]
        done = part[part["status"] == "completed"]
        summary = cohort.summary[cohort.summary["session_id"].isin(ids)]
        rows.append(
            {
                membership.title: group,
                "sessions": len(part),
                "completed": len(done),
                "failed": int((part["status"] == "failed").sum()),
                "median length (min)": float(done["duration_min"].median()),
                "credits": int(part["credit_charged"].fillna(0).sum()),
                "mean answer words": float(summary["mean_answer_words"].mean()),
                "talk ratio": float(summary["talk_ratio"].median()),
            }
        )
    body = html_cards
    if note:
        body += f'<p class="note">{text(note)}</p>'
    body += table(pd.DataFrame(rows)) if rows else "<p>No sessions match.</p>"
    return Section("overview", "Cohort overview", body)


def _figure_html(figure: go.Figure) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config=_FIGURE_CONFIG)


def _drawn(title: str, build: Callable[[], go.Figure]) -> str:
    """One chart's HTML, or a visible error box (and a warning) when it cannot be drawn."""
    try:
        return f'<div class="figure">{_figure_html(build())}</div>'
    except Exception as error:  # noqa: BLE001 (one chart's failure must not cost the report)
        warnings.warn(f"report: cannot draw {title!r}: {error}", ReportWarning, stacklevel=3)
        return f'<div class="error">Cannot draw this chart: {text(error)}</div>'


def charts_section(
    cohort: Cohort, check: CohortCheck | None, groups: charts.Groups, client: object | None
) -> Section:
    plan: list[tuple[str, str, Callable[[], go.Figure]]] = [
        (
            "Interview length",
            "Are interviews running long?",
            lambda: charts.interview_length(cohort, by=groups),
        ),
        (
            "Credits against duration",
            "Does every charge follow the billing rule?",
            lambda: charts.credits_vs_duration(cohort, by=groups),
        ),
        (
            "Spend over time",
            "What are we spending, week by week?",
            lambda: charts.spend_over_time(cohort, by=groups, client=client),
        ),
        (
            "Status and timing",
            "How far does each session get, and how fast?",
            lambda: charts.status_timing(cohort, by=groups),
        ),
        (
            "Talk time",
            "Which candidates barely spoke?",
            lambda: charts.talk_time(cohort, by=groups),
        ),
        (
            "Answers across candidates",
            "Who answered at length, question by question?",
            lambda: charts.answers_heatmap(cohort, by=groups),
        ),
        (
            "Cohort comparison",
            "How do the groups differ?",
            lambda: charts.cohort_comparison(cohort, by=groups),
        ),
    ]
    if check is not None:
        plan.append(
            (
                "Speech-to-text agreement",
                "Where does the platform's transcript disagree with the audio?",
                lambda: charts.stt_agreement(check, by=groups, sessions=cohort.sessions),
            )
        )
    body = "".join(
        f"<h3>{text(title)}</h3><p class=note>{text(question)}</p>{_drawn(title, build)}"
        for title, question, build in plan
    )
    return Section("charts", "Charts", body)


def answers_section(cohort: Cohort, groups: charts.Groups) -> Section:
    answers = cohort.answers
    answered = answers[(answers["question_index"] >= 0) & answers["answered"]]
    body = (
        '<p class="note">Answer length per question and group: median words and seconds of '
        "speech.</p>"
    )
    body += _drawn("Answer distributions", lambda: charts.answer_distributions(cohort, by=groups))
    if answered.empty:
        return Section("answers", "Answers compared", body + "<p>No answered questions.</p>")
    membership = groups.resolve(cohort.sessions)
    joined = membership.attach(answered)
    question = joined.groupby("question_index")["question_text"].agg(lambda s: s.mode().iat[0])
    medians = joined.groupby(["question_index", "group"], observed=True).agg(
        words=("answer_words", "median"), seconds=("answer_sec", "median")
    )
    frame = pd.DataFrame({"#": question.index + 1, "question": question.map(_short).to_numpy()})
    for group in membership.order:
        for metric, label in (("words", "words"), ("seconds", "s")):
            values = (
                medians[metric].xs(group, level="group")
                if group in medians.index.get_level_values("group")
                else pd.Series(dtype=float)
            )
            frame[f"{group}: {label}"] = frame["#"].map(
                lambda n, v=values: float(v.get(n - 1, float("nan")))
            )
    return Section("answers", "Answers compared", body + table(frame))


def stt_section(check: CohortCheck | None, cohort: Cohort) -> Section | None:
    if check is None:
        return None
    sessions = check.sessions
    turns = check.turns
    flagged = int(turns["flagged"].sum()) if len(turns) else 0
    mean_wer = float(sessions["wer"].mean()) if len(sessions) else float("nan")
    body = (
        f'<p class="lead">{len(sessions)} sessions checked against a local Whisper model; '
        f"mean word error rate {mean_wer:.1%}; {flagged} of {len(turns)} turns flagged.</p>"
    )
    if len(check.failures):
        body += f'<p class="note">{len(check.failures)} sessions could not be checked:</p>'
        body += table(check.failures)
    worst = turns[turns["flagged"]].sort_values(["wer", "min_logprob"], ascending=[False, True])
    if worst.empty:
        return Section("stt", "Speech-to-text agreement", body + "<p>No turn was flagged.</p>")
    names = _candidate_names(cohort)
    body += f"<h3>The {min(_WORST_TURNS, len(worst))} turns that disagree most</h3>"
    for row in worst.head(_WORST_TURNS).itertuples():
        body += (
            f"<p><b>{text(names.get(row.session_id, row.session_id))}</b>, {text(row.speaker)} at "
            f"{row.start_sec:.0f} s (WER {row.wer:.0%}):</p>"
            f"<blockquote>platform: {text(row.text)}</blockquote>"
            f"<blockquote>local model: {text(row.hypothesis)}</blockquote>"
        )
    return Section("stt", "Speech-to-text agreement", body)


def sessions_section(cohort: Cohort) -> Section:
    summary = cohort.summary
    sessions = cohort.sessions.set_index("session_id")
    frame = pd.DataFrame(
        {
            "candidate": summary["candidate_ref"].fillna(summary["session_id"]),
            "role": summary["role_name"],
            "status": summary["status"],
            "created (UTC)": summary["created_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "length (min)": summary["duration_min"],
            "credits": summary["credit_charged"].astype("float64"),
            "questions answered": summary["n_answered"],
            "mean answer words": summary["mean_answer_words"],
            "talk ratio": summary["talk_ratio"],
            "tags": summary["session_id"].map(
                lambda sid: ", ".join(sessions["tags"].get(sid) or ())
            ),
            "session id": summary["session_id"],
        }
    )
    return Section("sessions", "Sessions", table(frame))


def _candidate_names(cohort: Cohort) -> dict[str, str]:
    sessions = cohort.sessions
    names = sessions["candidate_ref"].fillna(sessions["session_id"])
    return dict(zip(sessions["session_id"], names, strict=True))


def _short(question: str, width: int = 90) -> str:
    return question if len(question) <= width else question[: width - 1].rstrip() + "…"
