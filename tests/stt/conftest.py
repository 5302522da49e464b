"""Shared speech and engines for the STT tests: synthesized once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _speech import silence, speak  # noqa: E402

# Variants without pitch flutter: eSpeak then gives the same samples whatever was spoken
# before, so results do not depend on test order.
INTERVIEWER, CANDIDATE = ("en-us+Henrique", 165), ("en-us+miguel", 150)
DIALOGUE = [
    ("interviewer", "Thanks for joining today. Could you tell me about your current job?"),
    ("candidate", "My manager asked me to write a weekly report for the sales team."),
    ("interviewer", "What is the hardest problem you solved last year?"),
    ("candidate", "I enjoy working close to the people who make product decisions."),
    ("interviewer", "Do you have any questions for us?"),
    ("candidate", "I have worked with Python and SQL for six years."),
]
GAP_SEC = 1.0


def _voice(speaker: str) -> tuple[str, int]:
    return INTERVIEWER if speaker == "interviewer" else CANDIDATE


@pytest.fixture(scope="session")
def dialogue() -> dict:
    """Two-voice dialogue: mono int16 samples at 22050 Hz, per-speaker tracks, timed turns."""
    parts, left, right, turns, now = [], [], [], [], GAP_SEC
    rate = 22050
    for block in (parts, left, right):
        block.append(silence(GAP_SEC, rate))
    for speaker, text in DIALOGUE:
        voice, wpm = _voice(speaker)
        samples, rate = speak(text, voice=voice, rate_wpm=wpm)
        quiet = np.zeros_like(samples)
        duration = samples.size / rate
        turns.append(
            {
                "speaker": speaker,
                "text": text,
                "start": round(now, 3),
                "end": round(now + duration, 3),
            }
        )
        parts += [samples, silence(GAP_SEC, rate)]
        left += [samples if speaker == "interviewer" else quiet, silence(GAP_SEC, rate)]
        right += [samples if speaker == "candidate" else quiet, silence(GAP_SEC, rate)]
        now += duration + GAP_SEC
    return {
        "mono": np.concatenate(parts),
        "rate": rate,
        "turns": turns,
        "stereo": np.stack([np.concatenate(left), np.concatenate(right)], axis=1),
    }


@pytest.fixture(scope="session")
def clip(dialogue: dict) -> tuple[np.ndarray, int, str]:
    """One short candidate sentence: (int16 samples, rate, text)."""
    text = DIALOGUE[1][1]
    samples, rate = speak(text, voice=CANDIDATE[0], rate_wpm=CANDIDATE[1])
    return samples, rate, text


@pytest.fixture(scope="session")
def stt_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder for the session (converted checkpoints are reused across tests)."""
    return tmp_path_factory.mktemp("stt-cache")
