"""Simulated interview backend of the sandbox: speech synthesis, question banks, candidates,
recordings, transcripts with mistakes, and the transcript shapes a platform may serve.

No HTTP here: the sandbox's routes call into this package. Entry point::

    from zenhire_nb.sandbox.simulation.interview import simulate_interview
    result = simulate_interview("Data Analyst", "en", seed=7, out_path="a.wav", target_minutes=5)
"""

from __future__ import annotations

from zenhire_nb.sandbox.simulation.interview.banks import QuestionBank, available_banks, load_bank
from zenhire_nb.sandbox.simulation.interview.candidates import CandidateProfile
from zenhire_nb.sandbox.simulation.interview.mistakes import Mistake
from zenhire_nb.sandbox.simulation.interview.shapes import SHAPES, render_transcript
from zenhire_nb.sandbox.simulation.interview.simulate import (
    MAX_DURATION_SEC,
    SimulatedInterview,
    simulate_interview,
)
from zenhire_nb.sandbox.simulation.interview.tts import (
    Speech,
    SpeechSynthesisError,
    resample,
    synthesize,
    voice_for_language,
)

__all__ = [
    "MAX_DURATION_SEC",
    "SHAPES",
    "CandidateProfile",
    "Mistake",
    "QuestionBank",
    "SimulatedInterview",
    "Speech",
    "SpeechSynthesisError",
    "available_banks",
    "load_bank",
    "render_transcript",
    "resample",
    "simulate_interview",
    "synthesize",
    "voice_for_language",
]
