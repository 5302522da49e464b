"""The dashboard's groups: named :class:`~zenhire_nb.frames.CohortQuery` objects, and
loading them into one cohort the charts can split again with ``by=groups``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd

from zenhire_nb.frames import Cohort, CohortQuery

__all__ = ["GROUP_KINDS", "group_queries", "merge_cohorts"]

GROUP_KINDS = ("persona", "tag", "metadata", "dates", "saved")


def group_queries(
    kind: str,
    values: Sequence[Any],
    *,
    labels: Mapping[Any, str] | None = None,
    metadata_key: str | None = None,
    saved: Mapping[str, CohortQuery] | None = None,
    date_range: tuple[date | None, date | None] = (None, None),
) -> dict[str, CohortQuery]:
    """One completed-sessions query per chosen value.

    ``kind`` is persona (values: persona ids), tag (tags), metadata (values of
    ``metadata_key``), dates (values: ``(from, to)`` day pairs, both included) or saved
    (names in ``saved``). ``date_range`` narrows every group (not for saved queries).

    Raises:
        ValueError: an unknown kind, no value, or a missing metadata key.
    """
    if kind not in GROUP_KINDS:
        raise ValueError(f"group by one of {', '.join(GROUP_KINDS)}, not {kind!r}")
    if not values:
        raise ValueError("choose at least one group")
    labels = labels or {}
    if kind == "saved":
        saved = saved or {}
        missing = [name for name in values if name not in saved]
        if missing:
            raise ValueError(f"no saved query named {', '.join(map(repr, missing))}")
        return {name: saved[name] for name in values}
    after, before = _bounds(*date_range)
    base = CohortQuery(created_after=after, created_before=before)
    groups = {}
    for value in values:
        if kind == "persona":
            query = base.replace(persona_id=value)
        elif kind == "tag":
            query = base.replace(tags=[value])
        elif kind == "metadata":
            if not metadata_key:
                raise ValueError("enter the metadata key to group by")
            query = base.replace(metadata={metadata_key: value})
        else:
            after_day, before_day = _bounds(*value)
            query = CohortQuery(created_after=after_day, created_before=before_day)
        groups[labels.get(value, _label(kind, value, metadata_key))] = query
    return groups


def _label(kind: str, value: Any, key: str | None) -> str:
    if kind == "metadata":
        return f"{key}={value}"
    if kind == "dates":
        start, end = value
        return f"{start or '…'} to {end or '…'}"
    return str(value)


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    def day(d: date) -> datetime:
        return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)

    return (
        day(start) if start else None,
        day(end) + timedelta(days=1) if end else None,
    )


def merge_cohorts(cohorts: Sequence[Cohort]) -> Cohort:
    """One cohort holding every session of ``cohorts`` once (groups may overlap)."""
    if len(cohorts) == 1:
        return cohorts[0]

    def frames(name: str) -> pd.DataFrame:
        parts = [getattr(c, name) for c in cohorts if len(getattr(c, name))]
        if not parts:
            return getattr(cohorts[0], name)
        merged = pd.concat(parts, ignore_index=True)
        keys = [k for k in ("session_id", "turn_index", "question_index", "stage") if k in merged]
        return merged.drop_duplicates(keys, ignore_index=True) if keys else merged

    names = ("sessions", "turns", "answers", "recordings", "summary", "failures")
    merged = {name: frames(name) for name in names}
    return Cohort(
        **merged,
        cache_dir=next((c.cache_dir for c in cohorts if c.cache_dir), None),
        transcript_paths={k: v for c in cohorts for k, v in c.transcript_paths.items()},
        recording_paths={k: v for c in cohorts for k, v in c.recording_paths.items()},
    )


ChartFunction = Callable[..., Any]
