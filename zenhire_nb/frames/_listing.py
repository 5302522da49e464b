"""Listing a cohort's sessions: page by page, or as concurrent time slices once the shape is known.

(The planning lives here; the listing itself is a step of :mod:`._async_load`.)

The contract pages the list with an opaque cursor, so a plain listing of ``n`` sessions costs
``ceil(n / 100)`` round trips one after the other; across the internet that latency dominates a
warm re-load. After a listing we remember where to cut the time axis so each slice fits in about
three quarters of a page (the *hints*, only timestamps, kept per platform and filter set under the
cache root). The next listing asks for every slice at once (``created_after`` /
``created_before``), so it takes about one round trip whatever the cohort's size.

Why this never loses a session: consecutive slices overlap (each cut is widened by a quarter of
the gap between the two known sessions it separates), so every instant of the time axis lies in
at least one slice whether the platform treats the bounds as inclusive or exclusive and whatever
its timestamp precision. A session created since (in any slice, or newer than all) is listed; a
slice that grew past one page is simply paged. Sessions listed by two slices are kept once.

Order: every listing (sliced or not) is returned newest first by ``created_at``, stable for
equal timestamps, so a cold and a warm load give the same rows in the same order.

The hints are keyed by platform and filters, not by tenant (the tenant is known only from the
listed rows): two tenants sharing a cache root and filters may overwrite each other's hints,
which costs extra pages, never sessions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames.cache import platform_folder, write_atomically

__all__ = [
    "Slice",
    "hints_path",
    "listing_hints",
    "merge_slices",
    "plan_slices",
    "read_slices",
    "remember_slices",
    "slice_filters",
    "slices_or_plain",
    "sliceable",
    "write_slices",
]

Slice = tuple[datetime | None, datetime | None]  # (created_after, created_before); None = open
_FILL = 0.75  # of a page: room for new sessions before a slice needs a second page
_HINTS_VERSION = 1


def plan_slices(created: Sequence[datetime], page_size: int) -> list[Slice]:
    """Overlapping time slices, newest first, of about ``_FILL`` pages each; open at both ends.

    ``created``: the ``created_at`` of the sessions just listed (any order).
    """
    ordered = sorted(created, reverse=True)
    target = max(1, int(page_size * _FILL))
    cuts: list[tuple[datetime, datetime]] = []  # (newer slice's after, older slice's before)
    in_slice = 0
    for newer, older in zip(ordered, ordered[1:], strict=False):
        in_slice += 1
        if in_slice >= target and newer > older:
            quarter = (newer - older) / 4
            middle = older + (newer - older) / 2
            cuts.append((middle - quarter, middle + quarter))
            in_slice = 0
    afters: list[datetime | None] = [after for after, _ in cuts] + [None]
    befores: list[datetime | None] = [None] + [before for _, before in cuts]
    return list(zip(afters, befores, strict=True))


def slice_filters(filters: dict[str, Any], slices: Sequence[Slice]) -> list[dict[str, Any]]:
    """The list filters of each slice (the caller's filters plus the slice's bounds)."""
    return [
        {**filters, "created_after": after, "created_before": before} for after, before in slices
    ]


def merge_slices(pages: Sequence[Sequence[SessionSummary]]) -> list[SessionSummary]:
    """One list from slices (or a single plain listing): each session once, newest first."""
    seen: set[str] = set()
    merged = []
    for rows in pages:
        for summary in rows:
            if summary.id not in seen:
                seen.add(summary.id)
                merged.append(summary)
    merged.sort(key=lambda summary: summary.created_at, reverse=True)  # stable for equal times
    return merged


def sliceable(filters: dict[str, Any]) -> bool:
    """Slicing is used only when the caller bounds no creation time (nothing to intersect)."""
    return filters.get("created_after") is None and filters.get("created_before") is None


def hints_path(cache_root: Path, platform_folder: str, filters: dict[str, Any]) -> Path:
    """Where the slices for this platform and filter set are remembered (no ids, no secrets)."""
    wanted = {k: v for k, v in filters.items() if k != "page_size"}
    digest = hashlib.sha256(json.dumps(wanted, sort_keys=True, default=str).encode()).hexdigest()
    return cache_root / platform_folder / "listing" / f"{digest[:32]}.json"


def read_slices(path: Path) -> list[Slice] | None:
    """The remembered slices, or ``None`` when there are none usable (missing or unreadable:
    the hints only speed listing up, so any doubt falls back on plain paging)."""
    try:
        document = json.loads(path.read_bytes())
        if document.get("version") != _HINTS_VERSION:
            return None
        return [(_time(after), _time(before)) for after, before in document["slices"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_slices(path: Path, slices: list[Slice], known: list[Slice] | None) -> None:
    """Remember ``slices`` (atomically) unless they are what is already there; never raises
    for I/O (a read-only cache just lists page by page next time)."""
    if slices == known:
        return
    document = {
        "version": _HINTS_VERSION,
        "slices": [[_text(after), _text(before)] for after, before in slices],
    }
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(document).encode(), durable=False)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def listing_hints(
    base_url: str, filters: dict[str, Any], cache_root: Path
) -> tuple[Path | None, list[Slice] | None]:
    """Where this listing's slices are remembered and what is remembered there (``None`` for
    either when the listing cannot be sliced, or nothing usable is known yet)."""
    if not sliceable(filters):
        return None, None
    path = hints_path(cache_root, platform_folder(base_url), filters)
    return path, read_slices(path)


def slices_or_plain(filters: dict[str, Any], known: list[Slice] | None) -> list[dict[str, Any]]:
    """The list filters to send side by side: one per known slice, else the plain listing."""
    return slice_filters(filters, known) if known else [filters]


def remember_slices(
    path: Path | None,
    merged: list[SessionSummary],
    filters: dict[str, Any],
    known: list[Slice] | None,
) -> None:
    """Remember where to cut the next listing of ``merged`` (see the module docstring)."""
    if path is None:
        return
    slices = plan_slices([summary.created_at for summary in merged], filters["page_size"])
    if len(slices) > 1 or known is not None:  # one open slice is plain paging: nothing to keep
        write_slices(path, slices, known)
