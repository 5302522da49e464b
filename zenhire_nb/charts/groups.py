"""One notion of groups for every chart: ``by=`` resolved against a table of sessions.

``by`` may be:

* ``None``: one group, ``"All sessions"``;
* a column of the sessions (``"role_name"``, ``"persona_id"``, ``"status"``, ...);
* ``"tags"``: one group per tag (a session with two tags is in both), ``"tag:a,b"``: only
  those tags;
* ``"metadata.KEY"``: the value of a metadata key (``"metadata.region"``);
* ``"COLUMN:day"``, ``":week"`` or ``":month"``: a time column binned (``"created_at:week"``);
* a mapping ``{group name: session ids or CohortQuery}`` (groups may overlap);
* a :class:`Groups`, to reuse one resolver (and its colours) across charts.

Sessions without a value (no role, no tags, no such metadata key) form the group
``"(missing)"``, so that they are counted rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import pandas as pd

from zenhire_nb.frames.query import CohortQuery

from ._layout import group_title
from .palette import group_colors

__all__ = ["ALL", "MISSING", "By", "Groups", "Membership"]

ALL = "All sessions"
MISSING = "(missing)"
_STATUS_ORDER = ("initiated", "active", "completed", "failed")
_BINS = {"day": "D", "week": "W-SUN", "month": "M"}

By = Union[str, Mapping[str, Any], "Groups", None]


@dataclass(frozen=True)
class Membership:
    """Which session is in which group, resolved once for one chart.

    Attributes:
        pairs: one row per (session, group): columns ``session_id`` and ``group``; a session
            in two groups has two rows.
        order: group names in display order.
        counts: sessions per group.
        colors: ``{group: colour}`` from the stable palette.
        title: what the groups are, in plain words (``"Role"``, ``"Tag"``), for axes and titles.
    """

    pairs: pd.DataFrame
    order: list[str]
    counts: dict[str, int]
    colors: dict[str, str]
    title: str

    def label(self, group: str) -> str:
        """The legend text of a group: its name and how many sessions it holds."""
        return f"{group} (n={self.counts.get(group, 0)})"

    def attach(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` (with a ``session_id`` column) joined to the groups: rows of sessions in
        several groups repeat, rows of sessions in none are dropped. Returns a new frame."""
        return frame.merge(self.pairs, on="session_id", how="inner", sort=False)


class Groups:
    """A reusable ``by=``: how sessions are grouped, plus optional fixed colours and order.

    Args:
        by: as described in the module docstring.
        colors: ``{group: colour}`` overriding the palette.
        order: group names to show first, in this order (others follow, sorted).
    """

    def __init__(
        self,
        by: str | Mapping[str, Any] | Groups | None = None,
        *,
        colors: Mapping[str, str] | None = None,
        order: Sequence[str] | None = None,
    ) -> None:
        if isinstance(by, Groups):
            other: Groups = by
            by, colors, order = other.by, colors or other.colors, order or other.order
        if by is not None and not isinstance(by, (str, Mapping)):
            raise TypeError(
                f"by must be a column name, 'tags', 'metadata.KEY', 'COLUMN:week' or a mapping "
                f"of group -> session ids; got {type(by).__name__}"
            )
        self.by: str | Mapping[str, Any] | None = by
        self.colors: dict[str, str] = dict(colors or {})
        self.order: list[str] = list(order or [])

    def __repr__(self) -> str:
        return f"Groups(by={self.by!r})"

    def resolve(self, sessions: pd.DataFrame) -> Membership:
        """The groups of the sessions in ``sessions`` (one row per session, ``session_id``).

        Raises:
            ValueError: ``by`` names a column the table does not have (naming it and listing
                what is there), or a bad time bin.
        """
        ids = sessions["session_id"].astype(str)
        pairs, title = self._pairs(sessions, ids)
        pairs = pairs.drop_duplicates(ignore_index=True)
        counts = pairs.groupby("group", sort=False)["session_id"].nunique().to_dict()
        order = self._order(list(counts), group_title(title))
        colors = group_colors(order, colors=self.colors)
        counted = {g: int(counts[g]) for g in order}
        return Membership(pairs, order, counted, colors, group_title(title))

    def _pairs(self, sessions: pd.DataFrame, ids: pd.Series) -> tuple[pd.DataFrame, str]:
        by = self.by
        if by is None:
            return _frame(ids, pd.Series(ALL, index=ids.index)), "group"
        if isinstance(by, Mapping):
            return _explicit(sessions, ids, by), "group"
        if by == "tags" or by.startswith("tag:"):
            return _tags(sessions, ids, by), "tag"
        if by.startswith("metadata."):
            key = by.removeprefix("metadata.")
            values = _column(sessions, "metadata", by).map(
                lambda meta: meta.get(key) if isinstance(meta, Mapping) else None
            )
            return _frame(ids, _text(values)), key.replace("_", " ").capitalize()
        column, _, unit = by.partition(":")
        values = _column(sessions, column, by)
        if unit:
            return _frame(ids, _binned(values, unit, by)), f"{column} ({unit})"
        return _frame(ids, _text(values)), column

    def _order(self, names: list[str], title: str) -> list[str]:
        if title == "Status":
            known = [s for s in _STATUS_ORDER if s in names]
            rest = sorted(n for n in names if n not in known)
            natural = known + rest
        else:
            natural = sorted(names, key=lambda n: (n == MISSING, n))
        first = [n for n in self.order if n in names]
        return first + [n for n in natural if n not in first]


def _frame(ids: pd.Series, groups: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"session_id": ids.to_numpy(), "group": groups.to_numpy()}).astype(
        {"session_id": "string", "group": "string"}
    )


def _column(sessions: pd.DataFrame, column: str, by: str) -> pd.Series:
    if column not in sessions.columns:
        raise ValueError(
            f"by={by!r}: the sessions have no column {column!r} (columns: "
            f"{', '.join(map(str, sessions.columns))}); use a column, 'tags', 'tag:NAME', "
            "'metadata.KEY', 'COLUMN:day|week|month' or a mapping of group -> session ids"
        )
    return sessions[column]


def _text(values: pd.Series) -> pd.Series:
    present = values.notna() & values.astype(str).str.len().gt(0)
    return values.astype(object).where(present, MISSING).map(str)


def _binned(values: pd.Series, unit: str, by: str) -> pd.Series:
    if unit not in _BINS:
        raise ValueError(f"by={by!r}: time bins are {', '.join(_BINS)}, got {unit!r}")
    if not pd.api.types.is_datetime64_any_dtype(values):
        raise ValueError(f"by={by!r}: column is not a time column ({values.dtype})")
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz else values
    periods = naive.dt.to_period(_BINS[unit])
    starts = periods.dt.start_time.dt.strftime("%Y-%m-%d" if unit != "month" else "%Y-%m")
    label = starts if unit != "week" else "week of " + starts
    return label.astype(object).where(values.notna(), MISSING)


def _tags(sessions: pd.DataFrame, ids: pd.Series, by: str) -> pd.DataFrame:
    tags = _column(sessions, "tags", by).map(lambda t: list(t) if t is not None else [])
    wanted = None if by == "tags" else [t for t in by.removeprefix("tag:").split(",") if t]
    exploded = pd.DataFrame({"session_id": ids.to_numpy(), "group": tags.to_numpy()})
    exploded = exploded.explode("group")
    if wanted is not None:
        return exploded[exploded["group"].isin(wanted)].astype("string")
    return exploded.fillna({"group": MISSING}).astype("string")


def _explicit(sessions: pd.DataFrame, ids: pd.Series, by: Mapping[str, Any]) -> pd.DataFrame:
    parts = []
    for name, members in by.items():
        if isinstance(members, CohortQuery):
            mask = members.mask(sessions).to_numpy()
        elif isinstance(members, str) or not isinstance(members, (Sequence, set, frozenset)):
            raise TypeError(
                f"group {name!r}: give a list of session ids or a CohortQuery, "
                f"got {type(members).__name__}"
            )
        else:
            mask = ids.isin([str(m) for m in members]).to_numpy()
        parts.append(_frame(ids[mask], pd.Series(str(name), index=ids[mask].index)))
    if not parts:
        return _frame(ids.iloc[:0], ids.iloc[:0])
    return pd.concat(parts, ignore_index=True)
