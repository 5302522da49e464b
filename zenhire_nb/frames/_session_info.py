"""Per-session context (candidate_ref, role_name) from whatever the caller has at hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import pandas as pd

from zenhire_nb.contract import SessionSummary

__all__ = ["SessionInfo", "session_info"]


class SessionInfo(NamedTuple):
    """What the turn-level frames repeat on every row of a session."""

    candidate_ref: str | None = None
    role_name: str | None = None


_UNKNOWN = SessionInfo()


def session_info(source: Any) -> dict[str, SessionInfo]:
    """Normalise session context into ``{session_id: SessionInfo}``.

    Accepts ``None``, a sessions frame (columns ``session_id``, ``candidate_ref``,
    ``role_name``), a mapping ``session_id -> SessionSummary | dict``, or an iterable of
    :class:`SessionSummary`. The role comes from the list row's ``role_name`` or, failing
    that, from the single-session ``persona``.

    Raises:
        TypeError: ``source`` is none of these.
    """
    if source is None:
        return {}
    if isinstance(source, pd.DataFrame):
        return _from_frame(source)
    if isinstance(source, Mapping):
        return {str(key): _from_item(value) for key, value in source.items()}
    if isinstance(source, Iterable):
        result = {}
        for item in source:
            if not isinstance(item, SessionSummary):
                raise TypeError(f"session info: expected SessionSummary items, got {type(item)}")
            result[item.id] = _from_item(item)
        return result
    raise TypeError(f"session info: unsupported type {type(source).__name__}")


def _from_frame(frame: pd.DataFrame) -> dict[str, SessionInfo]:
    if "session_id" not in frame.columns:
        raise ValueError("session info frame needs a 'session_id' column")
    refs = frame["candidate_ref"] if "candidate_ref" in frame.columns else [None] * len(frame)
    roles = frame["role_name"] if "role_name" in frame.columns else [None] * len(frame)
    return {
        str(sid): SessionInfo(_text(ref), _text(role))
        for sid, ref, role in zip(frame["session_id"], refs, roles, strict=True)
    }


def _from_item(item: Any) -> SessionInfo:
    if isinstance(item, SessionSummary):
        role = item.role_name or (item.persona.role_name if item.persona else None)
        return SessionInfo(item.candidate_ref, role)
    if isinstance(item, Mapping):
        role = item.get("role_name")
        persona = item.get("persona")
        if role is None and isinstance(persona, Mapping):
            role = persona.get("role_name")
        return SessionInfo(_text(item.get("candidate_ref")), _text(role))
    if item is None:
        return _UNKNOWN
    raise TypeError(f"session info: expected SessionSummary or dict, got {type(item).__name__}")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
