"""Which platform turn each locally recognised word belongs to.

Two ways, chosen by what the transcript offers:

- **by time** (every turn has ``start_sec``/``end_sec``): a word belongs to the turn whose
  interval, widened by ``margin_sec`` on each side, contains the word's midpoint; when several
  do, the closest interval wins. The default margin (0.5 s) covers the sandbox's promise that
  transcript times match the audio within 0.3 s plus Whisper's word-boundary jitter (~0.1 s),
  while staying shorter than the pause between turns.
- **by sequence** (times missing): the concatenated normalised words of all turns are aligned
  with the recognised words (minimum edit distance) and split back at turn boundaries. A run
  of at least ``min_run`` consecutive inserted words belongs to no turn: that is speech the
  transcript lacks, not a turn's recognition error.

Words in no turn get ``turn_index`` -1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .normalize import normalize_words
from .wer import align_words

__all__ = [
    "TURN_COLUMNS",
    "coerce_turns",
    "turns_have_times",
    "assign_by_time",
    "assign_by_sequence",
    "word_tokens",
]

TURN_COLUMNS = ["speaker", "text", "start_sec", "end_sec"]
_TIME_KEYS = {"start_sec": ("start_sec", "start"), "end_sec": ("end_sec", "end")}


def _time(value: Any, index: int, field: str) -> float:
    if value is None:
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"turn {index}: {field} must be a number of seconds, got {value!r}"
        ) from error


def _row(turn: Any, index: int) -> tuple[str, str, float, float]:
    data = turn._asdict() if hasattr(turn, "_asdict") else turn
    if not isinstance(data, dict):
        raise TypeError(
            f"turn {index}: expected a dict with speaker and text, got {type(turn).__name__}"
        )
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError(f"turn {index}: text must be a string, got {text!r}")
    times = [next((data[k] for k in keys if k in data), None) for keys in _TIME_KEYS.values()]
    return (
        str(data.get("speaker", "")),
        text,
        _time(times[0], index, "start"),
        _time(times[1], index, "end"),
    )


def coerce_turns(turns: pd.DataFrame | Sequence[Any]) -> pd.DataFrame:
    """Turns as a new frame with columns speaker, text, start_sec, end_sec (NaN if absent).

    Accepts a DataFrame with those columns (``start``/``end`` also accepted), or a sequence
    of dicts ``{speaker, text, start, end}`` / the frames part's ``Turn`` tuples. Never
    mutates the input. Raises ``ValueError``/``TypeError`` naming the turn and field.
    """
    if isinstance(turns, pd.DataFrame):
        missing = {"text"} - set(turns.columns)
        if missing:
            raise ValueError(
                f"turns frame lacks column(s) {sorted(missing)}; expected {TURN_COLUMNS}"
            )
        records: Sequence[Any] = turns.to_dict("records")
    else:
        records = list(turns)
    frame = pd.DataFrame([_row(turn, i) for i, turn in enumerate(records)], columns=TURN_COLUMNS)
    return frame.astype(
        {"speaker": "object", "text": "object", "start_sec": "float64", "end_sec": "float64"}
    )


def turns_have_times(turns: pd.DataFrame) -> bool:
    """True when every turn has a finite start and end (so alignment by time is possible)."""
    times = turns[["start_sec", "end_sec"]].to_numpy(dtype=float)
    return bool(len(turns)) and bool(np.isfinite(times).all())


def assign_by_time(words: pd.DataFrame, turns: pd.DataFrame, margin_sec: float) -> np.ndarray:
    """Turn index per word (-1: in no turn), by the word's midpoint (rules in module doc)."""
    if words.empty or turns.empty:
        return np.full(len(words), -1, dtype=np.int64)
    middle = ((words["start_sec"] + words["end_sec"]) / 2).to_numpy(dtype=float)[:, None]
    start = turns["start_sec"].to_numpy(dtype=float)[None, :]
    end = turns["end_sec"].to_numpy(dtype=float)[None, :]
    distance = np.maximum(np.maximum(start - middle, middle - end), 0.0)
    best = distance.argmin(axis=1)
    inside = distance[np.arange(len(best)), best] <= margin_sec
    return np.where(inside, best, -1).astype(np.int64)


def word_tokens(words: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Normalised tokens of the recognised words, and the word index of each token."""
    tokens: list[str] = []
    owners: list[int] = []
    for index, word in enumerate(words["word"]):
        for token in normalize_words(str(word)):
            tokens.append(token)
            owners.append(index)
    return tokens, np.asarray(owners, dtype=np.int64)


def _reference_tokens(turns: pd.DataFrame) -> tuple[list[str], list[int]]:
    tokens: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(turns["text"]):
        words = normalize_words(text)
        tokens += words
        owners += [index] * len(words)
    return tokens, owners


def _token_turns(
    reference_turn: list[int], hypothesis_count: int, edits: list, min_run: int
) -> np.ndarray:
    """Turn per hypothesis token from the global alignment (insertion runs handled)."""
    result = np.full(hypothesis_count, -1, dtype=np.int64)
    previous_turn, pending = -1, []
    for edit in edits + [None]:
        if edit is not None and edit.kind == "insertion":
            pending.append(edit.hyp_index)
            continue
        next_turn = (
            reference_turn[edit.ref_index]
            if edit is not None and edit.ref_index is not None
            else previous_turn
        )
        if 0 < len(pending) < min_run:
            # A short insertion belongs with the words around it: the earlier turn if any.
            result[pending] = previous_turn if previous_turn >= 0 else next_turn
        pending = []
        if edit is not None and edit.ref_index is not None:
            previous_turn = reference_turn[edit.ref_index]
            if edit.hyp_index is not None:
                result[edit.hyp_index] = previous_turn
    return result


def assign_by_sequence(words: pd.DataFrame, turns: pd.DataFrame, min_run: int) -> np.ndarray:
    """Turn index per word (-1: in no turn), by sequence alignment (rules in module doc)."""
    tokens, owners = word_tokens(words)
    reference, reference_turn = _reference_tokens(turns)
    edits = align_words(reference, tokens)
    token_turn = _token_turns(reference_turn, len(tokens), edits, min_run)
    result = np.full(len(words), -1, dtype=np.int64)
    # A word split into several tokens ("12" -> "twelve") takes its first token's turn.
    for token_index in range(len(tokens) - 1, -1, -1):
        result[owners[token_index]] = token_turn[token_index]
    return result
