"""The shared WAV layer: headers checked against the real size, block reading, atomic writing."""

from __future__ import annotations

import io
import struct
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zenhire_nb import _io


def pcm16(
    samples: np.ndarray, rate: int = 16_000, channels: int = 1, *, claim: int | None = None
) -> bytes:
    """A 16-bit PCM WAV of ``samples``; ``claim`` overrides the data size the header states."""
    data = samples.astype("<i2").tobytes()
    align = 2 * channels
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * align, align, 16)
    size = len(data) if claim is None else claim
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", size)
    return b"RIFF" + struct.pack("<I", len(body) - 4 + len(data)) + body + data


SECOND = (np.sin(np.arange(16_000) / 7) * 9000).astype(np.int16)


def test_a_header_that_claims_gigabytes_fails_before_anything_is_allocated() -> None:
    lying = pcm16(SECOND[:8], claim=0xFFFFFFF0)  # 60 bytes that claim 4 GB of audio
    tracemalloc.start()
    with pytest.raises(_io.WavFormatError, match="truncated: data chunk claims 4294967280") as err:
        list(_io.iter_wav_blocks(lying, subject="session s-1"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1 << 20
    assert str(err.value).startswith("session s-1: ") and err.value.subject == "session s-1"
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "only 0 bytes"),
        (b"RIFX" + bytes(8), "not a RIFF/WAVE file"),
        (b"RIFF\x24\x00\x00\x00WAVEjunk", "no fmt and data chunks"),
        (b"RIFF\x24\x00\x00\x00WAVELIST\xff\x00\x00\x00abc", "chunk 'LIST' claims 255 bytes"),
        (b"RIFF\x24\x00\x00\x00WAVEdata\x00\x00\x00\x00", "data chunk comes before the fmt"),
        (pcm16(SECOND[:10])[:-1], "truncated: data chunk claims 20 bytes but only 19 remain"),
        (pcm16(SECOND[:10], rate=96_000), "unsupported sample rate 96000"),
        (pcm16(SECOND[:10], channels=3), "unsupported channel count 3"),
    ],
)
def test_bad_headers_are_named(data: bytes, problem: str) -> None:
    with pytest.raises(_io.WavFormatError, match=problem):
        _io.read_wav_info(data, subject="file 'x.wav'")


def test_clipping_short_data_keeps_the_whole_frames_really_present() -> None:
    whole = pcm16(np.repeat(SECOND[:1000, None], 2, axis=1).ravel(), channels=2)
    cut = whole[: 44 + 4 * 300 + 3]  # 300 stereo frames and 3 bytes of the next one
    with pytest.raises(_io.WavFormatError, match="truncated"):
        _io.read_wav_info(cut)
    info = _io.read_wav_info(cut, short_data="clip")
    assert (info.n_frames, info.data_bytes, info.channels) == (300, 1200, 2)
    blocks = [raw for raw, _ in _io.iter_frame_bytes(cut, frames_per_block=128, short_data="clip")]
    assert [len(raw) for raw in blocks] == [512, 512, 176]


def test_max_bytes_caps_the_data_chunk() -> None:
    with pytest.raises(_io.WavFormatError, match="exceeds the limit of 100 bytes"):
        _io.read_wav_info(pcm16(SECOND[:100]), max_bytes=100)


def test_a_file_object_is_read_from_its_position_which_is_restored() -> None:
    stream = io.BytesIO(b"prefix" + pcm16(SECOND[:50]))
    stream.seek(6)
    info = _io.read_wav_info(stream)
    assert (info.n_frames, stream.tell()) == (50, 6)
    samples, _ = _io.read_wav(stream)
    assert np.array_equal(np.rint(samples[:, 0] * 32768).astype(np.int16), SECOND[:50])


def test_atomic_wav_round_trips_and_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "clip.wav"
    with _io.atomic_wav(target, sample_rate=22_050, channels=2) as wav:
        wav.writeframes(np.repeat(SECOND[:500, None], 2, axis=1).astype("<i2").tobytes())
        assert _io.write_silence(wav, 100_000, channels=2) == 100_000
        assert not target.exists()  # only the temporary file exists until the block ends
    info = _io.read_wav_info(target)
    assert (info.sample_rate, info.channels, info.n_frames) == (22_050, 2, 100_500)
    with pytest.raises(RuntimeError), _io.atomic_wav(target, sample_rate=16_000) as wav:
        wav.writeframes(bytes(1000))
        raise RuntimeError("synthesis failed")
    assert [p.name for p in tmp_path.iterdir()] == ["clip.wav"]
    assert _io.read_wav_info(target).sample_rate == 22_050  # the old file is untouched


def test_the_standard_wave_module_reads_what_atomic_wav_writes(tmp_path: Path) -> None:
    target = tmp_path / "a.wav"
    with _io.atomic_wav(target, sample_rate=16_000) as wav:
        wav.writeframes(SECOND.tobytes())
    with wave.open(str(target), "rb") as check:
        assert check.getnframes() == 16_000
        assert check.readframes(16_000) == SECOND.tobytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=300),
    claim=st.one_of(st.none(), st.integers(min_value=0, max_value=2**32 - 1)),
    noise=st.binary(max_size=16),
)
def test_any_damaged_file_is_refused_cleanly_or_read_within_its_size(
    cut: int, claim: int | None, noise: bytes
) -> None:
    """Whatever a header claims, reading either fails with WavFormatError or returns exactly
    the frames the info promised, all inside the file."""
    data = (pcm16(SECOND[:120], claim=claim) + noise)[: 44 + cut]
    try:
        info = _io.read_wav_info(data)
        blocks = list(_io.iter_wav_blocks(data, frames_per_block=50))
    except _io.WavFormatError:
        return
    assert info.data_offset + info.data_bytes <= len(data)
    assert sum(len(block) for block in blocks) == info.n_frames
