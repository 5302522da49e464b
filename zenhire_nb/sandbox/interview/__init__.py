"""Simulated interview backend of the sandbox: speech synthesis, question banks, candidates.

No HTTP here: the sandbox's routes call into this package.
"""

from __future__ import annotations

from zenhire_nb.sandbox.interview.resample import resample
from zenhire_nb.sandbox.interview.tts import (
    Speech,
    SpeechSynthesisError,
    synthesize,
    voice_for_language,
)

__all__ = [
    "Speech",
    "SpeechSynthesisError",
    "resample",
    "synthesize",
    "voice_for_language",
]
