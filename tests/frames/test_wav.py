"""WAV reading: supported formats round-trip; corrupt, truncated and lying headers are refused."""

from __future__ import annotations

import io
import struct
import tracemalloc

import numpy as np
import pytest

from zenhire_nb.frames import (
    RecordingFormatError,
    iter_wav_blocks,
    read_wav,
    read_wav_info,
)

RATES = [8_000, 16_000, 22_050, 44_100, 48_000]
FORMATS = [("pcm", 8), ("pcm", 16), ("pcm", 24), ("pcm", 32), ("float", 32), ("float", 64)]
# Writers scale by 2**(bits-1) - 1, readers divide by 2**(bits-1): allow that plus rounding.
TOLERANCE = {bits: 2.0 / 2 ** (bits - 1) for bits in (8, 16, 24)} | {32: 1e-6, 64: 1e-6}


def _signal(frames: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(frames + channels)
    return rng.uniform(-0.9, 0.9, size=(frames, channels))


@pytest.mark.parametrize(("fmt", "bits"), FORMATS)
@pytest.mark.parametrize("channels", [1, 2])
def test_formats_round_trip(wav_bytes, fmt, bits, channels):
    signal = _signal(1_000, channels)
    samples, info = read_wav(wav_bytes(signal, 16_000, bits=bits, fmt=fmt))
    assert samples.dtype == np.float32 and samples.shape == (1_000, channels)
    assert (info.bits, info.format, info.channels, info.n_frames) == (bits, fmt, channels, 1_000)
    assert np.max(np.abs(samples - signal)) <= TOLERANCE[bits]


@pytest.mark.parametrize("rate", RATES)
def test_rates_and_duration(wav_bytes, make_tone, rate):
    data = wav_bytes(make_tone(0.5, rate), rate)
    info = read_wav_info(data)
    assert info.sample_rate == rate
    assert info.duration_sec == pytest.approx(0.5, abs=1 / rate)
    assert info.data_offset == 44 and info.bytes == len(data)
    assert info.data_bytes == info.n_frames * 2


def test_extensible_format_and_extra_chunks(wav_bytes, make_tone):
    junk = b"LIST" + struct.pack("<I", 5) + b"abcde" + b"\x00"  # odd size, padded
    data = wav_bytes(make_tone(0.1, 16_000), bits=24, extensible=True, extra_chunks=junk)
    info = read_wav_info(data)
    assert (info.bits, info.format, info.data_offset) == (24, "pcm", 44 + 24 + 14)


def test_24_bit_sign_extension(wav_bytes):
    signal = np.array([[-1.0], [-0.5], [0.0], [0.5], [1.0]])
    samples, _ = read_wav(wav_bytes(signal, bits=24))
    assert samples[:, 0] == pytest.approx([-1.0, -0.5, 0.0, 0.5, 1.0], abs=1e-6)


def test_path_file_object_and_bytes_agree(tmp_path, wav_bytes, make_tone):
    data = wav_bytes(make_tone(0.2, 8_000), 8_000)
    path = tmp_path / "a.wav"
    path.write_bytes(data)
    stream = io.BytesIO(b"prefix" + data)
    stream.seek(6)
    infos = [read_wav_info(path), read_wav_info(data), read_wav_info(stream)]
    assert infos[0] == infos[1] == infos[2]
    assert stream.tell() == 6  # the caller's position is restored


def test_blocks_are_bounded_and_complete(wav_bytes):
    signal = _signal(10_001, 2)
    blocks = list(iter_wav_blocks(wav_bytes(signal), frames_per_block=1_000))
    assert [len(b) for b in blocks] == [1_000] * 10 + [1]
    assert np.vstack(blocks) == pytest.approx(signal, abs=1e-4)


def test_empty_data_chunk_is_a_zero_length_recording(wav_bytes):
    samples, info = read_wav(wav_bytes(np.zeros((0, 1))))
    assert samples.shape == (0, 1) and info.duration_sec == 0.0


def test_sixty_byte_file_claiming_gigabytes_allocates_nothing(wav_bytes):
    header = bytearray(wav_bytes(np.zeros(8))[:44])
    header[4:8] = struct.pack("<I", 0xFFFFFFF0)
    header[40:44] = struct.pack("<I", 0xFFFFFFF0)  # the data chunk claims ~4 GB
    lying = bytes(header) + b"\x00" * 16
    assert len(lying) == 60
    tracemalloc.start()
    try:
        with pytest.raises(RecordingFormatError, match="truncated: data chunk claims 4294967280"):
            read_wav_info(lying, session_id="s-1")
        with pytest.raises(RecordingFormatError):
            list(iter_wav_blocks(lying))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_truncated_file_names_the_session(wav_bytes, make_tone):
    data = wav_bytes(make_tone(1.0, 16_000))
    with pytest.raises(RecordingFormatError) as caught:
        read_wav_info(data[:-100], session_id="abc-123")
    message = str(caught.value)
    assert message.startswith("session abc-123: truncated: data chunk claims 32000 bytes")
    assert "31900 remain" in message


def test_error_names_the_file_without_a_session(tmp_path, wav_bytes):
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF\x00\x00")
    with pytest.raises(RecordingFormatError, match=r"file '.*broken\.wav': not a WAV file"):
        read_wav_info(path)


def _patched(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    out[offset : offset + struct.calcsize(fmt)] = struct.pack(fmt, value)
    return bytes(out)


@pytest.mark.parametrize(
    ("patch", "fragment"),
    [
        ((0, "<I", 0x46464952 + 1), "not a RIFF/WAVE file"),
        ((8, "<I", 0x45564157 + 1), "not a RIFF/WAVE file"),
        ((20, "<H", 2), "unsupported audio format tag 2"),
        ((22, "<H", 3), "unsupported channel count 3"),
        ((22, "<H", 0), "unsupported channel count 0"),
        ((24, "<I", 96_000), "unsupported sample rate 96000 Hz"),
        ((24, "<I", 4_000), "unsupported sample rate 4000 Hz"),
        ((34, "<H", 12), "unsupported PCM sample size 12 bits"),
        ((32, "<H", 3), "block align 3, expected 2"),
        ((16, "<I", 8), "fmt chunk of 8 bytes is too short"),
        ((16, "<I", 10_000), "truncated: chunk 'fmt ' claims 10000 bytes"),
        ((36, "<I", 0x61746164 + 1), "no data chunk"),
        ((40, "<I", 3), "data chunk of 3 bytes is not whole 2-byte frames"),
    ],
)
def test_corrupt_headers(wav_bytes, patch, fragment):
    data = _patched(wav_bytes(np.zeros(100)), *patch)
    with pytest.raises(RecordingFormatError, match="session x: ") as caught:
        read_wav_info(data, session_id="x")
    assert fragment in str(caught.value)


def test_data_before_fmt_is_refused(wav_bytes):
    data = wav_bytes(np.zeros(4))
    swapped = data[:12] + data[36:] + data[12:36]
    with pytest.raises(RecordingFormatError, match="data chunk comes before the fmt chunk"):
        read_wav_info(swapped)


def test_unsupported_float_size(wav_bytes):
    data = _patched(_patched(wav_bytes(np.zeros(4), fmt="float"), 34, "<H", 16), 32, "<H", 2)
    with pytest.raises(RecordingFormatError, match="unsupported float sample size 16 bits"):
        read_wav_info(data)


def test_size_cap(wav_bytes, make_tone):
    data = wav_bytes(make_tone(1.0, 16_000))
    with pytest.raises(RecordingFormatError, match="exceeds the limit of 1000 bytes"):
        read_wav_info(data, max_bytes=1_000)


def test_many_tiny_chunks_are_not_scanned_forever():
    chunk = b"junk" + struct.pack("<I", 0)
    data = b"RIFF" + struct.pack("<I", 4 + 8 * 5000) + b"WAVE" + chunk * 5000
    with pytest.raises(RecordingFormatError, match="no data chunk within the first 1024 chunks"):
        read_wav_info(data)


def test_file_shrinking_while_read_is_reported(tmp_path, wav_bytes, make_tone):
    path = tmp_path / "a.wav"
    path.write_bytes(wav_bytes(make_tone(1.0, 16_000)))
    blocks = iter_wav_blocks(path, frames_per_block=1_000, session_id="s")
    next(blocks)
    with open(path, "r+b") as handle:
        handle.truncate(2_000)
    with pytest.raises(RecordingFormatError, match="session s: data ended early"):
        list(blocks)


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_wav_info(tmp_path / "nope.wav")


def test_bad_block_size():
    with pytest.raises(ValueError, match="frames_per_block"):
        next(iter_wav_blocks(b"", frames_per_block=0))
