"""Simulated candidates: a cohort profile, the traits of one candidate, and their answers.

A :class:`CandidateProfile` describes a cohort (means and spreads); :func:`sample_candidate` draws
one candidate's traits from it with a seeded ``random.Random``; :func:`compose_answer` writes an
answer from the role bank's phrase pools (context, action, result, reflection sentences with
slots filled), sized to the candidate's typical length, with hesitations ("um", "uh") and
restarts ("we had, we had a ...") at the candidate's rates. Two cohorts with different profiles
therefore differ measurably in words per answer, words per minute and filler rate.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from zenhire_nb.sandbox.simulation.interview.banks import QuestionBank

__all__ = [
    "Candidate",
    "CandidateProfile",
    "compose_answer",
    "goodbye",
    "greeting",
    "sample_candidate",
]

# Reproducible eSpeak variants (see tts.REPRODUCIBLE_VARIANTS) that sound unlike the interviewer.
CANDIDATE_VARIANTS = ("Storm", "Denis", "Diogo", "michel", "miguel", "Hugo")
_OPENERS = ("Sure.", "Okay, so.", "Right.", "That's a good question.", "Yes.", "Well.", "So.")
_FILLERS = ("um", "uh", "um", "uh", "you know", "like")
_GREETINGS = ("Thank you, I'm happy to be here.", "Yes, let's start.", "Hi, thanks. I'm ready.")
_GOODBYES = ("Thank you, goodbye.", "Thanks a lot, bye.", "Thank you for your time.")


@dataclass(frozen=True)
class CandidateProfile:
    """Cohort parameters. Units: words, words per minute, seconds, probabilities (0..1).

    ``mean_answer_words`` and ``answer_words_spread`` (log-normal sigma, across candidates and
    answers), ``mean_rate_wpm`` and ``rate_spread_wpm`` (normal, across candidates),
    ``hesitation_rate`` (filler before a word), ``restart_rate`` (per sentence),
    ``pause_mean_sec`` (mean silence between sentences of an answer), ``response_delay_sec``
    (mean silence before answering), ``follow_up_rate`` (the interviewer asks a follow-up).
    """

    mean_answer_words: float = 55.0
    answer_words_spread: float = 0.35
    mean_rate_wpm: float = 160.0
    rate_spread_wpm: float = 18.0
    hesitation_rate: float = 0.03
    restart_rate: float = 0.08
    pause_mean_sec: float = 0.45
    response_delay_sec: float = 0.9
    follow_up_rate: float = 0.5

    def __post_init__(self) -> None:
        for name in ("hesitation_rate", "restart_rate", "follow_up_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"CandidateProfile.{name} must be within 0..1")
        if self.mean_answer_words < 3 or not 80 <= self.mean_rate_wpm <= 400:
            raise ValueError(
                "CandidateProfile needs mean_answer_words >= 3 and mean_rate_wpm in 80..400"
            )


@dataclass(frozen=True)
class Candidate:
    """One simulated candidate's traits (drawn once per interview)."""

    voice_variant: str
    pitch: int  # eSpeak pitch 0..100
    rate_wpm: int
    answer_words: float  # this candidate's typical answer length, in words
    hesitation_rate: float
    restart_rate: float
    pause_mean_sec: float
    response_delay_sec: float


def sample_candidate(rng: random.Random, profile: CandidateProfile) -> Candidate:
    """Draw a candidate around the cohort ``profile``. Consumes ``rng``; no other effect."""
    spread = profile.answer_words_spread
    return Candidate(
        voice_variant=rng.choice(CANDIDATE_VARIANTS),
        pitch=rng.randint(20, 45),
        rate_wpm=round(
            min(max(rng.gauss(profile.mean_rate_wpm, profile.rate_spread_wpm), 90), 300)
        ),
        answer_words=profile.mean_answer_words * math.exp(rng.gauss(0.0, spread / 2)),
        hesitation_rate=profile.hesitation_rate * rng.uniform(0.5, 1.5),
        restart_rate=profile.restart_rate * rng.uniform(0.5, 1.5),
        pause_mean_sec=profile.pause_mean_sec * rng.uniform(0.6, 1.4),
        response_delay_sec=profile.response_delay_sec * rng.uniform(0.6, 1.4),
    )


def compose_answer(
    rng: random.Random, bank: QuestionBank, candidate: Candidate, *, scale: float = 1.0
) -> list[str]:
    """Sentences of one answer, about ``candidate.answer_words * scale`` words long.

    Sentences follow the order context → action(s) → result → reflection, each drawn from the
    bank's pools with slots filled, then roughened with fillers and restarts.
    """
    target = max(4.0, candidate.answer_words * scale * math.exp(rng.gauss(0.0, 0.25)))
    sentences = [rng.choice(_OPENERS)] if rng.random() < 0.6 else []
    parts = ["context", "action", "action", "result", "reflection", "action", "result"]
    used: set[str] = set()
    for part in parts:
        if sentences and _count_words(sentences) >= target:
            break
        choices = [p for p in bank.phrases[part] if p not in used] or list(bank.phrases[part])
        template = rng.choice(choices)
        used.add(template)
        sentences.append(_fill(rng, template, bank.slots))
    return [_roughen(rng, s, candidate) for s in sentences]


def greeting(rng: random.Random) -> str:
    """A short reply to the interviewer's opening."""
    return rng.choice(_GREETINGS)


def goodbye(rng: random.Random) -> str:
    """A short reply to the interviewer's closing."""
    return rng.choice(_GOODBYES)


def _count_words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _fill(rng: random.Random, template: str, slots: dict[str, tuple[str, ...]]) -> str:
    def replace(match: re.Match[str]) -> str:
        values = slots.get(match.group(1))
        return rng.choice(values) if values else match.group(1)

    return re.sub(r"\{(\w+)\}", replace, template)


def _roughen(rng: random.Random, sentence: str, candidate: Candidate) -> str:
    """Insert fillers before words and sometimes restart the sentence's first words."""
    words = sentence.split()
    out: list[str] = []
    for index, word in enumerate(words):
        if index > 0 and rng.random() < candidate.hesitation_rate:
            out.append(rng.choice(_FILLERS) + ",")
        out.append(word)
    if len(words) > 4 and rng.random() < candidate.restart_rate:
        head = " ".join(words[: rng.randint(1, 3)]).rstrip(",.")
        if out[0] not in ("I", "I'm", "I've", "I'd"):
            out[0] = out[0][:1].lower() + out[0][1:]  # "We had, we had a ..."
        out.insert(0, head + ",")
    return " ".join(out)
