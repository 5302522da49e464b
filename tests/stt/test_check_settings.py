"""CheckSettings: checked when built, readable, and the one place keyword shortcuts resolve."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from zenhire_nb.stt import (
    DEFAULT_LOGPROB_THRESHOLD,
    DEFAULT_MARGIN_SEC,
    CheckSettings,
    check_recording,
    transcribe_recording,
)
from zenhire_nb.stt.check_settings import settings_from_keywords


def test_defaults_are_todays_defaults() -> None:
    settings = CheckSettings()
    assert (settings.engine, settings.compute_type, settings.beam_size) == ("auto", "int8", 5)
    assert settings.forced and settings.alignment == "auto" and settings.threads is None
    assert settings.logprob_threshold == DEFAULT_LOGPROB_THRESHOLD
    assert settings.margin_sec == DEFAULT_MARGIN_SEC
    assert repr(settings) == "CheckSettings()"


def test_repr_shows_only_what_differs() -> None:
    settings = CheckSettings(beam_size=1, threads=2)
    assert repr(settings) == "CheckSettings(beam_size=1, threads=2)"
    assert settings.changed() == {"beam_size": 1, "threads": 2}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("beam_size", 0, ValueError),
        ("beam_size", True, TypeError),
        ("beam_size", 2.0, TypeError),
        ("threads", 0, ValueError),
        ("channel", -1, ValueError),
        ("alignment", "diagonal", ValueError),
        ("engine", "whisper.cpp", ValueError),
        ("logprob_threshold", 1.0, ValueError),
        ("logprob_threshold", float("nan"), ValueError),
        ("threshold", -0.1, ValueError),
        ("margin_sec", -1.0, ValueError),
        ("min_untranscribed_words", 0, ValueError),
        ("forced", "yes", TypeError),
        ("compute_type", "", ValueError),
        ("model", "", ValueError),
        ("model", 3, TypeError),
    ],
)
def test_bad_values_name_the_field(field: str, value: object, error: type) -> None:
    with pytest.raises(error, match=field):
        CheckSettings(**{field: value})


def test_frozen_hashable_picklable_and_paths_as_text(tmp_path: Path) -> None:
    settings = CheckSettings(model=tmp_path, threads=1)
    assert settings.model == str(tmp_path)
    assert settings == CheckSettings(model=str(tmp_path), threads=1)
    assert hash(settings) == hash(CheckSettings(model=str(tmp_path), threads=1))
    assert pickle.loads(pickle.dumps(settings)) == settings
    with pytest.raises(AttributeError):
        settings.threads = 2  # type: ignore[misc]


def test_replace_checks_and_rejects_unknown_fields() -> None:
    settings = CheckSettings().replace(beam_size=1)
    assert settings.beam_size == 1
    with pytest.raises(ValueError, match="beam_size"):
        settings.replace(beam_size=-1)
    with pytest.raises(TypeError, match="'beam'"):
        settings.replace(beam=1)


def test_keywords_override_the_base_in_one_place() -> None:
    base = CheckSettings(beam_size=1, threads=1)
    merged = settings_from_keywords(base, {"threads": 2}, where="f")
    assert merged == CheckSettings(beam_size=1, threads=2)
    assert settings_from_keywords(None, {}, where="f") == CheckSettings()
    with pytest.raises(TypeError, match=r"f\(\) takes settings=CheckSettings"):
        settings_from_keywords({"threads": 2}, {}, where="f")  # type: ignore[arg-type]


def test_unknown_keywords_are_a_type_error_naming_them(stt_cache: Path) -> None:
    with pytest.raises(TypeError, match=r"check_recording\(\).*'beams'"):
        check_recording("missing.wav", [], beams=2, cache_dir=stt_cache)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"transcribe_recording\(\).*'forced'"):
        transcribe_recording("missing.wav", forced=False, cache_dir=stt_cache)  # type: ignore[call-arg]
