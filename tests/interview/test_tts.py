"""Speech synthesis through the wheel's eSpeak NG, and the resampler."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from zenhire_nb.sandbox.simulation.interview import _espeak, resample
from zenhire_nb.sandbox.simulation.interview.tts import (
    REPRODUCIBLE_VARIANTS,
    Speech,
    SpeechSynthesisError,
    resolve_voice,
    synthesize,
    voice_for_language,
)

SENTENCE = "Thank you for joining us today, could you tell me about your last project?"


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def test_sentence_has_plausible_duration_and_energy() -> None:
    speech = synthesize(SENTENCE, voice="en-us", rate_wpm=170)
    assert speech.sample_rate == 22050
    assert speech.samples.dtype == np.int16
    # 14 words at 170 wpm is ~4.9 s of speech; eSpeak adds its own comma pause
    assert 3.0 < speech.duration_sec < 8.0
    assert _rms(speech.samples) > 1000  # clearly audible, not near-silence
    samples, rate = speech  # tuple form, as the internals doc describes
    assert rate == 22050 and len(samples) == len(speech.samples)


def test_rate_changes_duration() -> None:
    slow = synthesize(SENTENCE, rate_wpm=120).duration_sec
    fast = synthesize(SENTENCE, rate_wpm=240).duration_sec
    assert fast < slow * 0.7


@pytest.mark.parametrize("variant", REPRODUCIBLE_VARIANTS)
def test_reproducible_variants_ignore_what_was_spoken_before(variant: str) -> None:
    voice = f"en-us+{variant}"
    reference = synthesize(SENTENCE, voice=voice, rate_wpm=150, pitch=60).samples
    synthesize("Something else entirely, spoken first.", voice="en-gb+f3", rate_wpm=210)
    again = synthesize(SENTENCE, voice=voice, rate_wpm=150, pitch=60).samples
    assert np.array_equal(reference, again)


def test_same_input_same_samples_across_threads() -> None:
    reference = synthesize(SENTENCE, voice="en-gb+shelby", rate_wpm=160).samples
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(synthesize(SENTENCE, voice="en-gb+shelby", rate_wpm=160).samples)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert all(np.array_equal(r, reference) for r in results)


def test_voices_differ_in_pitch() -> None:
    low = synthesize(SENTENCE, voice="en-us+michel", pitch=35)
    high = synthesize(SENTENCE, voice="en-gb+shelby", pitch=70)
    assert _median_f0(high) > 1.4 * _median_f0(low)


def _median_f0(speech: Speech) -> float:
    """Median fundamental frequency (Hz) of the loud 40 ms frames, by autocorrelation."""
    frame = int(0.04 * speech.sample_rate)
    lags = np.arange(speech.sample_rate // 400, speech.sample_rate // 60)  # 60..400 Hz
    estimates = []
    for start in range(0, len(speech.samples) - frame - lags[-1], frame):
        x = speech.samples[start : start + frame + lags[-1]].astype(np.float64)
        if np.sqrt(np.mean(x[:frame] ** 2)) < 2000:
            continue
        scores = [np.dot(x[:frame], x[lag : lag + frame]) for lag in lags]
        estimates.append(speech.sample_rate / lags[int(np.argmax(scores))])
    return float(np.median(estimates))


def test_bad_inputs_name_the_problem() -> None:
    with pytest.raises(SpeechSynthesisError, match="klingon"):
        synthesize("hello", voice="klingon")
    with pytest.raises(ValueError, match="non-empty"):
        synthesize("   ")
    with pytest.raises(ValueError, match="pitch"):
        synthesize("hello", pitch=150)


def test_unloadable_library_gives_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import espeakng_loader

    monkeypatch.setattr(espeakng_loader, "get_library_path", lambda: "/nonexistent/libespeak.so")
    fresh = _espeak._Engine()
    with pytest.raises(SpeechSynthesisError, match="espeakng-loader"), fresh.lock:
        fresh.synthesize("hello", "en-us", 170, None)


def test_voice_names_and_languages() -> None:
    assert resolve_voice("en-gb+f3") == "en+f3"
    assert resolve_voice("EN-US+m3") == "en-us+m3"
    assert resolve_voice("fr-fr") == "fr"
    assert voice_for_language("German") == "de"
    assert voice_for_language("de-DE") == "de"
    assert voice_for_language("en-GB") == "en-gb"
    assert voice_for_language("en") == "en-us"
    assert voice_for_language("pt_BR") == "pt-br"
    assert voice_for_language("Klingon") is None


def test_trim_removes_silence_only() -> None:
    speech = synthesize("Hello.")
    padded = Speech(
        np.concatenate([np.zeros(5000, np.int16), speech.samples, np.zeros(7000, np.int16)]),
        speech.sample_rate,
    )
    trimmed = padded.trimmed()
    assert len(trimmed.samples) <= len(speech.samples) + 2 * int(0.01 * 22050)  # 10 ms margins
    assert len(trimmed.samples) > 0.8 * len(speech.samples)
    assert len(Speech(np.zeros(100, np.int16), 22050).trimmed().samples) == 0


@pytest.mark.parametrize("to_rate", [8000, 16000, 44100, 48000])
def test_resample_keeps_a_tone_and_its_length(to_rate: int) -> None:
    from_rate, frequency = 22050, 440.0
    t = np.arange(from_rate) / from_rate  # one second
    tone = np.rint(10000 * np.sin(2 * np.pi * frequency * t)).astype(np.int16)
    out = resample(tone, from_rate, to_rate)
    assert len(out) == to_rate
    expected = 10000 * np.sin(2 * np.pi * frequency * np.arange(to_rate) / to_rate)
    middle = slice(to_rate // 10, -to_rate // 10)  # skip the zero-padded edges
    error = np.max(np.abs(out[middle] - expected[middle]))
    assert error < 10000 * 0.01


def test_resample_rejects_aliases() -> None:
    from_rate = 22050
    t = np.arange(from_rate) / from_rate
    high = np.rint(10000 * np.sin(2 * np.pi * 10000 * t)).astype(np.int16)  # above 8 kHz
    out = resample(high, from_rate, 16000)
    assert _rms(out[1600:-1600]) < 10000 * 0.01  # attenuated by more than 40 dB


def test_resample_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="positive"):
        resample(np.zeros(10, np.int16), 0, 16000)
    with pytest.raises(ValueError, match="mono"):
        resample(np.zeros((10, 2), np.int16), 22050, 16000)
