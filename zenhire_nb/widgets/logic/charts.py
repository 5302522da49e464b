"""The dashboard's seam to the charts: which chart functions, and figures as display data.

A chart function is ``fn(cohort, *, by=groups) -> plotly Figure`` (the contract of
:mod:`zenhire_nb.charts`). Figures travel as the ``application/vnd.plotly.v1+json`` output,
which JupyterLab and Notebook 7 render with their bundled plotly renderer (nothing fetched).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["DEFAULT_CHART_NAMES", "ChartFunction", "default_charts", "draw_chart", "figure_output"]

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


def figure_output(figure: Any, *, title: str = "") -> dict[str, Any]:
    """An nbformat ``display_data`` output holding the figure for the plotly renderer."""
    spec = json.loads(figure.to_json())
    spec.setdefault("config", {}).update(displaylogo=False, responsive=True)
    return {
        "output_type": "display_data",
        "data": {"application/vnd.plotly.v1+json": spec, "text/plain": title or "plotly figure"},
        "metadata": {},
    }


def chart_names(charts: Sequence[ChartFunction]) -> list[str]:
    return [
        getattr(fn, "__name__", f"chart {i + 1}").replace("_", " ") for i, fn in enumerate(charts)
    ]
