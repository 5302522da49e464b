"""Argument checks done before any request is sent.

An id goes into a URL path, so anything that could change the path (``/``, ``..``), end it
(``?``, ``#``), smuggle an escape (``%``) or make the URL ambiguous (whitespace, control
characters) is refused outright rather than encoded: a well-formed platform id never needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from zenhire_nb.client.errors import (
    InvalidArgumentError,
    InvalidIdError,
    ResponseValidationError,
)
from zenhire_nb.contract.limits import Limits

__all__ = ["PageGuard", "check_id", "list_params"]

_FORBIDDEN_IN_ID = frozenset("/?#%\\")


def check_id(value: object, argument: str) -> str:
    """Return ``value`` if it is a usable path id, else raise InvalidIdError naming ``argument``."""
    if not isinstance(value, str):
        raise InvalidIdError(
            f"{argument} must be a string, not {type(value).__name__}", argument=argument
        )
    problem = _id_problem(value)
    if problem:
        raise InvalidIdError(
            f"{argument} {value!r} is not a valid id: {problem}", argument=argument
        )
    return value


def _id_problem(value: str) -> str | None:
    if not value:
        return "it is empty"
    if ".." in value:
        return "it contains '..'"
    bad = sorted({ch for ch in value if ch in _FORBIDDEN_IN_ID})
    if bad:
        return f"it contains {', '.join(repr(ch) for ch in bad)}"
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return "it contains whitespace or control characters"
    return None


def _text(value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _timestamp(value: datetime | str, argument: str) -> str:
    """ISO 8601; a naive datetime is taken as UTC (the platform's clock)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise InvalidArgumentError(
        f"{argument} must be a datetime or an ISO 8601 string, got {value!r}", argument=argument
    )


def _tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, (str, bytes)):
        raise InvalidArgumentError(
            "tags must be a list of strings, e.g. tags=['senior']", argument="tags"
        )
    out = list(tags)
    for tag in out:
        if not isinstance(tag, str) or not tag:
            raise InvalidArgumentError(
                f"tags holds {tag!r}: each tag is a non-empty string", argument="tags"
            )
    return out


def _metadata(metadata: Mapping[str, Any]) -> list[tuple[str, str]]:
    if not isinstance(metadata, Mapping):
        raise InvalidArgumentError("metadata must be a dict of key -> value", argument="metadata")
    pairs = []
    for key, value in metadata.items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(
                f"metadata key {key!r} is not a non-empty string", argument="metadata"
            )
        pairs.append((f"metadata.{key}", _text(value)))
    return pairs


def list_params(
    *,
    status: object = None,
    persona_id: str | None = None,
    candidate_ref: str | None = None,
    tags: Iterable[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    created_after: datetime | str | None = None,
    created_before: datetime | str | None = None,
    page_size: int | None = None,
) -> list[tuple[str, str]]:
    """The query of ``GET /sessions`` (without cursor) as ordered pairs; raises InvalidIdError."""
    params: list[tuple[str, str]] = []
    if status is not None:
        params.append(("status", _text(status)))
    if persona_id is not None:
        params.append(("persona_id", check_id(persona_id, "persona_id")))
    if candidate_ref is not None:
        params.append(("candidate_ref", str(candidate_ref)))
    params += [("tag", tag) for tag in _tags(tags or [])]
    params += _metadata(metadata) if metadata is not None else []
    if created_after is not None:
        params.append(("created_after", _timestamp(created_after, "created_after")))
    if created_before is not None:
        params.append(("created_before", _timestamp(created_before, "created_before")))
    if page_size is not None:
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise InvalidArgumentError("page_size must be an int", argument="page_size")
        if not 1 <= page_size <= Limits.LIST_LIMIT_MAX:
            raise InvalidArgumentError(
                f"page_size must be 1..{Limits.LIST_LIMIT_MAX}, got {page_size}",
                argument="page_size",
            )
        params.append(("limit", str(page_size)))
    return params


class PageGuard:
    """Stops a listing that would never end: a cursor seen before (the server pages in a
    cycle, whatever its length) or more than ``max_pages`` pages.

    The check runs before a page's rows are yielded, so a cycle yields no row twice.
    """

    def __init__(self, first_cursor: str | None, max_pages: int) -> None:
        if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
            raise InvalidArgumentError(
                f"max_pages must be a positive int, got {max_pages!r}", argument="max_pages"
            )
        self.max_pages = max_pages
        self.pages = 0
        # Digests would do as well; cursors are short, and max_pages bounds the set anyway.
        self._seen: set[str] = set() if first_cursor is None else {first_cursor}

    def check(self, next_cursor: str | None) -> None:
        """Count one page received; raises ResponseValidationError if paging must stop."""
        self.pages += 1
        if next_cursor is None:
            return
        if next_cursor in self._seen:
            raise ResponseValidationError(
                f"list sessions: page {self.pages} points back to cursor {next_cursor[:80]!r}, "
                "which an earlier page gave: the server pages in a cycle; stopped"
            )
        if self.pages >= self.max_pages:
            raise ResponseValidationError(
                f"list sessions: still more pages after {self.pages} pages (max_pages="
                f"{self.max_pages}); stopped. Narrow the filters or pass a larger max_pages"
            )
        self._seen.add(next_cursor)
