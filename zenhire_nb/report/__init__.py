"""One self-contained HTML report of a cohort, to send to a hiring manager.

::

    from zenhire_nb.report import write_report
    cohort = load_cohort(client, CohortQuery(persona_id="p_123"))
    check = check_cohort(cohort)                       # optional: the STT agreement section
    write_report("report.html", cohort, check, by="tags")

The page holds the cohort overview, every chart of :mod:`zenhire_nb.charts` (the same colour
for a group everywhere), the answers compared across groups, the speech-to-text agreement with
the worst turns quoted, and a table of the sessions. plotly.js is embedded once and nothing is
loaded from the network, so the file opens offline and can be mailed as it is. It holds no API
key and no candidate link.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from zenhire_nb import charts
from zenhire_nb.report._page import page, text
from zenhire_nb.report._sections import (
    ReportWarning,
    answers_section,
    charts_section,
    overview_section,
    sessions_section,
    stt_section,
)

if TYPE_CHECKING:
    from zenhire_nb.charts.groups import By
    from zenhire_nb.client import Client
    from zenhire_nb.frames import Cohort, CohortQuery
    from zenhire_nb.stt import CohortCheck

__all__ = ["ReportWarning", "build_report", "write_report"]


def build_report(
    cohort: Cohort,
    check: CohortCheck | None = None,
    *,
    by: By = None,
    title: str = "Interview cohort report",
    note: str | None = None,
    client: Client | None = None,
) -> str:
    """The report's HTML text.

    Args:
        cohort: a loaded :class:`~zenhire_nb.frames.Cohort`.
        check: its speech-to-text check (``check_cohort``), for the agreement section.
        by: how sessions are grouped and coloured (as the charts' ``by=``).
        title: the page title.
        note: a sentence shown under the overview (e.g. how the interviews were made).
        client: when given, the spend chart draws the running balance from ``credits()``.

    Raises:
        ValueError: ``by`` names a column the sessions do not have (naming it).

    Warns:
        ReportWarning: a chart could not be drawn (the page shows why in its place).
    """
    import plotly.offline

    groups = by if isinstance(by, charts.Groups) else charts.Groups(by)
    groups.resolve(cohort.sessions)  # a bad ``by`` is the caller's error: raise it here, once
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    query = getattr(cohort, "query", None)
    lead = f"Generated {generated}. {len(cohort.sessions)} sessions"
    lead += f" ({_describe(query)})." if query is not None else "."  # escaped once, below
    sections = [
        overview_section(cohort, groups, note),
        charts_section(cohort, check, groups, client),
        answers_section(cohort, groups),
        stt_section(check, cohort),
        sessions_section(cohort),
    ]
    present = [section for section in sections if section is not None]
    return page(title, text(lead), present, plotly.offline.get_plotlyjs())


def write_report(
    path: str | os.PathLike[str],
    cohort: Cohort,
    check: CohortCheck | None = None,
    **options: object,
) -> Path:
    """Write :func:`build_report`'s page to ``path`` atomically; returns the path.

    Raises:
        OSError: the file cannot be written (no partial file is left).
    """
    from zenhire_nb._io import write_atomically

    target = Path(path).expanduser()
    html = build_report(cohort, check, **options)  # type: ignore[arg-type]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, html.encode("utf-8"))
    return target


def _describe(query: CohortQuery) -> str:
    """The cohort's query in plain words for the page's lead, e.g. "every status; tag demo"."""
    parts = ["every status" if query.status is None else f"status {query.status}"]
    if query.persona_id:
        parts.append(f"persona {query.persona_id}")
    if query.candidate_ref:
        parts.append(f"candidate {query.candidate_ref}")
    if query.tags:
        parts.append(("tag " if len(query.tags) == 1 else "tags ") + ", ".join(query.tags))
    for key, value in (query.metadata or {}).items():
        parts.append(f"{key} = {value}")
    if query.created_after:
        parts.append(f"created from {query.created_after}")
    if query.created_before:
        parts.append(f"created before {query.created_before}")
    if query.session_ids:
        parts.append(f"{len(query.session_ids)} chosen sessions")
    return "; ".join(parts)
