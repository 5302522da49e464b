"""Word error rate and word-level alignment (minimum edit distance, computed by ``jiwer``).

WER = (substitutions + deletions + insertions) / reference words, where the reference is the
platform's transcript and the hypothesis is the local recognition. A deletion is a transcript
word the audio does not support; an insertion is a spoken word the transcript lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .normalize import normalize_words

__all__ = ["WordEdit", "ErrorCounts", "align_words", "count_errors", "word_error_rate"]

_KINDS = {
    "equal": "equal",
    "substitute": "substitution",
    "delete": "deletion",
    "insert": "insertion",
}


@dataclass(frozen=True)
class WordEdit:
    """One step of the alignment: ``kind`` is ``equal``, ``substitution``, ``deletion`` or
    ``insertion``; indexes point into the reference / hypothesis word lists (None when the
    step has no word on that side)."""

    kind: str
    ref_index: int | None
    hyp_index: int | None


@dataclass(frozen=True)
class ErrorCounts:
    """Error counts of one alignment; ``wer`` is errors / reference words.

    With no reference words, ``wer`` is 0.0 when nothing was recognised either, else 1.0
    (an utterance with no transcript is entirely wrong, but not more than 100%).
    """

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int
    hypothesis_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        if self.reference_words == 0:
            return 0.0 if self.hypothesis_words == 0 else 1.0
        return self.errors / self.reference_words


def _import_jiwer():  # type: ignore[no-untyped-def]
    try:
        import jiwer
    except ImportError as error:
        raise ImportError('word alignment needs jiwer: pip install "zenhire-nb[stt]"') from error
    return jiwer


def _chunk_edits(chunk: object) -> list[WordEdit]:
    kind = _KINDS[chunk.type]  # type: ignore[attr-defined]
    refs = range(chunk.ref_start_idx, chunk.ref_end_idx)  # type: ignore[attr-defined]
    hyps = range(chunk.hyp_start_idx, chunk.hyp_end_idx)  # type: ignore[attr-defined]
    if kind in ("equal", "substitution"):
        return [WordEdit(kind, r, h) for r, h in zip(refs, hyps, strict=True)]
    if kind == "deletion":
        return [WordEdit(kind, r, None) for r in refs]
    return [WordEdit(kind, None, h) for h in hyps]


def align_words(reference: Sequence[str], hypothesis: Sequence[str]) -> list[WordEdit]:
    """Minimum-edit alignment of two word lists (words must not contain whitespace).

    Returns the edits in order, covering every word of both lists exactly once.
    Raises ``ImportError`` without ``jiwer``.
    """
    if not reference and not hypothesis:
        return []
    jiwer = _import_jiwer()
    output = jiwer.process_words(" ".join(reference), " ".join(hypothesis))
    return [edit for chunk in output.alignments[0] for edit in _chunk_edits(chunk)]


def count_errors(edits: Sequence[WordEdit]) -> ErrorCounts:
    """Counts of each kind of error in ``edits``."""
    kinds = [edit.kind for edit in edits]
    return ErrorCounts(
        substitutions=kinds.count("substitution"),
        deletions=kinds.count("deletion"),
        insertions=kinds.count("insertion"),
        reference_words=sum(edit.ref_index is not None for edit in edits),
        hypothesis_words=sum(edit.hyp_index is not None for edit in edits),
    )


def word_error_rate(reference: str, hypothesis: str, *, normalize: bool = True) -> float:
    """WER of ``hypothesis`` against ``reference``.

    ``normalize=True`` applies :func:`~zenhire_nb.stt.normalize.normalize_text` to both;
    ``False`` gives the raw WER (words split on whitespace, case and punctuation kept).
    """
    split = normalize_words if normalize else str.split
    reference_words, hypothesis_words = split(reference), split(hypothesis)
    return count_errors(align_words(reference_words, hypothesis_words)).wer
