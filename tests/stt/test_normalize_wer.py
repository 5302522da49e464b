"""The normaliser and WER: pure functions, no engine."""

from __future__ import annotations

import pytest

from zenhire_nb.stt import NORMALIZER_NAME, normalize_text, word_error_rate
from zenhire_nb.stt.normalize import number_to_words
from zenhire_nb.stt.wer import align_words, count_errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's 12:30, 15% of Q&A!", "it's twelve thirty fifteen percent of q and a"),
        (
            "The candidate\u2019s 21st role \u2014 really.",
            "the candidate's twenty first role really",
        ),
        ("1,204 users; 2.5 million", "one thousand two hundred four users two point five million"),
        ("'quoted' words", "quoted words"),
        ("  Mixed   CASE\n", "mixed case"),
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_number_words_and_range() -> None:
    assert number_to_words(0) == "zero"
    assert number_to_words(115) == "one hundred fifteen"
    assert number_to_words(2_000_019) == "two million nineteen"
    with pytest.raises(ValueError, match="0..999999999"):
        number_to_words(10**9)
    assert normalize_text("10000000000") == "10000000000"  # too large: kept as digits
    assert NORMALIZER_NAME


def test_wer_normalised_versus_raw() -> None:
    reference, hypothesis = "I have 12 years, mostly Python.", "i have twelve years mostly python"
    assert word_error_rate(reference, hypothesis) == 0.0
    assert word_error_rate(reference, hypothesis, normalize=False) > 0.5


def test_alignment_kinds_and_counts() -> None:
    edits = align_words(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"])
    counts = count_errors(edits)
    assert (counts.substitutions, counts.deletions, counts.insertions) == (1, 0, 1)
    assert counts.wer == 0.5
    assert [e.kind for e in align_words(["a", "b"], ["a"])] == ["equal", "deletion"]


def test_empty_reference() -> None:
    assert count_errors(align_words([], [])).wer == 0.0
    assert count_errors(align_words([], ["extra"])).wer == 1.0
