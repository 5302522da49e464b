"""The batched transcription goes on after a chunk whose decoding stopped early.

Whisper sometimes closes a window's text with a timestamp seconds before the window ends and
says nothing of the speech after it. This sandbox interview (seed 5003, the ground-truth
benchmark's fourth) loses runs of 8 and 13 words that way when each chunk is decoded once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.stt import _faster_batched as batched
from zenhire_nb.stt import transcribe_recording
from zenhire_nb.stt.normalize import normalize_words
from zenhire_nb.stt.wer import align_words


def _longest_deletion_run(reference: str, hypothesis: str) -> int:
    longest = run = 0
    for edit in align_words(normalize_words(reference), normalize_words(hypothesis)):
        run = run + 1 if edit.kind == "deletion" else 0
        longest = max(longest, run)
    return longest


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("tails")
    with Sandbox(credits=10_000) as sb:
        client = sb.client()
        persona = client.personas.create(role_name="Sales Representative", language="en")
        session = client.sessions.create(persona.id, consent_mode="integrator")
        sb.admin.simulate(
            session.id,
            seed=5003,
            mistake_rate=0.05,
            target_minutes=2.5,
            failure_rate=0.0,
            timeout_rate=0.0,
        )
        wav = client.sessions.recording(session.id, path=folder / "interview.wav")
        truth = sb.admin.ground_truth(session.id)
    return wav, " ".join(turn["text"] for turn in truth["true_turns"])


def test_speech_after_an_early_stop_is_transcribed(
    interview: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wav, spoken = interview
    heard = transcribe_recording(wav, cache=False).text
    assert _longest_deletion_run(spoken, heard) < 4

    monkeypatch.setattr(batched, "_ROUNDS", 1)  # each chunk decoded once: the words are lost
    assert _longest_deletion_run(spoken, transcribe_recording(wav, cache=False).text) >= 8


class _Result:
    def __init__(self, tokens: list[int]):
        self.sequences_ids = [tokens]


class _Tokenizer:
    timestamp_begin = 1000


def _chunk(tokens: list[int], seconds: float = 10.0) -> batched._Chunk:
    chunk = batched._Chunk(16_000, 16_000 + int(seconds * 16_000))
    chunk.result = _Result(tokens)
    return chunk


def test_tail_rule() -> None:
    loud = np.zeros(2_000, dtype=bool)  # 20 s of frames, none quiet
    quiet = np.ones(2_000, dtype=bool)
    stopped = _chunk([1000, 5, 6, 1000 + 200])  # text closed at 4.0 s of a 10 s chunk
    tail = batched._tail(_Tokenizer(), loud, stopped)
    assert tail is not None and (tail.start, tail.stop) == (16_000 + 64_000, stopped.stop)
    assert batched._tail(_Tokenizer(), quiet, stopped) is None  # only silence after it
    assert batched._tail(_Tokenizer(), loud, _chunk([1000, 5, 6])) is None  # runs to the end
    assert batched._tail(_Tokenizer(), loud, _chunk([1000, 5, 1000 + 475])) is None  # 0.5 s left
