"""Transcript documents in the shapes a platform may serve (docs/contract.md §6).

:func:`render_transcript` turns canonical turns (``{"speaker": "interviewer"|"candidate",
"text": str, "start": float, "end": float}``, seconds) into one of these JSON documents:

``"array"`` (the sandbox default)
    ``[{"speaker": "interviewer", "text": "…", "start": 0.5, "end": 4.2}, …]``: the canonical
    turns themselves, a top-level array.
``"turns"``
    ``{"turns": [<the same turn objects>]}``.
``"segments"``
    ``{"segments": [{"speaker": "interviewer", "text": "…", "start_ms": 500, "end_ms": 4200},
    …]}``: times as integer milliseconds (rounded).
``"utterances"``
    ``{"utterances": [{"role": "assistant"|"user", "content": "…", "start": 0.5, "end": 4.2},
    …]}``: chat-style roles, ``assistant`` is the interviewer, ``user`` the candidate.
``"messages"``
    ``{"messages": [{"role": "agent"|"human", "transcript": "…"}, …]}``: ``agent`` is the
    interviewer, ``human`` the candidate; no times at all.

Every shape keeps the turns in time order. :func:`canonical_turns` reads any of them back (the
inverse, used to check round trips; ``"messages"`` comes back with ``start``/``end`` None).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SHAPES", "canonical_turns", "render_transcript"]

SHAPES = ("array", "turns", "segments", "utterances", "messages")
_UTTERANCE_ROLES = {"interviewer": "assistant", "candidate": "user"}
_MESSAGE_ROLES = {"interviewer": "agent", "candidate": "human"}


def render_transcript(turns: list[dict[str, Any]], shape: str = "array") -> Any:
    """The transcript document for ``turns`` in ``shape`` (a new object; inputs untouched).

    Raises:
        ValueError: unknown ``shape`` (names the known ones), or a turn lacks a key or has a
            speaker other than "interviewer"/"candidate" (names the turn index).
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown transcript shape {shape!r}; expected one of {SHAPES}")
    for index, turn in enumerate(turns):
        _check_turn(index, turn)
    if shape == "array":
        return [_canonical(turn) for turn in turns]
    if shape == "turns":
        return {"turns": [_canonical(turn) for turn in turns]}
    if shape == "segments":
        return {"segments": [_segment(turn) for turn in turns]}
    if shape == "utterances":
        return {"utterances": [_utterance(turn) for turn in turns]}
    return {"messages": [_message(turn) for turn in turns]}


def canonical_turns(document: Any) -> list[dict[str, Any]]:
    """Canonical turns from a document produced by :func:`render_transcript`.

    Raises:
        ValueError: the document is none of the shapes above.
    """
    if isinstance(document, list):
        return [_canonical(turn) for turn in document]
    if isinstance(document, dict) and len(document) == 1:
        key, items = next(iter(document.items()))
        readers = {"turns": _canonical, "segments": _from_segment,
                   "utterances": _from_utterance, "messages": _from_message}  # fmt: skip
        if key in readers and isinstance(items, list):
            return [readers[key](item) for item in items]
    raise ValueError(f"not a transcript document of a known shape: {type(document).__name__}")


def _check_turn(index: int, turn: dict[str, Any]) -> None:
    missing = [key for key in ("speaker", "text", "start", "end") if key not in turn]
    if missing:
        raise ValueError(f"transcript turn {index} lacks {', '.join(missing)}")
    if turn["speaker"] not in _UTTERANCE_ROLES:
        raise ValueError(f"transcript turn {index} has unknown speaker {turn['speaker']!r}")


def _canonical(turn: dict[str, Any]) -> dict[str, Any]:
    keys = ("speaker", "text", "start", "end")
    return {key: turn[key] for key in keys}


def _segment(turn: dict[str, Any]) -> dict[str, Any]:
    start_ms, end_ms = round(turn["start"] * 1000), round(turn["end"] * 1000)
    return {
        "speaker": turn["speaker"],
        "text": turn["text"],
        "start_ms": start_ms,
        "end_ms": end_ms,
    }


def _utterance(turn: dict[str, Any]) -> dict[str, Any]:
    role = _UTTERANCE_ROLES[turn["speaker"]]
    return {"role": role, "content": turn["text"], "start": turn["start"], "end": turn["end"]}


def _message(turn: dict[str, Any]) -> dict[str, Any]:
    return {"role": _MESSAGE_ROLES[turn["speaker"]], "transcript": turn["text"]}


def _speaker_of(role: str, table: dict[str, str]) -> str:
    return {value: key for key, value in table.items()}[role]


def _from_segment(item: dict[str, Any]) -> dict[str, Any]:
    return {"speaker": item["speaker"], "text": item["text"],
            "start": item["start_ms"] / 1000, "end": item["end_ms"] / 1000}  # fmt: skip


def _from_utterance(item: dict[str, Any]) -> dict[str, Any]:
    return {"speaker": _speaker_of(item["role"], _UTTERANCE_ROLES), "text": item["content"],
            "start": item["start"], "end": item["end"]}  # fmt: skip


def _from_message(item: dict[str, Any]) -> dict[str, Any]:
    speaker = _speaker_of(item["role"], _MESSAGE_ROLES)
    return {"speaker": speaker, "text": item["transcript"], "start": None, "end": None}
