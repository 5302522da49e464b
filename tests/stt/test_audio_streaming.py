"""Streaming audio preparation: block-wise mixing and resampling equal the whole-file result,
and a long recording is never held whole at its own rate."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest

from zenhire_nb._io import Resampler, resample
from zenhire_nb.frames import read_wav
from zenhire_nb.stt import _audio
from zenhire_nb.stt._audio import prepare_audio


def _write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1 if samples.ndim == 1 else samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def _noise_wav(path: Path, rate: int, channels: int, seconds: float, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    frames = int(rate * seconds) + 37  # a length no block size below divides
    samples = (rng.standard_normal((frames, channels)) * 4000).astype(np.int16)
    return _write_wav(path, samples[:, 0] if channels == 1 else samples, rate)


def _whole_file(path: Path, channel: int | None) -> np.ndarray:
    """The reference: every sample read at once, mixed, then resampled in one call."""
    samples, info = read_wav(path)
    mono = samples.mean(axis=1, dtype=np.float32) if channel is None else samples[:, channel]
    return resample(np.ascontiguousarray(mono), info.sample_rate, 16_000)


@pytest.mark.parametrize(("rate", "channels"), [(48_000, 2), (44_100, 1)])
@pytest.mark.parametrize("block_frames", [4_097, 10_007, 65_536])
def test_streaming_equals_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rate: int, channels: int, block_frames: int
) -> None:
    path = _noise_wav(tmp_path / "clip.wav", rate, channels, seconds=3.3)
    monkeypatch.setattr(_audio, "_BLOCK_FRAMES", block_frames)
    for channel in (None, channels - 1):
        prepared = prepare_audio(path, channel=channel)
        expected = _whole_file(path, channel)
        assert prepared.samples.dtype == np.float32 and prepared.samples.shape == expected.shape
        assert np.abs(prepared.samples - expected).max() < 1e-4


def test_resampler_blocks_of_any_size_equal_one_call() -> None:
    rng = np.random.default_rng(3)
    signal = rng.standard_normal(44_100 * 2 + 11).astype(np.float32)
    whole = resample(signal, 44_100, 16_000)
    resampler = Resampler(44_100, 16_000, signal.size)
    cuts = np.sort(rng.choice(np.arange(1, signal.size), size=40, replace=False))
    parts = [resampler.push(piece) for piece in np.split(signal, cuts)]
    parts.append(resampler.finish())
    assert np.abs(np.concatenate(parts) - whole).max() < 1e-6


def test_resampler_checks_what_it_is_fed() -> None:
    resampler = Resampler(48_000, 16_000, 10)
    with pytest.raises(ValueError, match="announced"):
        resampler.push(np.zeros(11, np.float32))
    with pytest.raises(ValueError, match="announced"):
        Resampler(48_000, 16_000, 10).finish()


def test_other_formats_stream_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soundfile = pytest.importorskip("soundfile")
    rng = np.random.default_rng(5)
    samples = (rng.standard_normal((44_100 * 2 + 5, 2)) * 0.2).astype(np.float32)
    path = tmp_path / "clip.flac"
    soundfile.write(str(path), samples, 44_100, subtype="PCM_16")
    monkeypatch.setattr(_audio, "_BLOCK_FRAMES", 5_000)
    data, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    expected = resample(data.mean(axis=1, dtype=np.float32), 44_100, 16_000)
    assert np.abs(prepare_audio(path).samples - expected).max() < 1e-4


_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from zenhire_nb.stt._audio import prepare_audio

    def status(key):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(key)

    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before = status("VmRSS")
    prepared = prepare_audio(sys.argv[1])
    print(json.dumps({"growth": status("VmHWM") - before, "samples": int(prepared.samples.size)}))
    """
)


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_a_long_recording_is_not_held_whole(tmp_path: Path) -> None:
    rate, channels, minutes = 48_000, 2, 10
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as out:  # written in pieces: the test stays small too
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        rng = np.random.default_rng(0)
        piece = (rng.standard_normal((rate * 60, channels)) * 3000).astype("<i2").tobytes()
        for _ in range(minutes):
            out.writeframes(piece)
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    measured = json.loads(result.stdout)
    frames = rate * 60 * minutes
    whole_float32 = frames * channels * 4  # what reading every channel at once would hold
    output = measured["samples"] * 4
    assert measured["samples"] == frames // 3
    # The output itself (~38 MB) plus blocks; reading whole would add ~230 MB on top.
    assert measured["growth"] < output + whole_float32 // 4, measured
