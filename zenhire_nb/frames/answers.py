"""The answers frame: one row per interviewer question and the candidate's answer to it.

A *question* is a run of consecutive interviewer turns (a greeting followed by the question is
one question); the *answer* is the run of consecutive candidate turns that follows it. A
question with no candidate turn after it (the closing remark, an unanswered question) has
``answered`` False, an empty ``answer_text`` and NaN timings. Candidate speech before the
interviewer's first turn is kept in a row with ``question_index`` -1 and an empty
``question_text``, so no words are lost.

Columns: ``SCHEMAS["answers"]`` in :mod:`zenhire_nb.frames.schemas`. ``answer_sec`` sums the
answer turns' durations (speaking time, pauses between turns excluded); NaN if any answer turn
lacks times. ``latency_sec`` is answer start minus question end and is negative when the
candidate talks over the interviewer. ``df.attrs`` carries ``frame``, ``schema_version`` and
the input's ``raw`` documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zenhire_nb.frames.schemas import SCHEMA_VERSION, apply_schema, check_columns, empty_frame
from zenhire_nb.frames.turns import turns_frame

__all__ = ["answers_frame"]

_NEEDED = ("session_id", "turn_index", "speaker", "text", "start_sec", "end_sec", "words")


def answers_frame(turns: pd.DataFrame | Mapping[str, Any]) -> pd.DataFrame:
    """Pair each interviewer question with the candidate's answer.

    Args:
        turns: a turns frame (see :func:`~zenhire_nb.frames.turns.turns_frame`), or the
            ``{session_id: transcript}`` mapping it is built from.

    Raises:
        ValueError: the frame lacks a needed column (named in the message).
        TranscriptFormatError: a transcript of the mapping cannot be read.

    The input frame is not modified.
    """
    if not isinstance(turns, pd.DataFrame):
        turns = turns_frame(turns)
    check_columns(turns, "turns", needed=_NEEDED)
    frame = apply_schema(_pair(_runs(turns)), "answers") if len(turns) else empty_frame("answers")
    frame.attrs.update(frame="answers", schema_version=SCHEMA_VERSION)
    if "raw" in turns.attrs:
        frame.attrs["raw"] = turns.attrs["raw"]
    return frame


def _runs(turns: pd.DataFrame) -> pd.DataFrame:
    """Consecutive same-speaker turns of a session collapsed into one row each."""
    codes, _ = pd.factorize(turns["session_id"], sort=False)
    order = np.lexsort((turns["turn_index"].to_numpy(), codes))
    ordered = turns.iloc[order]
    session = codes[order]
    candidate = (ordered["speaker"].astype(str) == "candidate").to_numpy()
    changed = np.ones(len(ordered), dtype=bool)
    changed[1:] = (session[1:] != session[:-1]) | (candidate[1:] != candidate[:-1])
    # Runs are contiguous after the sort, so every aggregate is a slice or a reduceat.
    first = np.flatnonzero(changed)
    last = np.append(first[1:], len(ordered)) - 1
    texts = ordered["text"].fillna("").tolist()
    starts = ordered["start_sec"].to_numpy(dtype=np.float64)
    ends = ordered["end_sec"].to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "session_id": ordered["session_id"].to_numpy(dtype=object)[first],
            "candidate_ref": _optional(ordered, "candidate_ref")[first],
            "role_name": _optional(ordered, "role_name")[first],
            "candidate": candidate[first],
            "text": [" ".join(texts[a : b + 1]) for a, b in zip(first, last, strict=True)],
            "turns": last - first + 1,
            "words": np.add.reduceat(ordered["words"].to_numpy(dtype=np.int64), first),
            "start": starts[first],
            "end": ends[last],
            # NaN unless every turn of the run has times: a partial sum would understate speech.
            "duration": np.add.reduceat(ends - starts, first),
        }
    )


def _optional(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column in frame.columns:
        return frame[column].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)


def _pair(runs: pd.DataFrame) -> pd.DataFrame:
    session = runs["session_id"].to_numpy(dtype=object)
    candidate = runs["candidate"].to_numpy(dtype=bool)
    same_as_next = np.zeros(len(runs), dtype=bool)
    same_as_next[:-1] = session[:-1] == session[1:]
    first_of_session = np.ones(len(runs), dtype=bool)
    first_of_session[1:] = session[1:] != session[:-1]
    question_rows = np.flatnonzero(~candidate)
    answered = np.zeros(len(runs), dtype=bool)
    answered[:-1] = ~candidate[:-1] & same_as_next[:-1] & candidate[1:]
    leading = np.flatnonzero(candidate & first_of_session)
    questions = _question_rows(runs, question_rows, answered[question_rows])
    before = _leading_rows(runs, leading)
    rows = pd.concat([questions, before], ignore_index=True)
    order = np.lexsort((rows["question_index"].to_numpy(), rows.pop("_run").to_numpy()))
    return rows.iloc[order].reset_index(drop=True)


def _question_rows(runs: pd.DataFrame, rows: np.ndarray, answered: np.ndarray) -> pd.DataFrame:
    question = runs.iloc[rows]
    answer = runs.iloc[np.where(answered, rows + 1, rows)]
    index = question.groupby("session_id", sort=False).cumcount().to_numpy()
    return _frame(question, answer, answered, index, rows)


def _leading_rows(runs: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    answer = runs.iloc[rows]
    answered = np.ones(len(rows), dtype=bool)
    frame = _frame(answer, answer, answered, np.full(len(rows), -1), rows)
    frame["question_text"] = ""
    frame["question_end_sec"] = np.nan
    frame["latency_sec"] = np.nan
    return frame


def _frame(
    question: pd.DataFrame,
    answer: pd.DataFrame,
    answered: np.ndarray,
    index: np.ndarray,
    run: np.ndarray,
) -> pd.DataFrame:
    answer_sec = np.where(answered, answer["duration"].to_numpy(dtype=np.float64), np.nan)
    words = np.where(answered, answer["words"].to_numpy(dtype=np.int64), 0)
    start = np.where(answered, answer["start"].to_numpy(dtype=np.float64), np.nan)
    question_end = question["end"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(answer_sec > 0, words / (answer_sec / 60.0), np.nan)
    return pd.DataFrame(
        {
            "session_id": question["session_id"].to_numpy(dtype=object),
            "candidate_ref": question["candidate_ref"].to_numpy(dtype=object),
            "role_name": question["role_name"].to_numpy(dtype=object),
            "question_index": index.astype(np.int64),
            "question_text": question["text"].to_numpy(dtype=object),
            "answer_text": np.where(answered, answer["text"].to_numpy(dtype=object), ""),
            "answered": answered,
            "answer_turns": np.where(answered, answer["turns"].to_numpy(dtype=np.int64), 0),
            "answer_words": words,
            "question_end_sec": question_end,
            "answer_start_sec": start,
            "answer_sec": answer_sec,
            "latency_sec": start - question_end,
            "words_per_minute": rate,
            "_run": run,
        }
    )
