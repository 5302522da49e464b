"""Forced scoring of a turn longer than Whisper's 30 s window, and of untimed turns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zenhire_nb.stt import check_recording
from zenhire_nb.stt._forced import MAX_WINDOW_SEC
from zenhire_nb.stt._scoring import _pieces

pytestmark = pytest.mark.stt


@pytest.fixture(scope="module")
def long_turn(dialogue: dict) -> tuple[np.ndarray, int, list[dict]]:
    """The dialogue spoken twice as one turn of ~50 s (audio, rate, one timed turn)."""
    audio = np.concatenate([dialogue["mono"], dialogue["mono"]])
    text = " ".join(turn["text"] for turn in dialogue["turns"] * 2)
    duration = audio.size / dialogue["rate"]
    return (
        audio,
        dialogue["rate"],
        [{"speaker": "candidate", "text": text, "start": 0.5, "end": round(duration - 0.5, 3)}],
    )


def test_pieces_of_a_long_window_fit_whisper() -> None:
    words = [f"word{i}" for i in range(150)]
    local = pd.DataFrame(
        {"word": words, "start_sec": np.arange(150) * 0.4, "end_sec": np.arange(150) * 0.4 + 0.3}
    )
    pieces = _pieces(words, local, 0.0, 60.0)
    assert len(pieces) >= 3
    assert pieces[0][0] == 0 and pieces[-1][1] == 150 and pieces[-1][3] == 60.0
    for (_, stop, _, end), (first, _, start, _) in zip(pieces, pieces[1:], strict=False):
        assert stop == first and end == start  # contiguous words and audio
    assert all(
        end - start <= MAX_WINDOW_SEC and stop - first <= 90 for first, stop, start, end in pieces
    )


def test_long_clean_turn_is_scored_whole_and_passes(long_turn: tuple, stt_cache: Path) -> None:
    audio, rate, turns = long_turn
    assert turns[0]["end"] - turns[0]["start"] > MAX_WINDOW_SEC
    result = check_recording((audio, rate), turns, threads=2, cache_dir=stt_cache)
    scores = result.scores
    words = turns[0]["text"].split()
    assert list(scores.loc[~scores["is_end"], "position"]) == list(range(len(words)))
    assert scores["is_end"].sum() == 1 and scores["logprob"].notna().all()
    # Flagging depends on forced scores only; the recogniser does worse on the repeated
    # dialogue (it skips some of the repeat), which the loose WER bound allows.
    assert not result.turns["flagged"].any() and result.turns["wer"][0] <= 0.4


def test_mistake_after_30_seconds_is_flagged(long_turn: tuple, stt_cache: Path) -> None:
    audio, rate, turns = long_turn
    text = turns[0]["text"]
    late = text.rindex("solved last year")  # in the second pass, well after 30 s
    changed = [{**turns[0], "text": text[:late] + "solved lost year" + text[late + 16 :]}]
    result = check_recording((audio, rate), changed, threads=2, cache_dir=stt_cache)
    assert result.turns["flagged"][0] and result.turns["weakest_word"][0] == "lost"


def test_untimed_substitution_is_flagged_by_forced_scoring(dialogue: dict, stt_cache: Path) -> None:
    untimed = [{"speaker": t["speaker"], "text": t["text"]} for t in dialogue["turns"]]
    untimed[2]["text"] = "What is the hardest problem you solved lost year?"
    result = check_recording(
        (dialogue["mono"], dialogue["rate"]), untimed, threads=2, cache_dir=stt_cache
    )
    assert result.summary["alignment"] == "sequence"
    assert result.turns["flag_rule"].eq("forced").all()
    assert list(result.turns.index[result.turns["flagged"]]) == [2]
    assert result.turns["weakest_word"][2] == "lost"
