"""The raw documents behind a frame, kept reachable through ``df.attrs`` without copies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["RawDocuments"]


class RawDocuments(Mapping[str, Any]):
    """Read-only mapping ``session_id -> document`` stored in ``df.attrs["raw"]``.

    pandas deep-copies ``attrs`` on nearly every operation; copying thousands of transcripts on
    each ``df.head()`` would be slow, so this view returns itself from ``deepcopy``. The
    documents are the caller's objects, not copies: treat them as read-only.
    """

    __slots__ = ("_documents",)

    def __init__(self, documents: Mapping[str, Any] | None = None) -> None:
        self._documents = dict(documents or {})

    def __getitem__(self, session_id: str) -> Any:
        return self._documents[session_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def __deepcopy__(self, memo: dict[int, Any]) -> RawDocuments:
        return self

    def __copy__(self) -> RawDocuments:
        return self

    def __repr__(self) -> str:
        return f"RawDocuments({len(self._documents)} documents)"
