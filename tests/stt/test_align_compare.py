"""Alignment with the platform's turns and scoring, on hand-made word frames (no engine)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zenhire_nb.stt import compare_transcript
from zenhire_nb.stt.align import coerce_turns


def words_frame(spoken: list[tuple[float, str]], duration: float = 0.3) -> pd.DataFrame:
    """Local words at the given start times (seconds), all with probability 0.9."""
    rows = [(start, start + duration, word, 0.9, 0) for start, word in spoken]
    return pd.DataFrame(
        rows, columns=["start_sec", "end_sec", "word", "probability", "segment_index"]
    )


def timeline(*turns: tuple[float, str]) -> list[tuple[float, str]]:
    """Words of each turn spoken from its start time, 0.4 s apart."""
    return [(start + 0.4 * i, word) for start, text in turns for i, word in enumerate(text.split())]


TURNS = [
    {"speaker": "interviewer", "text": "Tell me about your team.", "start": 0.0, "end": 2.0},
    {"speaker": "candidate", "text": "We are five analysts in Berlin.", "start": 3.0, "end": 5.4},
]
SPOKEN = timeline((0.0, "Tell me about your team."), (3.0, "We are five analysts in Berlin."))


def test_clean_turns_score_zero_and_are_not_flagged() -> None:
    result = compare_transcript(words_frame(SPOKEN), TURNS)
    assert result.summary["alignment"] == "time"
    assert list(result.turns["wer"]) == [0.0, 0.0]
    assert not result.turns["flagged"].any() and result.differences.empty
    assert result.summary["wer"] == 0.0 and not result.summary["untranscribed_speech"]


def test_substituted_word_is_flagged_with_its_difference() -> None:
    wrong = [dict(TURNS[0]), dict(TURNS[1], text="We are nine analysts in Berlin.")]
    result = compare_transcript(words_frame(SPOKEN), wrong)
    assert list(result.turns["flagged"]) == [False, True]
    row = result.differences.iloc[0]
    assert (row.turn_index, row.kind, row.reference_word, row.hypothesis_word) == (
        1,
        "substitution",
        "nine",
        "five",
    )
    assert math.isclose(row.start_sec, 3.8)
    assert result.turns["raw_wer"][1] > 0


def test_speech_outside_every_turn_and_turn_without_speech() -> None:
    spoken = SPOKEN + timeline((8.0, "I also lead the reporting guild."))
    turns = TURNS + [{"speaker": "interviewer", "text": "Thank you.", "start": 12.0, "end": 13.0}]
    result = compare_transcript(words_frame(spoken), turns)
    assert result.summary["untranscribed_speech"]
    gap = result.untranscribed.iloc[0]
    assert gap.words == 6 and gap.start_sec == pytest.approx(8.0)
    assert list(result.turns["no_speech"]) == [False, False, True]
    assert result.summary["wer"] > 0


def test_a_lone_stray_word_is_not_untranscribed_speech() -> None:
    result = compare_transcript(words_frame(SPOKEN + [(9.0, "you")]), TURNS)
    assert len(result.untranscribed) == 1
    assert not result.summary["untranscribed_speech"]


def test_margin_admits_small_timing_drift() -> None:
    late = [{**turn, "start": turn["start"] - 0.4, "end": turn["end"] - 0.4} for turn in TURNS]
    assert compare_transcript(words_frame(SPOKEN), late).summary["wer"] == 0.0


def test_sequence_alignment_without_times() -> None:
    untimed = [{"speaker": t["speaker"], "text": t["text"]} for t in TURNS]
    untimed[1]["text"] = "We are nine analysts in Berlin."
    result = compare_transcript(words_frame(SPOKEN), untimed)
    assert result.summary["alignment"] == "sequence"
    assert list(result.turns["flagged"]) == [False, True]
    assert list(result.words["turn_index"]) == [0] * 5 + [1] * 6


def test_sequence_alignment_finds_missing_speech() -> None:
    spoken = SPOKEN + timeline((8.0, "I also lead the reporting guild."))
    untimed = [{"speaker": t["speaker"], "text": t["text"], "start": None} for t in TURNS]
    result = compare_transcript(words_frame(spoken), untimed)
    assert result.summary["untranscribed_speech"]
    assert list(result.turns["wer"]) == [0.0, 0.0]


def test_turns_frame_accepted_and_not_mutated() -> None:
    frame = pd.DataFrame(
        {
            "speaker": ["interviewer", "candidate"],
            "text": [t["text"] for t in TURNS],
            "start_sec": [0.0, 3.0],
            "end_sec": [2.0, 5.4],
        }
    )
    before = frame.copy()
    result = compare_transcript(words_frame(SPOKEN), frame)
    pd.testing.assert_frame_equal(frame, before)
    assert result.summary["wer"] == 0.0


def test_bad_turns_name_the_turn_and_field() -> None:
    with pytest.raises(ValueError, match="turn 1: text"):
        coerce_turns([TURNS[0], {"speaker": "candidate", "text": None}])
    with pytest.raises(ValueError, match="turn 0: start"):
        coerce_turns([{"text": "hi", "start": "soon"}])
    with pytest.raises(ValueError, match="lacks column"):
        coerce_turns(pd.DataFrame({"speaker": ["a"]}))
    with pytest.raises(ValueError, match="needs start and end"):
        compare_transcript(words_frame(SPOKEN), [{"text": "hi"}], alignment="time")
