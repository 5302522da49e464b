"""The batched transcription (the check's default) and forced scoring with openai-whisper, on
real speech and real weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zenhire_nb.stt import check_recording, transcribe_recording
from zenhire_nb.stt._chunks import MAX_CHUNK_SEC, speech_chunks

pytestmark = pytest.mark.stt
RATE = 16_000


def _check(dialogue: dict, turns: list[dict], cache: Path, **options) -> object:
    return check_recording(
        (dialogue["mono"], dialogue["rate"]), turns, cache_dir=cache, session_id="ses-b", **options
    )


def test_chunks_cut_in_pauses_and_drop_silence() -> None:
    rng = np.random.default_rng(1)
    # 3 s bursts of noise ("speech") with 0.6 s of silence between, then 5 s of silence.
    parts = []
    for _ in range(12):
        parts += [rng.normal(0, 0.1, 3 * RATE), np.zeros(int(0.6 * RATE))]
    samples = np.concatenate([*parts, np.zeros(5 * RATE)]).astype(np.float32)
    chunks = speech_chunks(samples)
    assert all(stop - start <= MAX_CHUNK_SEC * RATE for start, stop in chunks)
    bursts = [(int(i * 3.6 * RATE), int((i * 3.6 + 3) * RATE)) for i in range(12)]
    for start, stop in bursts:  # every burst lies whole inside one chunk
        assert any(a <= start and stop <= b for a, b in chunks)
    assert chunks[-1][1] <= (12 * 3.6 - 0.6 + 0.25) * RATE  # the trailing silence is dropped
    assert speech_chunks(np.zeros(10 * RATE, np.float32)) == []


def test_batched_transcript_does_not_depend_on_threads(dialogue: dict, stt_cache: Path) -> None:
    audio = (dialogue["mono"], dialogue["rate"])
    one = transcribe_recording(audio, threads=1, cache=False)
    two = transcribe_recording(audio, threads=2, cache=False)
    # One CTranslate2 thread per call, calls spread over threads: identical numbers.
    assert one.words.equals(two.words)
    assert one.settings.batched and one.words.attrs["batched"]
    sequential = transcribe_recording(audio, batched=False, threads=2, cache_dir=stt_cache)
    assert not sequential.settings.batched
    assert (
        sequential.settings.key()
        != transcribe_recording(audio, threads=2, cache_dir=stt_cache).settings.key()
    )  # each path has its own cache entry


def test_openai_whisper_scores_and_flags_like_faster_whisper(
    dialogue: dict, stt_cache: Path
) -> None:
    pytest.importorskip("whisper")
    mistaken = [dict(turn) for turn in dialogue["turns"]]
    mistaken[2]["text"] = "What is the hardest problem you solved lost year?"
    for name, turns in {"clean": dialogue["turns"], "mistake": mistaken}.items():
        faster = _check(dialogue, turns, stt_cache, compute_type="float32", threads=2)
        openai = _check(dialogue, turns, stt_cache, engine="openai-whisper", threads=2)
        assert openai.turns["flag_rule"].eq("forced").all(), name
        assert list(openai.turns["flagged"]) == list(faster.turns["flagged"]), name
        # Same weights, same windows: the scores agree to float32 rounding.
        assert np.abs(openai.scores["logprob"] - faster.scores["logprob"]).max() < 1e-3, name
    assert list(openai.turns.index[openai.turns["flagged"]]) == [2]
    assert openai.turns["weakest_word"][2] == "lost"
