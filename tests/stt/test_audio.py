"""Audio preparation and resampling: any rate, mono or stereo, clear errors."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from zenhire_nb._io import resample
from zenhire_nb.stt._audio import prepare_audio


def _tone(rate: int, seconds: float = 1.0, frequency: float = 440.0) -> np.ndarray:
    return np.sin(2 * np.pi * frequency * np.arange(int(rate * seconds)) / rate).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    data = np.asarray(samples, dtype=np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1 if data.ndim == 1 else data.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return path


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resample_keeps_a_tone(rate: int) -> None:
    result = resample(_tone(rate), rate, 16000)
    expected = _tone(16000)
    assert result.size == 16000
    assert np.abs(result - expected)[500:-500].max() < 0.01


def test_resample_removes_what_16k_cannot_hold() -> None:
    result = resample(_tone(44100, frequency=10000.0), 44100, 16000)
    assert np.abs(result[500:-500]).max() < 0.01


def test_stereo_is_averaged_or_picked() -> None:
    left, right = _tone(16000), np.zeros(16000, np.float32)
    stereo = np.stack([left, right], axis=1)
    assert np.allclose(prepare_audio(stereo, sample_rate=16000).samples, left / 2)
    assert np.allclose(prepare_audio(stereo, sample_rate=16000, channel=0).samples, left)
    channels_first = prepare_audio(stereo.T.copy(), sample_rate=16000, channel=1)
    assert channels_first.channels == 2 and not channels_first.samples.any()


def test_int16_is_scaled_and_caller_array_untouched() -> None:
    samples = np.array([0, 16384, -32768], dtype=np.int16)
    before = samples.copy()
    prepared = prepare_audio((samples, 16000))
    assert np.allclose(prepared.samples, [0.0, 0.5, -1.0])
    assert np.array_equal(samples, before)


def test_wav_file_and_bytes(tmp_path: Path) -> None:
    samples = (_tone(8000) * 20000).astype(np.int16)
    path = write_wav(tmp_path / "clip.wav", np.stack([samples, samples], axis=1), 8000)
    from_file = prepare_audio(path)
    assert (from_file.source_rate, from_file.channels) == (8000, 2)
    assert from_file.samples.size == 16000
    assert prepare_audio(path.read_bytes()).digest == from_file.digest


def test_errors_name_the_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sample_rate"):
        prepare_audio(np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="channel 2"):
        prepare_audio(np.zeros((10, 2), np.float32), sample_rate=16000, channel=2)
    with pytest.raises(ValueError, match="no samples"):
        prepare_audio((np.zeros(0, np.int16), 16000))
    with pytest.raises(FileNotFoundError, match="missing.wav"):
        prepare_audio(tmp_path / "missing.wav")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk")
    with pytest.raises(ValueError, match="broken.wav|s-1"):
        prepare_audio(broken, session_id="s-1")
