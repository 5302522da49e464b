"""The one resampler: old results kept, streaming equal to whole, and its options checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zenhire_nb import _io

REFERENCE = Path(__file__).parent / "data" / "stt_resampler_reference.npz"

# SHA-256 of what the sandbox's former resampler (sandbox/interview/resample.py) produced for
# speech-like int16 input at 22050 Hz: the sandbox's recordings stay byte-identical. (Computed
# with numpy 2.x einsum on float32; another numpy could in principle round differently.)
SYNTHESIS_HASHES = {
    8000: "744c4e6bf2b6308da22729528edf027f3aa8a5113aa235de608ec6313fbceab1",
    16000: "42a51d8445e01bd23aa6e85f14da3dde736d17347dd0c1798dc6dd1f5e8d4090",
    24000: "3cbf1b1a5df7f0ba1379fd3b938bbb42ae8b1e41d2fc22f3ef672c38d87522b1",
    44100: "4e72ca81e862dc1e0a2960535ae58f98264bce844baccf9640d7c4ec5c3a84ba",
    48000: "057646863b79a042bb60e1960d44a6c5c3c1bea52e39356a89863997ac09df4a",
}


def speechlike(rate: int, seconds: float, seed: int) -> np.ndarray:
    """A modulated voice-band tone with a little noise, float32 in [-1, 1]."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    x = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    x += 0.1 * np.sin(2 * np.pi * 1800 * t) + 0.02 * rng.standard_normal(t.size)
    return x.astype(np.float32)


@pytest.mark.parametrize("to_rate", sorted(SYNTHESIS_HASHES))
def test_synthesis_quality_gives_the_old_sandbox_bytes(to_rate: int) -> None:
    samples = np.rint(speechlike(22050, 1.3, to_rate) * 32767).astype(np.int16)
    out = _io.resample(samples, 22050, to_rate, quality=_io.SYNTHESIS_QUALITY, length="floor")
    assert out.dtype == np.int16 and out.size == samples.size * to_rate // 22050
    assert hashlib.sha256(out.tobytes()).hexdigest() == SYNTHESIS_HASHES[to_rate]


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_recognition_quality_stays_within_noise_of_the_old_stt_resampler(rate: int) -> None:
    """The STT path's former resampler (stt/_resample.py; its outputs are kept in a file) used
    an interpolated window, a slightly wider filter and no DC normalisation: the outputs differ
    by 45-60 dB below the signal, mostly in the transition band near 8 kHz (the STT tests' and
    benchmarks' transcripts and WER did not change)."""
    old = np.load(REFERENCE)[f"out_{rate}"]
    new = _io.resample(speechlike(rate, 0.25, rate), rate, 16000)
    assert new.dtype == np.float32 and new.shape == old.shape
    assert np.sqrt(np.mean((new - old) ** 2)) < 1e-3
    assert np.abs(new - old)[200:-200].max() < 3e-3


def test_streaming_blocks_of_any_size_equal_the_whole_signal_bit_for_bit() -> None:
    rng = np.random.default_rng(5)
    signal = rng.standard_normal(48_000 + 7).astype(np.float32)
    for quality, length in ((_io.RECOGNITION_QUALITY, "ceil"), (_io.SYNTHESIS_QUALITY, "floor")):
        whole = _io.resample(signal, 48_000, 16_000, quality=quality, length=length)
        stream = _io.Resampler(48_000, 16_000, signal.size, quality=quality, length=length)
        cuts = np.sort(rng.choice(np.arange(1, signal.size), size=30, replace=False))
        parts = [stream.push(piece) for piece in np.split(signal, cuts)] + [stream.finish()]
        assert stream.output_count == whole.size
        assert np.array_equal(np.concatenate(parts), whole)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=3000),
    rates=st.sampled_from([(22050, 16000), (16000, 8000), (8000, 16000), (44100, 48000)]),
    length=st.sampled_from(["floor", "ceil"]),
    level=st.integers(min_value=-32768, max_value=32767),
)
def test_lengths_and_constants_hold_for_any_input(
    n: int, rates: tuple[int, int], length: str, level: int
) -> None:
    source, target = rates
    out = _io.resample(np.full(n, level, np.int16), source, target, length=length)  # type: ignore[arg-type]
    assert out.size == _io.output_length(n, source, target, length=length)  # type: ignore[arg-type]
    # Each phase sums to 1: away from the zero-padded edges a constant stays that constant.
    edge = 64
    if out.size > 2 * edge:
        assert np.abs(out[edge:-edge].astype(np.int32) - level).max() <= 1


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        _io.resample(np.zeros(4, np.float32), 0, 16000)
    with pytest.raises(ValueError, match="mono"):
        _io.resample(np.zeros((4, 2), np.float32), 22050, 16000)
    with pytest.raises(ValueError, match="'floor' or 'ceil'"):
        _io.output_length(4, 22050, 16000, length="round")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="announced"):
        _io.Resampler(48_000, 16_000, 10).push(np.zeros(11, np.float32))
    with pytest.raises(ValueError, match="invalid filter quality"):
        _io.FilterQuality(zero_crossings=0, rolloff=0.9, kaiser_beta=8.0)
