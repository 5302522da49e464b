"""Loudness (RMS dBFS) and energy-based voice activity, per channel, computed block by block."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zenhire_nb.frames import VadSettings, analyse_recording

RATE = 16_000


def _noise(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 10 ** (dbfs / 20), int(seconds * RATE))


def test_full_scale_sine_is_minus_three_dbfs(wav_bytes, make_tone):
    _, (stats,) = analyse_recording(wav_bytes(make_tone(1.0, RATE, level=1.0), bits=24))
    assert stats.rms_dbfs == pytest.approx(-3.01, abs=0.02)
    assert stats.speech_sec == pytest.approx(1.0)
    assert stats.silence_ratio == pytest.approx(0.0)


def test_speech_between_pauses(wav_bytes, make_tone):
    signal = np.concatenate([_noise(3, -70), make_tone(2.0, RATE, level=0.1), _noise(3, -70, 1)])
    info, (stats,) = analyse_recording(wav_bytes(signal))
    assert info.duration_sec == pytest.approx(8.0)
    assert stats.speech_sec == pytest.approx(2.0, abs=0.04)
    assert stats.silence_ratio == pytest.approx(0.75, abs=0.01)
    # Power mean of a -23 dBFS tone over a quarter of the time: about -29 dBFS.
    assert stats.rms_dbfs == pytest.approx(-29.0, abs=0.2)


def test_digital_silence(wav_bytes):
    _, (stats,) = analyse_recording(wav_bytes(np.zeros(RATE)))
    assert stats.rms_dbfs == -120.0
    assert stats.speech_sec == 0.0 and stats.silence_ratio == 1.0


def test_stereo_channels_are_measured_separately(wav_bytes, make_tone):
    speech = np.concatenate([make_tone(1.0, RATE, level=0.3), np.zeros(3 * RATE)])
    other = np.concatenate([np.zeros(2 * RATE), make_tone(2.0, RATE, level=0.3)])
    stereo = wav_bytes(np.stack([speech, other], axis=1), fmt="float", bits=32)
    _, stats = analyse_recording(stereo)
    assert [s.channel for s in stats] == [0, 1]
    assert stats[0].speech_sec == pytest.approx(1.0, abs=0.04)
    assert stats[1].speech_sec == pytest.approx(2.0, abs=0.04)


def test_block_boundaries_do_not_change_results(wav_bytes, make_tone):
    # 10.3 s spans several 10.24 s blocks and ends in a partial analysis frame.
    signal = np.concatenate([make_tone(5.15, RATE, level=0.2), _noise(5.15, -65)])
    _, (stats,) = analyse_recording(wav_bytes(signal))
    assert stats.speech_sec == pytest.approx(5.15, abs=0.04)


def test_quiet_steady_noise_is_silence(wav_bytes):
    _, (stats,) = analyse_recording(wav_bytes(_noise(2, -60)))
    assert stats.speech_sec == 0.0


def test_nan_float_samples_do_not_poison_the_level(wav_bytes, make_tone):
    signal = make_tone(1.0, RATE, level=0.5)
    signal[100] = np.nan
    _, (stats,) = analyse_recording(wav_bytes(signal, fmt="float", bits=32))
    assert math.isfinite(stats.rms_dbfs)


def test_empty_recording(wav_bytes):
    info, (stats,) = analyse_recording(wav_bytes(np.zeros(0)))
    assert info.n_frames == 0 and stats.speech_sec == 0.0
    assert math.isnan(stats.rms_dbfs) and math.isnan(stats.silence_ratio)


def test_thresholds_are_configurable(wav_bytes, make_tone):
    quiet = make_tone(1.0, RATE, level=0.001)  # about -63 dBFS
    strict = analyse_recording(wav_bytes(quiet))[1][0]
    lenient = analyse_recording(
        wav_bytes(quiet), settings=VadSettings(absolute_threshold_dbfs=-80.0)
    )[1][0]
    assert strict.speech_sec == 0.0 and lenient.speech_sec == pytest.approx(1.0)


def test_invalid_settings():
    with pytest.raises(ValueError, match="frame_ms"):
        VadSettings(frame_ms=0)


# A block holds 512 analysis frames; at 16 kHz and 20 ms that is 163,840 samples. A last block
# shorter than one frame (1..319 samples past a block boundary) once raised a bare ValueError.
@pytest.mark.parametrize("extra", [0, 1, 100, 319, 320, 321, 639])
def test_a_last_block_shorter_than_one_frame_is_measured(wav_bytes, extra):
    samples = 163_840 + extra
    info, (stats,) = analyse_recording(wav_bytes(_noise(samples / RATE, -20)[:samples]))
    assert info.n_frames == samples
    assert stats.speech_sec == pytest.approx(samples / RATE, abs=0.001)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rate=st.sampled_from([8_000, 16_000, 22_050, 44_100, 48_000]),
    channels=st.integers(1, 2),
    blocks=st.integers(0, 2),
    extra=st.integers(0, 1_000),
)
def test_any_frame_count_around_block_boundaries(wav_bytes, rate, channels, blocks, extra):
    frame_len = round(rate * 0.02)
    frames = blocks * frame_len * 512 + extra
    signal = np.full((frames, channels), 0.25) if channels > 1 else np.full(frames, 0.25)
    info, stats = analyse_recording(wav_bytes(signal, rate=rate))
    assert info.n_frames == frames and len(stats) == channels
    for channel in stats:
        if frames:
            assert channel.speech_sec == pytest.approx(frames / rate, abs=1e-6)
            assert channel.rms_dbfs == pytest.approx(20 * math.log10(0.25), abs=0.01)
        else:
            assert channel.speech_sec == 0.0
