"""One simulated interview, end to end: outcome, script, recording, transcript, ground truth.

Randomness: every decision comes from ``random.Random`` streams derived from ``seed`` and a
stream name (outcome, candidate, script, mistakes, feedback), so the same arguments give the
same transcript and byte-identical WAV, and changing, say, ``mistake_rate`` leaves the script
and the audio unchanged.

Language: the banks are English. The persona's ``language`` picks the eSpeak voice when eSpeak
has that language (``"de"`` → German voices speaking the English script, i.e. accented
English); otherwise, and for any English variant, British (interviewer) and American
(candidate) English voices are used. The chosen voices are in the ground truth.

Outcomes: ``failed`` (candidate dropped, error code ``CANDIDATE_DISCONNECTED``) and ``timeout``
(``SESSION_TIMEOUT`` after the 90-minute budget, ``duration_sec`` 5400) synthesize nothing and
write no file: the platform never serves artifacts of a failed session.
"""

from __future__ import annotations

import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zenhire_nb.contract.models import Feedback
from zenhire_nb.sandbox.simulation.interview.banks import load_bank
from zenhire_nb.sandbox.simulation.interview.candidates import CandidateProfile, sample_candidate
from zenhire_nb.sandbox.simulation.interview.mistakes import inject_mistakes
from zenhire_nb.sandbox.simulation.interview.recording import write_recording
from zenhire_nb.sandbox.simulation.interview.script import plan_interview
from zenhire_nb.sandbox.simulation.interview.tts import voice_for_language

__all__ = ["MAX_DURATION_SEC", "SimulatedInterview", "simulate_interview"]

MAX_DURATION_SEC = 90 * 60  # [decided] the platform's interview budget (docs/contract.md §5)
_COMMENTS = {
    1: ("The connection kept dropping.", "The questions felt very generic."),
    2: ("It was hard to understand the interviewer.", "Too long for what it was."),
    3: ("It was okay.", "A bit robotic, but fine."),
    4: ("Smooth and clear.", "Good questions, thank you."),
    5: ("Great experience!", "Felt like a real conversation."),
}


@dataclass(frozen=True)
class SimulatedInterview:
    """What the interview backend reports, plus the sandbox's own ground truth.

    ``outcome`` is "completed", "failed" or "timeout"; ``error_code`` is set for the last two.
    ``duration_sec`` is whole seconds (the webhook's field). ``transcript`` is the served,
    canonical list of turns (with mistakes); ``ground_truth`` holds ``turns`` (true text, same
    times), ``mistakes`` (dicts of :class:`~.mistakes.Mistake`), ``candidate`` traits,
    ``voices``, ``bank`` and ``seed``. ``recording`` is the WAV path (None unless completed).
    """

    outcome: str
    duration_sec: int
    transcript: list[dict[str, Any]]
    ground_truth: dict[str, Any]
    feedback: Feedback | None
    recording: Path | None
    error_code: str | None = None
    sample_rate: int = 16000
    channels: int = 1


def simulate_interview(
    role_name: str,
    language: str,
    *,
    seed: int | str,
    out_path: str | os.PathLike[str],
    sample_rate: int = 16000,
    channels: int = 1,
    target_minutes: float | None = None,
    mistake_rate: float = 0.0,
    failure_rate: float = 0.0,
    timeout_rate: float = 0.0,
    feedback_rate: float = 0.5,
    profile: CandidateProfile | None = None,
) -> SimulatedInterview:
    """Run one simulated interview for a persona (``role_name``, ``language``).

    ``target_minutes`` sets the approximate length (None: every bank question once, typically
    3–6 minutes); rates are probabilities 0..1 (``mistake_rate`` per word of the served
    transcript). ``profile`` describes the candidate's cohort (default :class:`CandidateProfile`).

    Raises:
        ValueError: a rate is outside 0..1, ``failure_rate + timeout_rate`` exceeds 1,
            ``target_minutes`` is not positive or exceeds 90, or a recording option is invalid.
        SpeechSynthesisError: eSpeak NG is unavailable.

    Side effects: writes the WAV to ``out_path`` (atomically) when the outcome is "completed".
    """
    _check_rates(mistake_rate, failure_rate, timeout_rate, feedback_rate, target_minutes)
    profile = profile or CandidateProfile()
    streams = _Streams(seed)
    candidate = sample_candidate(streams("candidate"), profile)
    language_voice = voice_for_language(language) or "en-us"
    outcome_draw = streams("outcome").random()
    base_truth = {"seed": seed, "candidate": asdict(candidate), "language_voice": language_voice}
    if outcome_draw < failure_rate + timeout_rate:
        timed_out = outcome_draw >= failure_rate
        return SimulatedInterview(
            outcome="timeout" if timed_out else "failed",
            duration_sec=MAX_DURATION_SEC if timed_out else streams("failure").randint(20, 300),
            transcript=[], ground_truth={**base_truth, "turns": [], "mistakes": []},
            feedback=None, recording=None,
            error_code="SESSION_TIMEOUT" if timed_out else "CANDIDATE_DISCONNECTED",
            sample_rate=sample_rate, channels=channels,
        )  # fmt: skip
    bank = load_bank(role_name)
    target_sec = None if target_minutes is None else target_minutes * 60.0
    plan = plan_interview(
        streams("script"), bank, candidate, role_name=role_name, language_voice=language_voice,
        follow_up_rate=profile.follow_up_rate, target_sec=target_sec,
    )  # fmt: skip
    timed, frames = write_recording(plan, out_path, sample_rate=sample_rate, channels=channels)
    true_turns = [turn.as_dict() for turn in timed]
    served_texts, mistakes = inject_mistakes(
        [turn.text for turn in timed], mistake_rate, streams("mistakes")
    )
    served = [{**turn, "text": text} for turn, text in zip(true_turns, served_texts, strict=True)]
    truth = {
        **base_truth, "bank": bank.name, "turns": true_turns,
        "mistakes": [m.as_dict() for m in mistakes],
        "voices": {"interviewer": plan[0].voice, "candidate": plan[1].voice},
    }  # fmt: skip
    return SimulatedInterview(
        outcome="completed", duration_sec=max(1, round(frames / sample_rate)),
        transcript=served, ground_truth=truth,
        feedback=_feedback(streams("feedback"), feedback_rate),
        recording=Path(out_path), sample_rate=sample_rate, channels=channels,
    )  # fmt: skip


class _Streams:
    """Independent, named random streams derived from one seed."""

    def __init__(self, seed: int | str) -> None:
        self.seed = seed

    def __call__(self, name: str) -> random.Random:
        return random.Random(f"zenhire-interview:{self.seed}:{name}")


def _feedback(rng: random.Random, rate: float) -> Feedback | None:
    """Survey answer: rating skewed towards 4, a comment two times in three."""
    if rng.random() >= rate:
        return None
    rating = rng.choices([1, 2, 3, 4, 5], weights=[6, 9, 20, 37, 28])[0]
    comment = rng.choice(_COMMENTS[rating]) if rng.random() < 0.67 else None
    return Feedback(rating=rating, negative=rating <= 2, comment=comment)


def _check_rates(
    mistake: float, failure: float, timeout: float, feedback: float, minutes: float | None
) -> None:
    rates = {"mistake_rate": mistake, "failure_rate": failure, "timeout_rate": timeout,
             "feedback_rate": feedback}  # fmt: skip
    for name, value in rates.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be within 0..1, got {value}")
    if failure + timeout > 1.0:
        raise ValueError(f"failure_rate + timeout_rate must not exceed 1, got {failure + timeout}")
    if minutes is not None and not 0 < minutes <= MAX_DURATION_SEC / 60:
        raise ValueError(f"target_minutes must be within (0, 90], got {minutes}")
