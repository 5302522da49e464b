"""The cohort dashboard: choose groups, load them with progress, see the charts; run the STT
check for the groups (progress, cancel, per-session failures, retry).

Thin over :mod:`.logic.groups` (groups as ``CohortQuery`` objects, merging the loaded
cohorts) and :mod:`.logic.charts` (the chart functions: ``charts=`` or those of
:mod:`zenhire_nb.charts`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import ipywidgets as w

from zenhire_nb.client import Client
from zenhire_nb.frames import Cohort, CohortQuery, load_cohort
from zenhire_nb.widgets._common import MessageArea, TaskPanel, guarded, html_table
from zenhire_nb.widgets.logic.charts import (
    ChartFunction,
    default_charts,
    draw_chart,
    figure_widget,
)
from zenhire_nb.widgets.logic.groups import group_queries, merge_cohorts
from zenhire_nb.widgets.logic.tasks import TaskRun

__all__ = ["CohortDashboard"]

_KINDS = (
    ("By persona", "persona"),
    ("By tag", "tag"),
    ("By metadata", "metadata"),
    ("By date range", "dates"),
    ("Saved queries", "saved"),
)


class CohortDashboard(w.VBox):
    """Compare groups of completed interviews.

    Args:
        client: a :class:`~zenhire_nb.Client` (``None`` reads the environment).
        queries: saved ``CohortQuery`` objects by name (the "Saved queries" groups).
        charts: chart functions ``fn(cohort, *, by=groups) -> Figure`` (default: those of
            :mod:`zenhire_nb.charts`).
        recordings: also download recordings when loading (charts of talk time need them).

    Attributes: ``groups`` (the loaded groups), ``cohort`` (all their sessions), ``check``
    (the last STT check results by session id).
    """

    def __init__(
        self,
        client: Client | None = None,
        *,
        queries: Mapping[str, CohortQuery] | None = None,
        charts: Sequence[ChartFunction] | None = None,
        recordings: bool = True,
    ) -> None:
        self._client = client if client is not None else Client()
        self.saved = dict(queries or {})
        self.charts = list(charts) if charts is not None else default_charts()
        self.recordings = recordings
        self.groups: dict[str, CohortQuery] = {}
        self.cohort: Cohort | None = None
        self.check: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.messages = MessageArea()
        self._build()
        super().__init__(self._layout(), layout=w.Layout(max_width="1100px"))
        self.add_class("zh-dashboard")
        self._kind_changed({"new": self.kind.value})
        self.refresh_personas()

    def __repr__(self) -> str:
        return f"CohortDashboard(groups={list(self.groups)})"

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = w.ToggleButtons(
            options=_KINDS, description="Groups", style={"button_width": "auto"}
        )
        self.choices = w.SelectMultiple(
            options=[], rows=5, description="Choose", layout=w.Layout(width="460px")
        )
        self.values = w.Text(
            description="Values", placeholder="comma separated", layout=w.Layout(width="460px")
        )
        self.key = w.Text(
            description="Key", placeholder="metadata key, e.g. team", layout=w.Layout(width="460px")
        )
        self.ranges = w.Textarea(
            description="Ranges",
            placeholder="one per line: 2026-11-01..2026-11-15",
            layout=w.Layout(width="460px", height="70px"),
        )
        self.created_from = w.DatePicker(description="From")
        self.created_to = w.DatePicker(description="To")
        self.load_button = w.Button(
            description="Load groups", icon="download", button_style="primary"
        )
        self.check_button = w.Button(
            description="Check speech-to-text",
            icon="headphones",
            disabled=True,
            tooltip="Transcribe the groups' recordings locally and compare",
            layout=w.Layout(width="auto"),
        )
        self.group_messages = MessageArea()
        self.load_task = TaskPanel("Loading groups", describe_item=lambda name: f"group {name!r}")
        self.load_task.on_retry = self.retry_load
        self.check_task = TaskPanel("STT check", describe_item=lambda sid: f"session {sid}")
        self.check_task.on_retry = self.retry_check
        self.summary = w.HTML("")
        # One chart per row: the charts have legends and notes that need the width.
        self.chart_area = w.GridBox(
            [], layout=w.Layout(grid_template_columns="minmax(0, 1fr)", grid_gap="8px")
        )
        self.check_summary = w.HTML("")
        self.kind.observe(self._kind_changed, names=["value"])
        self.load_button.on_click(lambda _: self.load())
        self.check_button.on_click(lambda _: self.run_check())

    def _layout(self) -> list[w.Widget]:
        self.inputs = w.VBox([])
        return [
            w.HTML("<h3 style='margin:4px 0'>Cohort dashboard</h3>"),
            self.kind,
            self.inputs,
            w.HBox([self.created_from, self.created_to]),
            self.group_messages,
            w.HBox([self.load_button, self.check_button]),
            self.load_task,
            self.summary,
            self.chart_area,
            self.check_task,
            self.check_summary,
            self.messages,
        ]

    def _kind_changed(self, change: dict[str, Any]) -> None:
        kind = change["new"]
        shown = {
            "persona": [self.choices],
            "tag": [self.values],
            "metadata": [self.key, self.values],
            "dates": [self.ranges],
            "saved": [self.choices],
        }[kind]
        if kind == "saved":
            self.choices.options = list(self.saved)
        elif kind == "persona":
            self.choices.options = getattr(self, "_persona_options", [])
        self.inputs.children = shown

    @guarded()
    def refresh_personas(self) -> None:
        personas = self._client.personas.list()
        self._persona_options = [(f"{p.role_name} ({p.id[:8]})", p.id) for p in personas]
        self._persona_labels = {p.id: p.role_name for p in personas}
        if self.kind.value == "persona":
            self.choices.options = self._persona_options

    # -- groups and loading ------------------------------------------------------------------

    def chosen_groups(self) -> dict[str, CohortQuery]:
        """The groups the controls describe.

        Raises:
            ValueError: nothing chosen, a missing key, or a bad date range (naming it).
        """
        kind = self.kind.value
        span = (_day(self.created_from.value), _day(self.created_to.value))
        if kind in ("persona", "saved"):
            values: list[Any] = list(self.choices.value)
        elif kind == "dates":
            values = [_range(line) for line in self.ranges.value.splitlines() if line.strip()]
        else:
            values = [v.strip() for v in self.values.value.split(",") if v.strip()]
        labels = _unique_labels(getattr(self, "_persona_labels", {})) if kind == "persona" else {}
        return group_queries(
            kind,
            values,
            labels=labels,
            metadata_key=self.key.value.strip(),
            saved=self.saved,
            date_range=span,
        )

    def load(self) -> TaskRun | None:
        """Load the chosen groups in the background; the charts redraw when it ends."""
        self.group_messages.clear()
        try:
            groups = self.chosen_groups()
        except ValueError as error:
            self.group_messages.error(error)
            return None
        self.groups = groups
        self._cohorts: dict[str, Cohort] = {}
        return self._load(list(groups))

    def retry_load(self) -> None:
        if self.load_task.run is not None:
            self._load(list(self.load_task.run.failures) + list(self.load_task.run.skipped))

    def _load(self, names: list[str]) -> TaskRun:
        self.load_button.disabled = True
        run = TaskRun(names, self._load_group, max_workers=2, on_update=self._loaded)
        self.load_task.attach(run)
        return run.start()

    def _load_group(self, name: str) -> Cohort:
        query = self.groups[name]
        filters = {k: v for k, v in query.list_filters().items() if v is not None}
        if query.session_ids is not None:
            filters["session_ids"] = list(query.session_ids)
        cohort = load_cohort(self._client, **filters, recordings=self.recordings, progress=False)
        with self._lock:
            self._cohorts[name] = cohort
        return cohort

    def _loaded(self, run: TaskRun) -> None:
        self.load_task.update()
        if not run.finished:
            return
        self.load_button.disabled = False
        try:
            self._draw()
        except Exception as error:
            self.messages.error(error)

    def _draw(self) -> None:
        with self._lock:
            loaded = {name: self._cohorts[name] for name in self.groups if name in self._cohorts}
        if not loaded:
            self.summary.value = ""
            self.chart_area.children = []
            return
        self.cohort = merge_cohorts(list(loaded.values()))
        groups = {name: self.groups[name] for name in loaded}
        rows = [(name, len(c.sessions), len(c.failures)) for name, c in loaded.items()]
        self.summary.value = "<b>Groups loaded</b>" + html_table(
            ["Group", "Completed sessions", "Load problems"], rows
        )
        self.check_button.disabled = self.cohort.sessions.empty
        if not self.charts:
            note = MessageArea()
            note.show(
                "info",
                "No chart functions: install the charts part (zenhire_nb.charts) "
                "or pass charts=[...].",
            )
            self.chart_area.children = [note]
            return
        self.chart_area.children = [self._chart_box(fn, groups) for fn in self.charts]

    def _chart_box(self, fn: ChartFunction, groups: Mapping[str, CohortQuery]) -> w.Widget:
        try:
            figure = draw_chart(fn, self.cohort, groups)
        except Exception as error:
            area = MessageArea()
            area.error(error)
            return area
        box = w.Box(
            [figure_widget(figure)],
            # The card hugs the chart (plotly draws it at its own width) and scrolls sideways
            # in a narrower notebook rather than cutting it off.
            layout=w.Layout(
                border="1px solid #e0e0e0",
                min_height="360px",
                width="fit-content",
                max_width="100%",
                overflow="auto",
            ),
        )
        box.add_class("zh-chart")
        return box

    # -- the STT check -----------------------------------------------------------------------

    def run_check(self) -> TaskRun | None:
        """Check the loaded sessions' recordings with the local model (in the background)."""
        if self.cohort is None or self.cohort.sessions.empty:
            self.messages.show("info", "Load some groups first.")
            return None
        ids = list(
            self.cohort.sessions.loc[self.cohort.sessions["status"] == "completed", "session_id"]
        )
        return self._check(ids)

    def retry_check(self) -> None:
        if self.check_task.run is not None:
            self._check(list(self.check_task.run.failures) + list(self.check_task.run.skipped))

    def _check(self, ids: list[str]) -> TaskRun:
        from zenhire_nb.stt import check_session

        def one(session_id: str) -> Any:
            return check_session(self._client, session_id)

        self.check_button.disabled = True
        run = TaskRun(ids, one, max_workers=1, on_update=self._checked)
        self.check_task.attach(run)
        return run.start()

    def _checked(self, run: TaskRun) -> None:
        self.check_task.update()
        self.check.update(run.results)
        if run.finished:
            self.check_button.disabled = False
            self.check_summary.value = self._check_table()

    def _check_table(self) -> str:
        rows = []
        if self.cohort is None:
            return ""
        for name in self.groups:
            mask = self.groups[name].mask(self.cohort.sessions)
            ids = [sid for sid in self.cohort.sessions.loc[mask, "session_id"] if sid in self.check]
            flagged = sum(int(self.check[sid].turns["flagged"].sum()) for sid in ids)
            wers = [self.check[sid].summary.get("wer") for sid in ids]
            wers = [x for x in wers if x is not None]
            mean = f"{100 * sum(wers) / len(wers):.1f}%" if wers else "—"
            rows.append((name, len(ids), flagged, mean))
        return "<b>Speech-to-text check</b>" + html_table(
            ["Group", "Sessions checked", "Flagged turns", "Mean WER"], rows
        )


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _range(line: str) -> tuple[date | None, date | None]:
    start, sep, end = line.strip().partition("..")
    if not sep:
        raise ValueError(
            f"date range {line.strip()!r}: write from..to, e.g. 2026-11-01..2026-11-15"
        )
    try:
        return (
            date.fromisoformat(start.strip()) if start.strip() else None,
            date.fromisoformat(end.strip()) if end.strip() else None,
        )
    except ValueError:
        raise ValueError(f"date range {line.strip()!r}: dates are YYYY-MM-DD") from None


def _unique_labels(labels: Mapping[str, str]) -> dict[str, str]:
    counts: dict[str, int] = {}
    for role in labels.values():
        counts[role] = counts.get(role, 0) + 1
    return {
        pid: role if counts[role] == 1 else f"{role} ({pid[:8]})" for pid, role in labels.items()
    }
