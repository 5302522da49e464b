"""Figures that answer the analysts' questions at a glance (plotly, express style).

Every chart takes a frame of :mod:`zenhire_nb.frames` (or a ``Cohort``; a ``CohortCheck`` for
:func:`stt_agreement`) first, column names as strings, and returns a new
``plotly.graph_objects.Figure``. Charts never call ``.show()``, never change plotly's global
settings and never modify their input. ``by=`` groups sessions the same way everywhere (a
column, ``"tags"``, ``"metadata.KEY"``, ``"created_at:week"``, or ``{name: ids or
CohortQuery}``; see :mod:`zenhire_nb.charts.groups`), and a group keeps its colour across
charts (:func:`group_colors`). An empty input gives a figure that says "No sessions match".

::

    from zenhire_nb import charts, samples
    cohort = samples.cohort()
    charts.interview_length(cohort, by="role_name")
    charts.cohort_comparison(cohort, by="tags")
"""

from __future__ import annotations

from ._layout import EMPTY_MESSAGE
from .agreement import stt_agreement
from .answers import answer_distributions, answers_heatmap
from .billing import credits_vs_duration, spend_over_time
from .candidate import candidate_vs_cohort
from .comparison import cohort_comparison
from .groups import Groups, Membership
from .length import interview_length
from .palette import PALETTE, group_colors
from .status import status_timing
from .talk import talk_time

__all__ = [
    "EMPTY_MESSAGE",
    "PALETTE",
    "Groups",
    "Membership",
    "answer_distributions",
    "answers_heatmap",
    "candidate_vs_cohort",
    "cohort_comparison",
    "credits_vs_duration",
    "group_colors",
    "interview_length",
    "spend_over_time",
    "status_timing",
    "stt_agreement",
    "talk_time",
]
