"""The dashboard's seam to the charts: which chart functions, and figures as display data.

A chart function is ``fn(cohort, *, by=groups) -> plotly Figure`` (the contract of
:mod:`zenhire_nb.charts`). Figures are shown as ``plotly.graph_objects.FigureWidget`` (an
anywidget whose JavaScript ships in the plotly wheel, so nothing is fetched). Not the plotly
mimetype inside an ``ipywidgets.Output``: JupyterLab's plotly renderer writes a PNG snapshot
back into the output, the Output widget re-renders, and the chart came out blank (checked in
JupyterLab 4.6 / plotly 7.1).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["DEFAULT_CHART_NAMES", "ChartFunction", "default_charts", "draw_chart", "figure_widget"]

ChartFunction = Callable[..., Any]

DEFAULT_CHART_NAMES = (
    "interview_length",
    "credits_vs_duration",
    "spend_over_time",
    "answer_distributions",
    "talk_time",
    "status_timing",
)


def default_charts() -> list[ChartFunction]:
    """The chart functions of :mod:`zenhire_nb.charts` the dashboard shows by default
    (empty when that part is not installed)."""
    try:
        charts = importlib.import_module("zenhire_nb.charts")
    except ImportError:
        return []
    return [getattr(charts, name) for name in DEFAULT_CHART_NAMES if hasattr(charts, name)]


def draw_chart(fn: ChartFunction, cohort: Any, groups: Mapping[str, Any]) -> Any:
    """``fn(cohort, by=groups)``; errors name the chart."""
    name = getattr(fn, "__name__", repr(fn))
    try:
        return fn(cohort, by=dict(groups))
    except Exception as error:
        raise RuntimeError(f"chart {name!r} could not be drawn: {error}") from error


def figure_widget(figure: Any) -> Any:
    """The figure as a ``FigureWidget`` sized for a dashboard cell (no plotly logo)."""
    import plotly.graph_objects as go

    shown = go.FigureWidget(figure)
    if shown.layout.height is None:
        shown.layout.height = 360
    shown.layout.width = None
    shown.layout.autosize = True  # the width of the dashboard's chart cell
    return shown
