"""The answers frame: question/answer pairing, timings, edge cases, schema."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zenhire_nb.frames import SCHEMAS, answers_frame, turns_frame


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {col: str(dtype) for col, dtype in frame.dtypes.items()}


def test_pairs_questions_with_the_following_candidate_turns(sandbox_transcript):
    frame = answers_frame({"s1": sandbox_transcript})
    assert _dtypes(frame) == {col: spec.dtype for col, spec in SCHEMAS["answers"].items()}
    assert list(frame["question_index"]) == [0, 1, 2]
    first = frame.iloc[0]
    assert first.question_text == "Hello, welcome. Tell me about a project you led."
    assert first.answer_text == "I led a data pipeline rewrite for our billing team."
    assert (first.answer_turns, first.answer_words, first.answered) == (2, 10, True)
    assert first.answer_sec == pytest.approx(2.2 + 1.6)
    assert first.latency_sec == pytest.approx(0.8)
    assert first.words_per_minute == pytest.approx(10 / 3.8 * 60)
    closing = frame.iloc[2]
    assert not closing.answered
    assert closing.answer_text == "" and closing.answer_words == 0
    assert math.isnan(closing.answer_sec) and math.isnan(closing.latency_sec)


def test_accepts_a_turns_frame_without_mutating_it(sandbox_transcript):
    turns = turns_frame({"s1": sandbox_transcript})
    before = turns.copy()
    answers_frame(turns)
    pd.testing.assert_frame_equal(turns, before)


def test_unordered_turns_are_ordered_by_turn_index(sandbox_transcript):
    turns = turns_frame({"s1": sandbox_transcript, "s2": sandbox_transcript})
    shuffled = turns.sample(frac=1.0, random_state=3)
    expected = answers_frame(turns)
    got = answers_frame(shuffled)
    # Sessions come out in order of first appearance; compare per session.
    for sid in ("s1", "s2"):
        left = got[got.session_id == sid].reset_index(drop=True)
        right = expected[expected.session_id == sid].reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right)


def test_candidate_speaking_first_is_kept_with_index_minus_one():
    doc = [
        {"speaker": "candidate", "text": "Hello? Can you hear me?", "start": 0.0, "end": 1.0},
        {"speaker": "interviewer", "text": "Yes.", "start": 1.5, "end": 2.0},
        {"speaker": "candidate", "text": "Great", "start": 2.2, "end": 2.6},
    ]
    frame = answers_frame({"s": doc})
    assert list(frame["question_index"]) == [-1, 0]
    assert frame.iloc[0].question_text == "" and frame.iloc[0].answer_words == 5
    assert math.isnan(frame.iloc[0].latency_sec)


def test_overlapping_speech_gives_negative_latency():
    doc = [
        {"speaker": "interviewer", "text": "Why?", "start": 0.0, "end": 2.0},
        {"speaker": "candidate", "text": "Because", "start": 1.5, "end": 2.5},
    ]
    assert answers_frame({"s": doc}).iloc[0].latency_sec == pytest.approx(-0.5)


def test_partial_times_make_answer_seconds_nan():
    doc = [
        {"speaker": "interviewer", "text": "Q", "start": 0.0, "end": 1.0},
        {"speaker": "candidate", "text": "a b", "start": 1.2, "end": 2.0},
        {"speaker": "candidate", "text": "c"},
    ]
    row = answers_frame({"s": doc}).iloc[0]
    assert row.answer_words == 3 and math.isnan(row.answer_sec)


def test_sessions_do_not_bleed_into_each_other():
    q = {"speaker": "interviewer", "text": "Q", "start": 0.0, "end": 1.0}
    a = {"speaker": "candidate", "text": "A", "start": 1.0, "end": 2.0}
    frame = answers_frame({"s1": [q], "s2": [a]})
    assert list(zip(frame.session_id, frame.question_index, frame.answered, strict=True)) == [
        ("s1", 0, False),
        ("s2", -1, True),
    ]


def test_empty_and_missing_columns():
    assert answers_frame({}).empty
    with pytest.raises(ValueError, match=r"missing columns \['speaker'"):
        answers_frame(pd.DataFrame({"session_id": [], "turn_index": []}))
