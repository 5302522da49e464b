"""The interview script: who says what, with which voice, and the silences around it.

:func:`plan_interview` is pure: from a bank, a candidate and a seeded ``random.Random`` it
returns :class:`PlannedTurn` objects (opening, greeting, questions with answers and optional
follow-ups, closing, goodbye). Nothing is synthesized here; the recorder turns the plan into
audio and measures the real times.

Length: without ``target_sec`` every bank question is asked once. With it, questions are asked
(cycling through the role's then the generic bank's questions) until the *estimated* duration
reaches the target; the estimate uses words per minute, so real recordings land within about
±15% of the target for 5 minutes and more, ±40% for a one-minute target (one exchange is
already a third of it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from zenhire_nb.sandbox.simulation.interview.banks import Question, QuestionBank, load_bank
from zenhire_nb.sandbox.simulation.interview.candidates import (
    Candidate,
    compose_answer,
    goodbye,
    greeting,
)

__all__ = ["INTERVIEWER_PITCH", "INTERVIEWER_RATE_WPM", "PlannedTurn", "Segment", "plan_interview"]

# The interviewer is British English with a high pitch; candidates are American English with
# low pitches and other variants, so the two voices are easy to tell apart by ear and by STT.
INTERVIEWER_VARIANT = "Henrique"
INTERVIEWER_PITCH = 88
INTERVIEWER_RATE_WPM = 165
_ACKNOWLEDGEMENTS = ("Thank you.", "I see.", "Great, thanks.", "Okay.", "Interesting.", "")
_REVISIT = "Going back to an earlier topic. "
_CLOSING_SEC = 12.0  # closing line and goodbye, estimated
_ESPEAK_PACE = 0.9  # eSpeak speaks a little faster than its nominal words per minute


@dataclass(frozen=True)
class Segment:
    """A stretch of speech synthesized in one call, then ``pause_after_sec`` of silence."""

    text: str
    pause_after_sec: float


@dataclass(frozen=True)
class PlannedTurn:
    """One turn: ``speaker`` is "interviewer" or "candidate"; ``gap_before_sec`` of silence."""

    speaker: str
    segments: tuple[Segment, ...]
    voice: str
    rate_wpm: int
    pitch: int
    gap_before_sec: float

    @property
    def text(self) -> str:
        """The words of the turn, as a transcript shows them."""
        return " ".join(segment.text for segment in self.segments)


def plan_interview(
    rng: random.Random,
    bank: QuestionBank,
    candidate: Candidate,
    *,
    role_name: str,
    language_voice: str,
    follow_up_rate: float,
    target_sec: float | None = None,
) -> list[PlannedTurn]:
    """The full script. ``language_voice`` is the eSpeak language (e.g. "en-us", "de")."""
    interviewer_voice = _interviewer_language(language_voice) + "+" + INTERVIEWER_VARIANT
    candidate_voice = language_voice + "+" + candidate.voice_variant

    def ask(text: str) -> PlannedTurn:
        return PlannedTurn(
            "interviewer", (Segment(text, 0.0),), interviewer_voice, INTERVIEWER_RATE_WPM,
            INTERVIEWER_PITCH, round(rng.uniform(0.5, 1.0), 2),
        )  # fmt: skip

    def answer(sentences: list[str]) -> PlannedTurn:
        pauses = [round(rng.expovariate(1 / candidate.pause_mean_sec), 2) for _ in sentences]
        segments = tuple(Segment(s, min(p, 3.0)) for s, p in zip(sentences, pauses, strict=True))
        segments = segments[:-1] + (Segment(segments[-1].text, 0.0),)
        delay = round(min(rng.expovariate(1 / candidate.response_delay_sec) + 0.3, 4.0), 2)
        return PlannedTurn(
            "candidate", segments, candidate_voice, candidate.rate_wpm, candidate.pitch, delay
        )

    turns = [ask(rng.choice(bank.opening).replace("{role}", role_name)), answer([greeting(rng)])]
    closing = rng.choice(bank.closing)
    for index, question in enumerate(_questions(rng, bank, target_sec is not None)):
        # stop when half of a typical question-and-answer would overshoot (minimises the error)
        typical_exchange = 5.0 + 60.0 * candidate.answer_words / candidate.rate_wpm
        if target_sec is not None and (
            _estimate_sec(turns) + _CLOSING_SEC + typical_exchange / 2 >= target_sec
        ):
            break
        prefix = rng.choice(_ACKNOWLEDGEMENTS) if index else ""
        turns += [
            ask((prefix + " " + question.text).strip()),
            answer(_answer(rng, bank, candidate)),
        ]
        if question.follow_ups and rng.random() < follow_up_rate:
            follow_up = rng.choice(question.follow_ups)
            turns += [ask(follow_up), answer(_answer(rng, bank, candidate, scale=0.6))]
    return turns + [ask(closing), answer([goodbye(rng)])]


def _answer(
    rng: random.Random, bank: QuestionBank, candidate: Candidate, scale: float = 1.0
) -> list[str]:
    return compose_answer(rng, bank, candidate, scale=scale)


def _questions(rng: random.Random, bank: QuestionBank, endless: bool) -> Iterator[Question]:
    """The bank's questions (first kept first, the rest shuffled); endless: keep cycling."""
    first, rest = bank.questions[0], list(bank.questions[1:])
    rng.shuffle(rest)
    yield first
    yield from rest
    if not endless:
        return
    pool = list(bank.questions) + (list(load_bank("").questions) if bank.name != "generic" else [])
    while True:
        rng.shuffle(pool)
        for question in pool:
            yield Question(_REVISIT + question.text, question.follow_ups)


def _estimate_sec(turns: list[PlannedTurn]) -> float:
    """Rough duration of the planned turns: words at the turn's rate plus all silences."""
    total = 0.0
    for turn in turns:
        words = len(turn.text.split())
        total += turn.gap_before_sec + 60.0 * words / turn.rate_wpm * _ESPEAK_PACE
        total += sum(segment.pause_after_sec for segment in turn.segments)
    return total


def _interviewer_language(language_voice: str) -> str:
    """British English when the persona speaks English; otherwise the persona's language."""
    return "en-gb" if language_voice.startswith("en") else language_voice
