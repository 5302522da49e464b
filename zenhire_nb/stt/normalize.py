"""The text normaliser used before counting word errors: :func:`normalize_text`.

Why normalise: a transcript that writes "12" and a recogniser that writes "twelve" agree on
what was said; so do "Don't" and "don't". Raw WER counts such differences as errors (2-3
points higher on the same speech) and is kept alongside, but flags use the normalised WER.

Rules, in order: Unicode NFKC; typographic apostrophes to ``'``; lowercase; ``%`` to
"percent" and ``&`` to "and"; numbers (integers up to 999,999,999 with optional thousands
commas, decimals, ordinals such as "21st") spelled out in words; every other punctuation
mark becomes a space, except apostrophes inside a word ("don't", "candidate's"); whitespace
collapsed.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NORMALIZER_NAME", "normalize_text", "normalize_words", "number_to_words"]

#: Name recorded next to every WER so that results say how they were computed.
NORMALIZER_NAME = "zenhire-basic-v1"

_ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = (
    "",
    "",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)
_SCALES = ((1_000_000, "million"), (1_000, "thousand"))
_ORDINAL_IRREGULAR = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(st|nd|rd|th)?(?!\w)")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^\w\s']+")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'+|'+(?!\w)")
_LARGEST = 999_999_999


def _below_thousand(value: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(value, 100)
    if hundreds:
        words += [_ONES[hundreds], "hundred"]
    if rest >= 20:
        words.append(_TENS[rest // 10])
        if rest % 10:
            words.append(_ONES[rest % 10])
    elif rest or not words:
        words.append(_ONES[rest])
    return words


def number_to_words(value: int) -> str:
    """``value`` (0..999,999,999) in English words: 1204 -> "one thousand two hundred four".

    Raises ``ValueError`` outside that range (larger numbers are left as digits by
    :func:`normalize_text`).
    """
    if not 0 <= value <= _LARGEST:
        raise ValueError(f"number_to_words covers 0..{_LARGEST}, got {value}")
    words: list[str] = []
    for size, name in _SCALES:
        count, value = divmod(value, size)
        if count:
            words += _below_thousand(count) + [name]
    if value or not words:
        words += _below_thousand(value)
    return " ".join(words)


def _ordinal(words: str) -> str:
    head, _, last = words.rpartition(" ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}".strip()


def _spell_number(match: re.Match[str]) -> str:
    integer, fraction, suffix = match.group(1), match.group(2), match.group(3)
    value = int(integer.replace(",", ""))
    if value > _LARGEST:
        return match.group(0)
    words = number_to_words(value)
    if suffix:
        words = _ordinal(words)
    if fraction:
        words += " point " + " ".join(_ONES[int(digit)] for digit in fraction[1:])
    return f" {words} "


def normalize_text(text: str) -> str:
    """``text`` normalised for word-error counting (rules in the module docstring).

    Pure function; never raises for any ``str``. "It's 12:30, 15% of Q&A!" becomes
    "it's twelve thirty fifteen percent of q and a".
    """
    value = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    value = value.replace("%", " percent ").replace("&", " and ")
    value = _NUMBER.sub(_spell_number, value)
    value = _NOT_WORD.sub(" ", value).replace("_", " ")
    value = _LOOSE_APOSTROPHE.sub("", value)
    return " ".join(value.split())


def normalize_words(text: str) -> list[str]:
    """The words of :func:`normalize_text` as a list (empty for text with no words)."""
    return normalize_text(text).split()
