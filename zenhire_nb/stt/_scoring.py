"""Score every platform turn's own text under the audio of that turn (forced scoring).

Window of a turn: its time span (from the transcript, else from the local words aligned to it)
widened by ``margin_sec`` on each side, but never past the midpoint to a neighbouring turn, so
the next speaker's first word does not make the turn's ending look improbable. A window longer
than Whisper's 30 s is cut into pieces between words that the local transcription heard too
(their times are known); only the last piece scores the end of the turn.

Output, one row per platform word plus one ``is_end`` row per scored turn
(``SCORE_COLUMNS``): ``turn_index``, ``position`` (index of the word in ``text.split()``; the
end row has the word count), ``word``, ``logprob`` (natural log, <= 0). Turns that cannot be
scored (no time span, no words) have no rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._engine_base import ForcedScorer
from ._forced import MAX_WINDOW_SEC
from .normalize import normalize_text
from .wer import align_words

__all__ = ["SCORE_COLUMNS", "score_turns"]

SCORE_COLUMNS = ["turn_index", "position", "word", "logprob", "is_end"]
RATE = 16_000
# Room under Whisper's 30 s for the margins of a piece.
_PIECE_SEC = MAX_WINDOW_SEC - 4.0
_MAX_PIECE_WORDS = 90


def _spans(
    table: pd.DataFrame, words: pd.DataFrame, turn_of_word: np.ndarray, timed: bool
) -> list[tuple[float, float] | None]:
    if timed:
        return list(
            zip(table["start_sec"].astype(float), table["end_sec"].astype(float), strict=True)
        )
    spans: list[tuple[float, float] | None] = []
    for index in range(len(table)):
        mine = words.loc[turn_of_word == index]
        spans.append(
            (float(mine["start_sec"].min()), float(mine["end_sec"].max())) if len(mine) else None
        )
    return spans


def _limits(
    spans: list[tuple[float, float] | None], index: int, margin: float, duration: float
) -> tuple[float, float]:
    span = spans[index]
    assert span is not None
    start, end = span[0] - margin, span[1] + margin
    previous = next((s for s in reversed(spans[:index]) if s is not None), None)
    following = next((s for s in spans[index + 1 :] if s is not None), None)
    if previous is not None and previous[1] <= span[0]:
        start = max(start, (previous[1] + span[0]) / 2)
    if following is not None and following[0] >= span[1]:
        end = min(end, (span[1] + following[0]) / 2)
    return max(0.0, start), min(duration, end)


def _anchors(text_words: list[str], local: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Times of platform words the local transcription heard identically."""
    reference = [normalize_text(word).replace(" ", "_") for word in text_words]
    hypothesis = [normalize_text(str(word)).replace(" ", "_") for word in local["word"]]
    starts, ends = local["start_sec"].to_numpy(float), local["end_sec"].to_numpy(float)
    return {
        edit.ref_index: (starts[edit.hyp_index], ends[edit.hyp_index])
        for edit in align_words(reference, hypothesis)
        if edit.kind == "equal" and edit.ref_index is not None and edit.hyp_index is not None
    }


def _pieces(
    text_words: list[str], local: pd.DataFrame, start: float, end: float
) -> list[tuple[int, int, float, float]]:
    """(first word, word after last, start, end) pieces of at most ~26 s and 90 words."""
    if end - start <= MAX_WINDOW_SEC and len(text_words) <= _MAX_PIECE_WORDS:
        return [(0, len(text_words), start, end)]
    anchors = _anchors(text_words, local)
    pieces, first, piece_start = [], 0, start
    while end - piece_start > MAX_WINDOW_SEC or len(text_words) - first > _MAX_PIECE_WORDS:
        fits = [
            i
            for i, (_, stop) in anchors.items()
            if first <= i < first + _MAX_PIECE_WORDS and stop - piece_start <= _PIECE_SEC
        ]
        if fits:
            last = max(fits)
            cut = anchors[last][1] + 0.05
        else:  # nothing heard to cut at: split by share of characters, a rough guess
            last = first + max(1, min(_MAX_PIECE_WORDS, len(text_words) - first) // 2) - 1
            share = sum(map(len, text_words[first : last + 1])) / sum(map(len, text_words[first:]))
            cut = piece_start + min(_PIECE_SEC, share * (end - piece_start))
        if last + 1 >= len(text_words):
            break
        pieces.append((first, last + 1, piece_start, cut))
        first, piece_start = last + 1, cut
    pieces.append((first, len(text_words), piece_start, end))
    return pieces


def _windows(
    samples: np.ndarray, index: int, text: str, local: pd.DataFrame, window: tuple[float, float]
) -> list[tuple[int, int, bool, np.ndarray, list[str]]]:
    """(turn, first word, is last piece, audio, words) of every piece of one turn."""
    text_words = text.split()
    pieces = _pieces(text_words, local, *window)
    return [
        (
            index,
            first,
            number == len(pieces) - 1,
            samples[int(start * RATE) : int(min(end, start + MAX_WINDOW_SEC) * RATE)],
            text_words[first:stop],
        )
        for number, (first, stop, start, end) in enumerate(pieces)
    ]


def _rows(windows: list[tuple], scores: list) -> list[tuple]:
    rows: list[tuple] = []
    for (index, first, last, _audio, words), score in zip(windows, scores, strict=True):
        rows += [
            (index, first + i, word, logprob, False)
            for i, (word, logprob) in enumerate(zip(score.words, score.word_logprobs, strict=True))
        ]
        if last:
            rows.append((index, first + len(words), "", score.end_logprob, True))
    return rows


def score_turns(
    scorer: ForcedScorer,
    samples: np.ndarray,
    table: pd.DataFrame,
    words: pd.DataFrame,
    turn_of_word: np.ndarray,
    *,
    timed: bool,
    margin_sec: float,
) -> pd.DataFrame:
    """Forced scores of every turn's text (``SCORE_COLUMNS``), see the module docstring.

    ``samples``: 16 kHz mono float32; ``table``: coerced turns; ``words``: local words with
    ``turn_of_word`` from the alignment. About 0.1 s per turn (faster-whisper, 2 cores).
    """
    duration = samples.size / RATE
    spans = _spans(table, words, turn_of_word, timed)
    windows: list[tuple] = []
    for index, text in enumerate(table["text"]):
        if spans[index] is None or not text.split():
            continue
        window = _limits(spans, index, margin_sec, duration)
        if window[1] - window[0] < 0.05:
            continue
        local = words.loc[turn_of_word == index]
        windows += _windows(samples, index, text, local, window)
    scores = scorer.score_texts([(window[3], window[4]) for window in windows])
    frame = pd.DataFrame(_rows(windows, scores), columns=SCORE_COLUMNS)
    return frame.astype(
        {
            "turn_index": "int64",
            "position": "int64",
            "word": "object",
            "logprob": "float64",
            "is_end": "bool",
        }
    )
