"""Transcription mistakes in the platform's transcript, recorded in the sandbox's ground truth.

Words are whitespace-separated tokens of a turn's text. At ``rate`` per eligible token (one
containing a letter), a token is either substituted (70%) by a plausible confusion (a homophone
or near word from a small table, else a word that often appears in transcripts of this kind) or
dropped (30%). Capitalisation and surrounding punctuation of a substituted token are kept.

Every mistake is a :class:`Mistake` with the turn index, the kind, the token's position in the
*true* turn, the original token and its replacement (``None`` for a drop), so that applying the
mistakes to the true text reproduces the served text exactly (:func:`apply_mistakes`).
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

__all__ = ["Mistake", "apply_mistakes", "inject_mistakes"]

_CONFUSIONS = {
    "their": "there", "there": "their", "to": "two", "two": "too", "too": "to", "for": "four",
    "four": "for", "then": "than", "than": "then", "accept": "except", "affect": "effect",
    "right": "write", "know": "no", "no": "know", "hear": "here", "here": "hear",
    "weather": "whether", "week": "weak", "role": "roll", "data": "date", "team": "teen",
    "sales": "sails", "by": "buy", "our": "are", "we": "will", "which": "witch", "it's": "its",
    "its": "it's", "were": "where", "where": "were", "cut": "cat", "built": "build", "time": "tie",
    "made": "maid", "one": "won", "new": "knew", "some": "sum", "would": "wood", "test": "text",
    "quite": "quiet", "last": "lost", "metric": "matrix", "churn": "turn",
    "deal": "dell", "price": "prize", "queue": "cue", "ticket": "tickets", "customer": "costumer",
}  # fmt: skip
_FALLBACK_WORDS = ("the", "a", "and", "that", "in", "it", "so", "like", "on", "an")
_SUBSTITUTION_SHARE = 0.7
_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$")


@dataclass(frozen=True)
class Mistake:
    """One injected mistake; ``position`` indexes the tokens of the *true* turn text."""

    turn: int
    kind: str  # "substitution" or "drop"
    position: int
    original: str
    replacement: str | None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for the ground-truth document."""
        return asdict(self)


def inject_mistakes(
    texts: list[str], rate: float, rng: random.Random
) -> tuple[list[str], list[Mistake]]:
    """Served texts and the mistakes made, for the true ``texts`` (one per turn).

    ``rate`` is the probability per eligible word (0 gives back the texts unchanged). A turn is
    never emptied completely: its last remaining word is not dropped.

    Raises:
        ValueError: ``rate`` is outside 0..1.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"mistake_rate must be within 0..1, got {rate}")
    mistakes: list[Mistake] = []
    for turn, text in enumerate(texts):
        tokens = text.split()
        for position, token in enumerate(tokens):
            if not re.search(r"[A-Za-z]", token) or rng.random() >= rate:
                continue
            if rng.random() < _SUBSTITUTION_SHARE or len(tokens) == 1:
                replacement = _substitute(rng, token)
                mistakes.append(Mistake(turn, "substitution", position, token, replacement))
            else:
                mistakes.append(Mistake(turn, "drop", position, token, None))
    mistakes = _keep_one_word_per_turn(texts, mistakes)
    return apply_mistakes(texts, mistakes), mistakes


def apply_mistakes(texts: list[str], mistakes: list[Mistake]) -> list[str]:
    """The served texts obtained by applying ``mistakes`` to the true ``texts``."""
    tokens: list[list[str | None]] = [list(text.split()) for text in texts]
    for mistake in mistakes:
        tokens[mistake.turn][mistake.position] = mistake.replacement
    return [" ".join(t for t in turn if t is not None) for turn in tokens]


def _substitute(rng: random.Random, token: str) -> str:
    match = _TOKEN.match(token)
    assert match is not None  # the pattern matches any string
    lead, core, trail = match.groups()
    confusion = _CONFUSIONS.get(core.lower())
    if confusion is None:
        confusion = rng.choice([w for w in _FALLBACK_WORDS if w != core.lower()])
    if core[:1].isupper():
        confusion = confusion[:1].upper() + confusion[1:]
    return lead + confusion + trail


def _keep_one_word_per_turn(texts: list[str], mistakes: list[Mistake]) -> list[Mistake]:
    """Undo the last drop of any turn whose every token would be dropped."""
    kept = list(mistakes)
    for turn, text in enumerate(texts):
        drops = [m for m in kept if m.turn == turn and m.kind == "drop"]
        if text.split() and len(drops) == len(text.split()):
            kept.remove(drops[-1])
    return kept
