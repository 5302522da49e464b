"""The results browser's session table: filter, sort and page a sessions frame, fast.

:class:`SessionTable` keeps a sessions frame (``sessions_frame`` schema) plus a few derived
columns built once per change of data (lower-cased search text, tag sets, ``key=value``
metadata tokens), so a filter on 5,000 sessions is a handful of vectorised comparisons.
Only the visible page is turned into display rows (plain strings).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames import sessions_frame

__all__ = ["COLUMNS", "SessionFilter", "SessionTable", "parse_metadata_filter"]

# (column of the sessions frame, heading shown)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("created_at", "Created (UTC)"),
    ("status", "Status"),
    ("candidate_ref", "Candidate"),
    ("role_name", "Persona"),
    ("duration_sec", "Duration"),
    ("credit_charged", "Credits"),
    ("feedback_rating", "Rating"),
    ("tags", "Tags"),
    ("session_id", "Session id"),
)
_SORTABLE = {name for name, _ in COLUMNS} - {"tags"}


@dataclass(frozen=True)
class SessionFilter:
    """What the table shows; empty fields filter nothing.

    ``created_from``/``created_to`` are whole UTC days, both included. ``search`` matches a
    part of the candidate reference or the session id, ignoring case.
    """

    statuses: tuple[str, ...] = ()
    persona_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    created_from: date | None = None
    created_to: date | None = None
    search: str = ""

    def __post_init__(self) -> None:
        start, end = self.created_from, self.created_to
        if start is not None and end is not None and start > end:
            raise ValueError(f"the date range is empty: 'from' {start} is after 'to' {end}")


def parse_metadata_filter(text: str) -> dict[str, str]:
    """``"team=data, level=2"`` -> ``{"team": "data", "level": "2"}``.

    Raises:
        ValueError: a part without ``=``, naming it.
    """
    pairs = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"metadata filter {part.strip()!r}: write key=value")
        pairs[key.strip()] = value.strip()
    return pairs


class SessionTable:
    """Sessions with a filter, a sort order and a page: the state behind the table view."""

    def __init__(self, sessions: pd.DataFrame | None = None, *, page_size: int = 25) -> None:
        self.page_size = page_size
        self.filter = SessionFilter()
        self.sort_by = "created_at"
        self.ascending = False
        self.page = 0
        self._frame = sessions_frame([]) if sessions is None else sessions
        self._derive()

    # -- data --------------------------------------------------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def replace_all(self, sessions: pd.DataFrame) -> None:
        self._frame = sessions.reset_index(drop=True)
        self._derive()

    def upsert(self, summaries: Iterable[SessionSummary]) -> int:
        """Add new sessions and replace changed ones (by id); returns how many rows changed."""
        new = sessions_frame(list(summaries))
        if new.empty:
            return 0
        kept = self._frame[~self._frame["session_id"].isin(new["session_id"])]
        frame = new if kept.empty else pd.concat([kept, new], ignore_index=True)
        self.replace_all(frame)
        return len(new)

    def open_session_ids(self) -> list[str]:
        status = self._frame["status"]
        return list(self._frame.loc[status.isin(["initiated", "active"]), "session_id"])

    def _derive(self) -> None:
        frame = self._frame
        refs = frame["candidate_ref"].fillna("").astype(str)
        self._search = (refs + " " + frame["session_id"].astype(str)).str.lower()
        self._tags = [
            frozenset(tags) if tags is not None else frozenset() for tags in frame["tags"]
        ]
        self._meta = [
            frozenset(f"{k}={_text(v)}" for k, v in meta.items()) if meta else frozenset()
            for meta in frame["metadata"]
        ]
        self._view: pd.DataFrame | None = None

    # -- options for the filter controls ---------------------------------------------------

    def personas(self) -> list[tuple[str, str]]:
        """``(label, persona_id)`` pairs, labelled by role name."""
        pairs = self._frame[["persona_id", "role_name"]].drop_duplicates("persona_id")
        return sorted(
            (f"{role if isinstance(role, str) else '?'} ({pid[:8]})", pid)
            for pid, role in pairs.itertuples(index=False)
        )

    def all_tags(self) -> list[str]:
        return sorted(set().union(*self._tags)) if self._tags else []

    # -- filter, sort, page ---------------------------------------------------------------

    def set_filter(self, new: SessionFilter) -> None:
        self.filter = new
        self.page = 0
        self._view = None

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self.filter, **changes))

    def set_sort(self, column: str, ascending: bool | None = None) -> None:
        """Sort by ``column``; the same column again flips the order."""
        if column not in _SORTABLE:
            raise ValueError(f"cannot sort by {column!r}; sortable: {', '.join(sorted(_SORTABLE))}")
        if ascending is None:
            ascending = not self.ascending if column == self.sort_by else column != "created_at"
        self.sort_by, self.ascending = column, ascending
        self._view = None

    def set_page(self, page: int) -> None:
        self.page = min(max(0, page), self.pages - 1)

    def view(self) -> pd.DataFrame:
        """The filtered, sorted frame (memoised until the data, filter or sort changes)."""
        if self._view is None:
            mask = self._mask()
            view = self._frame[mask]
            self._view = view.sort_values(
                self.sort_by, ascending=self.ascending, na_position="last", kind="stable"
            )
        return self._view

    @property
    def matching(self) -> int:
        return len(self.view())

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.matching / self.page_size))

    def rows(self) -> list[dict[str, str]]:
        """The current page as display rows (strings), with ``session_id`` always present."""
        start = self.page * self.page_size
        page = self.view().iloc[start : start + self.page_size]
        return [_display(record) for record in page.to_dict("records")]

    def _mask(self) -> np.ndarray:
        f, frame = self.filter, self._frame
        keep = np.ones(len(frame), dtype=bool)

        def flags(series: pd.Series) -> np.ndarray:
            return series.to_numpy(dtype=bool, na_value=False)

        if f.statuses:
            keep &= flags(frame["status"].isin(f.statuses))
        if f.persona_ids:
            keep &= flags(frame["persona_id"].isin(f.persona_ids))
        if f.tags:
            wanted = frozenset(f.tags)
            keep &= np.fromiter((wanted <= tags for tags in self._tags), bool, len(frame))
        if f.metadata:
            tokens = frozenset(f"{k}={v}" for k, v in f.metadata.items())
            keep &= np.fromiter((tokens <= meta for meta in self._meta), bool, len(frame))
        created = frame["created_at"]
        if f.created_from is not None:
            keep &= flags(created >= _day_start(f.created_from))
        if f.created_to is not None:
            keep &= flags(created < _day_start(f.created_to) + timedelta(days=1))
        if f.search.strip():
            keep &= flags(self._search.str.contains(f.search.strip().lower(), regex=False))
        return keep


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _display(record: Mapping[str, Any]) -> dict[str, str]:
    shown = {name: _cell(name, record.get(name)) for name, _ in COLUMNS}
    shown["session_id"] = str(record["session_id"])
    return shown


def _cell(name: str, value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if name == "created_at":
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    if name == "duration_sec":
        minutes, seconds = divmod(int(value), 60)
        return f"{minutes}:{seconds:02d}"
    if name == "tags":
        return ", ".join(value) if isinstance(value, Sequence) else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
