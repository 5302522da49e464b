"""Which sessions a cohort holds: one typed, immutable query shared by every part.

``CohortQuery`` is what a user passes around: to :func:`~zenhire_nb.frames.load_cohort`, to
``check_cohort``, to the charts' explicit groups, the widgets and the report command::

    query = CohortQuery(persona_id="p_123", tags=["batch-7"], created_after="2026-11-01")
    cohort = load_cohort(client, query)
    cohort_b = load_cohort(client, query.replace(tags=["batch-8"]))

It holds the list filters of ``client.sessions.list`` (status, persona_id, candidate_ref, tags,
metadata, created_after, created_before) or an explicit list of ``session_ids``. It is checked
when built (bad values raise before any request), hashable, and its repr shows only the fields
that are set. :meth:`CohortQuery.mask` applies it to a sessions frame without a server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CohortFilters", "CohortQuery", "query_from_keywords"]

_STATUSES = ("initiated", "active", "completed", "failed")
# The metadata filter of the platform matches exact JSON scalars.
_METADATA_SCALARS = (str, int, float, bool)


def _as_utc(name: str, value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"{name} must be an ISO 8601 date or datetime, got {value!r}"
            ) from None
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or ISO 8601 text, got {type(value).__name__}")
    # A naive time is read as UTC, as the platform does.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _text_tuple(name: str, values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise TypeError(f"{name} must be a list of strings, not one string ({values!r})")
    items = tuple(values)
    for item in items:
        if not isinstance(item, str) or not item:
            raise ValueError(f"{name} must hold non-empty strings, got {item!r}")
    return tuple(dict.fromkeys(items))


def _optional_text(name: str, value: str | None) -> str | None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError(f"{name} must be a non-empty string or None, got {value!r}")
    return value


@dataclasses.dataclass(frozen=True, repr=False)
class CohortQuery:
    """The sessions of a cohort, by list filters or by explicit ids.

    Attributes:
        status: one of initiated, active, completed, failed; ``None`` for every status. Loaders
            default to ``"completed"`` (only completed sessions have results).
        persona_id, candidate_ref: exact matches.
        tags: sessions carrying every one of these tags.
        metadata: sessions whose metadata holds each key with exactly this value.
        created_after, created_before: creation time bounds (UTC; naive times are UTC,
            ISO text is accepted).
        session_ids: exactly these sessions; only ``status`` may be combined with them.

    Raises:
        ValueError, TypeError: a value of the wrong kind, naming the field.
    """

    status: str | None = "completed"
    persona_id: str | None = None
    candidate_ref: str | None = None
    tags: Sequence[str] | None = None
    metadata: Mapping[str, str | int | float | bool] | None = None
    created_after: datetime | str | None = None
    created_before: datetime | str | None = None
    session_ids: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in _STATUSES:
            raise ValueError(
                f"status must be one of {', '.join(_STATUSES)} or None, got {self.status!r}"
            )
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "persona_id", _optional_text("persona_id", self.persona_id))
        set_(self, "candidate_ref", _optional_text("candidate_ref", self.candidate_ref))
        set_(self, "tags", _text_tuple("tags", self.tags))
        set_(self, "session_ids", _text_tuple("session_ids", self.session_ids))
        set_(self, "created_after", _as_utc("created_after", self.created_after))
        set_(self, "created_before", _as_utc("created_before", self.created_before))
        if self.metadata is not None:
            if not isinstance(self.metadata, Mapping):
                raise TypeError("metadata must be a mapping of key -> value")
            for key, value in self.metadata.items():
                if not isinstance(key, str) or not isinstance(value, _METADATA_SCALARS):
                    raise ValueError(
                        f"metadata filters are key -> string/number/bool, got {key!r}: {value!r}"
                    )
            set_(self, "metadata", _FrozenDict(self.metadata))
        after, before = self.created_after, self.created_before
        if isinstance(after, datetime) and isinstance(before, datetime) and after >= before:
            raise ValueError("created_after must be earlier than created_before")
        if self.session_ids is not None and self.filters_set(ignore_status=True):
            raise ValueError(
                "session_ids cannot be combined with list filters (except status): "
                + ", ".join(self.filters_set(ignore_status=True))
            )

    def filters_set(self, *, ignore_status: bool = False) -> list[str]:
        """Names of the list filters that are set (not ``session_ids``)."""
        names = [f.name for f in dataclasses.fields(self) if f.name != "session_ids"]
        if ignore_status:
            names.remove("status")
        return [name for name in names if getattr(self, name) is not None]

    def list_filters(self) -> dict[str, Any]:
        """The keywords of ``client.sessions.list`` for this query (``session_ids`` excluded)."""
        return {
            "status": self.status,
            "persona_id": self.persona_id,
            "candidate_ref": self.candidate_ref,
            "tags": list(self.tags) if self.tags is not None else None,
            "metadata": dict(self.metadata) if self.metadata is not None else None,
            "created_after": self.created_after,
            "created_before": self.created_before,
        }

    def replace(self, **changes: Any) -> CohortQuery:
        """A copy with some fields changed (checked like a new query)."""
        return dataclasses.replace(self, **changes)

    def mask(self, sessions: pd.DataFrame) -> pd.Series:
        """Which rows of a sessions frame (``sessions_frame`` schema) this query selects.

        Raises:
            KeyError: a column the query needs is missing, naming it.
        """
        import pandas as pd

        keep = pd.Series(True, index=sessions.index)

        def column(name: str) -> pd.Series:
            if name not in sessions.columns:
                raise KeyError(f"the frame has no {name!r} column, which the query filters on")
            return sessions[name]

        for name in ("status", "persona_id", "candidate_ref"):
            wanted = getattr(self, name)
            if wanted is not None:
                keep &= (column(name) == wanted).fillna(False).astype(bool)
        if self.session_ids is not None:
            keep &= column("session_id").isin(self.session_ids)
        if self.tags is not None:
            wanted_tags = set(self.tags)
            keep &= column("tags").map(lambda tags: wanted_tags <= set(tags or ())).astype(bool)
        if self.metadata is not None:
            pairs = dict(self.metadata)
            keep &= (
                column("metadata")
                .map(
                    lambda meta: (
                        isinstance(meta, Mapping)
                        and all(key in meta and meta[key] == value for key, value in pairs.items())
                    )
                )
                .astype(bool)
            )
        if self.created_after is not None:
            keep &= (column("created_at") >= self.created_after).fillna(False).astype(bool)
        if self.created_before is not None:
            keep &= (column("created_at") < self.created_before).fillna(False).astype(bool)
        return keep

    def __repr__(self) -> str:
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, _FrozenDict):
                value = dict(value)
            shown.append(f"{f.name}={value!r}")
        return f"CohortQuery({', '.join(shown)})"


class _FrozenDict(dict[str, Any]):
    """A read-only, hashable dict, so a query can be a dict key or a cache key."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a CohortQuery's metadata is read-only: use query.replace(metadata=...)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]


class CohortFilters(TypedDict, total=False):
    """The keyword shortcuts of the loaders (``load_cohort(client, persona_id=...)``): the
    fields of :class:`CohortQuery`, so type checkers see them through ``Unpack``."""

    status: str | None
    persona_id: str | None
    candidate_ref: str | None
    tags: Sequence[str] | None
    metadata: Mapping[str, str | int | float | bool] | None
    created_after: datetime | str | None
    created_before: datetime | str | None
    session_ids: Sequence[str] | None


_FIELDS = frozenset(f.name for f in dataclasses.fields(CohortQuery))


def query_from_keywords(
    query: CohortQuery | None, keywords: Mapping[str, Any], *, where: str
) -> CohortQuery:
    """The one place keyword shortcuts become a :class:`CohortQuery`.

    ``query`` wins as the base; ``keywords`` (e.g. ``persona_id=…`` passed to a loader) override
    its fields. ``where`` names the caller in errors.

    Raises:
        TypeError: an unknown keyword (naming it and the caller).
    """
    unknown = sorted(set(keywords) - _FIELDS)
    if unknown:
        raise TypeError(
            f"{where}() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
            f"cohort filters are {', '.join(sorted(_FIELDS))}"
        )
    if query is not None and not isinstance(query, CohortQuery):
        raise TypeError(f"{where}() takes a CohortQuery, got {type(query).__name__}")
    base = query if query is not None else CohortQuery()
    return base.replace(**keywords) if keywords else base
