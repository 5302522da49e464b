"""Transcript documents of every shape in docs/contract.md §6, made into turns (pure, no I/O).

Accepted documents:

- a top-level JSON array of turns (the sandbox's shape);
- an object holding that array under ``turns``, ``segments``, ``utterances`` or ``messages``
  (the first of these keys, in that order, whose value is an array).

Each turn is an object with:

- the speaker under ``speaker`` or ``role`` (case-insensitive, surrounding blanks ignored):
  ``interviewer``/``assistant``/``agent``/``ai``/``bot`` mean the interviewer,
  ``candidate``/``user``/``human``/``interviewee`` the candidate. ``system`` turns (a chat log's
  prompt, never spoken) are skipped; any other value is an error.
- the words under ``text``, ``content`` or ``transcript``: a string, or a list of chat content
  parts whose ``text`` strings are joined with a space. ``null`` reads as an empty string.
- times, each optional: ``start``/``end`` in seconds, or ``start_ms``/``end_ms`` in
  milliseconds. A missing time becomes NaN. Times must be finite, non-negative numbers and
  ``end`` must not precede ``start``.

An empty array (top level or under one of the keys) is a valid transcript with zero turns: an
interview where nobody spoke is possible, and it is not the same as an unreadable document. An
object with none of the keys, a scalar, or a turn that breaks the rules above raises
:class:`~zenhire_nb.frames.errors.TranscriptFormatError` naming the session and what was found.

The hot loop appends straight into column lists (:class:`TurnColumns`) because the turns frame
is built from hundreds of thousands of turns; :func:`parse_transcript` wraps it for single use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from zenhire_nb.frames.errors import TranscriptFormatError, describe_subject

__all__ = [
    "CANDIDATE",
    "CONTAINER_KEYS",
    "INTERVIEWER",
    "Turn",
    "TurnColumns",
    "parse_transcript",
    "parse_transcript_into",
]

INTERVIEWER = "interviewer"
CANDIDATE = "candidate"
CONTAINER_KEYS = ("turns", "segments", "utterances", "messages")

_SPEAKERS: dict[str, str] = {
    **dict.fromkeys(("interviewer", "assistant", "agent", "ai", "bot"), INTERVIEWER),
    **dict.fromkeys(("candidate", "user", "human", "interviewee"), CANDIDATE),
}
_SKIPPED_SPEAKERS = frozenset({"system"})
_TEXT_KEYS = ("text", "content", "transcript")
_NAN = math.nan
_INF = math.inf


class Turn(NamedTuple):
    """One normalised turn. Times are seconds from the start of the recording, NaN if absent."""

    speaker: str
    text: str
    start_sec: float
    end_sec: float


@dataclass
class TurnColumns:
    """Parsed turns of one or many transcripts, held as parallel column lists.

    ``counts[i]`` is the number of turns the ``i``-th parsed document added, so callers can
    repeat per-document values (session id, candidate ref) without a per-turn loop.
    """

    speakers: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def turns(self) -> list[Turn]:
        """All turns as :class:`Turn` tuples, in order."""
        rows = zip(self.speakers, self.texts, self.starts, self.ends, strict=True)
        return [Turn(*row) for row in rows]


def parse_transcript(document: Any, *, session_id: object | None = None) -> list[Turn]:
    """Normalise one transcript document into a list of turns, in document order.

    Args:
        document: the parsed JSON document, as the transcript endpoint served it.
        session_id: used only to name the session in error messages.

    Raises:
        TranscriptFormatError: the document or one of its turns cannot be read.
    """
    columns = TurnColumns()
    parse_transcript_into(document, columns, session_id=session_id)
    return columns.turns()


def parse_transcript_into(
    document: Any, columns: TurnColumns, *, session_id: object | None = None
) -> int:
    """Append the turns of ``document`` to ``columns``; return how many were added.

    On error nothing is left behind: ``columns`` is rolled back to its previous length.

    Raises:
        TranscriptFormatError: as :func:`parse_transcript`.
    """
    items = _turn_items(document, session_id)
    before = len(columns.texts)
    try:
        _append_turns(items, columns, session_id)
    except BaseException:
        for column in (columns.speakers, columns.texts, columns.starts, columns.ends):
            del column[before:]
        raise
    added = len(columns.texts) - before
    columns.counts.append(added)
    return added


def _fail(session_id: object | None, message: str) -> TranscriptFormatError:
    return TranscriptFormatError(message, subject=describe_subject(session_id) or "transcript")


def _fail_turn(session_id: object | None, index: int, message: str) -> TranscriptFormatError:
    return _fail(session_id, f"turn {index}: {message}")


def _turn_items(document: Any, session_id: object | None) -> Sequence[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in CONTAINER_KEYS:
            value = document.get(key)
            if isinstance(value, list):
                return value
        raise _fail(
            session_id,
            "expected a list of turns or an object with one of "
            f"{'/'.join(CONTAINER_KEYS)}; found {_describe_object(document)}",
        )
    raise _fail(
        session_id,
        "expected a list of turns or an object with one of "
        f"{'/'.join(CONTAINER_KEYS)}; found {_describe_value(document)}",
    )


def _append_turns(items: Sequence[Any], columns: TurnColumns, session_id: object | None) -> None:
    # Local aliases: this loop runs once per turn of a whole cohort.
    add_speaker, add_text = columns.speakers.append, columns.texts.append
    add_start, add_end = columns.starts.append, columns.ends.append
    speakers = _SPEAKERS
    for index, turn in enumerate(items):
        if not isinstance(turn, dict):
            found = _describe_value(turn)
            raise _fail_turn(session_id, index, f"expected an object, found {found}")
        raw_speaker = turn.get("speaker")
        if raw_speaker is None:
            raw_speaker = turn.get("role")
        speaker = speakers.get(raw_speaker) if type(raw_speaker) is str else None
        if speaker is None:
            speaker = _slow_speaker(raw_speaker, turn, index, session_id)
            if speaker is None:
                continue
        text = turn.get("text")
        if type(text) is not str:
            text = _slow_text(turn, index, session_id)
        start = turn.get("start")
        end = turn.get("end")
        # Fast path for the sandbox's shape: float seconds, in order. Anything else is checked.
        if not (type(start) is float and type(end) is float and 0.0 <= start <= end < _INF):
            start, end = _times(turn, index, session_id)
        add_speaker(speaker)
        add_text(text)
        add_start(start)
        add_end(end)


def _slow_speaker(raw: Any, turn: dict[str, Any], index: int, session_id: object) -> str | None:
    """Speaker for values off the fast path; ``None`` means "skip this turn"."""
    if raw is None:
        raise _fail(
            session_id,
            f"turn {index}: no speaker (expected key 'speaker' or 'role'); "
            f"found keys {sorted(map(str, turn))}",
        )
    if isinstance(raw, str):
        folded = raw.strip().casefold()
        if folded in _SPEAKERS:
            return _SPEAKERS[folded]
        if folded in _SKIPPED_SPEAKERS:
            return None
    raise _fail(
        session_id,
        f"turn {index}: unknown speaker {_short(raw)}; expected one of {sorted(_SPEAKERS)}",
    )


def _slow_text(turn: dict[str, Any], index: int, session_id: object) -> str:
    for key in _TEXT_KEYS:
        if key not in turn:
            continue
        value = turn[key]
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return _join_parts(value, key, index, session_id)
        raise _fail_turn(session_id, index, f"'{key}' must be text, found {_describe_value(value)}")
    raise _fail(
        session_id,
        f"turn {index}: no text (expected one of {'/'.join(_TEXT_KEYS)}); "
        f"found keys {sorted(map(str, turn))}",
    )


def _join_parts(parts: list[Any], key: str, index: int, session_id: object) -> str:
    """Chat content parts (``[{"type": "text", "text": "..."}]``) joined with a space."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            pieces.append(part["text"])
        elif isinstance(part, dict) and part.get("type", "text") != "text":
            continue  # audio/image parts carry no words
        else:
            found = _describe_value(part)
            raise _fail_turn(session_id, index, f"'{key}' part must be text, found {found}")
    return " ".join(pieces)


def _times(turn: dict[str, Any], index: int, session_id: object) -> tuple[float, float]:
    start = _time(turn, "start", "start_ms", index, session_id)
    end = _time(turn, "end", "end_ms", index, session_id)
    if end < start:  # False whenever either is NaN
        raise _fail(session_id, f"turn {index}: end {end} s is before start {start} s")
    return start, end


def _time(turn: dict[str, Any], key: str, ms_key: str, index: int, session_id: object) -> float:
    value = turn.get(key)
    scale = 1.0
    used = key
    if value is None:
        value = turn.get(ms_key)
        if value is None:
            return _NAN
        scale, used = 0.001, ms_key
    kind = type(value)
    if kind is not float and kind is not int:
        found = _describe_value(value)
        raise _fail_turn(session_id, index, f"'{used}' must be a number, found {found}")
    try:
        seconds = float(value) * scale
    except OverflowError:  # an integer beyond float range
        seconds = math.inf
    if not (0.0 <= seconds < math.inf):  # also rejects NaN
        found = _short(value)
        raise _fail_turn(session_id, index, f"'{used}' must be finite and >= 0, found {found}")
    return seconds


def _describe_object(document: Mapping[Any, Any]) -> str:
    keys = sorted(map(str, document))
    shown = keys[:10] + (["..."] if len(keys) > 10 else [])
    return f"object with keys {shown}" if keys else "empty object"


def _describe_value(value: Any) -> str:
    if isinstance(value, Mapping):
        return _describe_object(value)
    if value is None:
        return "null"
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
