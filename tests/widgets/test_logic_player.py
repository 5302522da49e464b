"""The player's preview of a long recording: the first seconds as a WAV of their own."""

from __future__ import annotations

import struct
import wave

import numpy as np
import pytest

from zenhire_nb.frames import RecordingFormatError, read_wav_info
from zenhire_nb.widgets.logic.player import wav_preview


def write_wav(path, seconds, *, rate=16_000, channels=1):
    samples = (np.arange(int(seconds * rate) * channels) % 2000 - 1000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return samples


def test_the_first_seconds_sample_for_sample(tmp_path):
    samples = write_wav(tmp_path / "long.wav", 200, channels=2)
    data, seconds = wav_preview(tmp_path / "long.wav", 60)
    assert seconds == pytest.approx(60.0)
    (tmp_path / "preview.wav").write_bytes(data)
    info = read_wav_info(tmp_path / "preview.wav")
    assert (info.sample_rate, info.channels, info.bits, info.format) == (16_000, 2, 16, "pcm")
    assert info.duration_sec == pytest.approx(60.0)
    assert np.array_equal(np.frombuffer(data[44:], "<i2"), samples[: 60 * 16_000 * 2])


def test_no_preview_for_a_short_recording(tmp_path):
    write_wav(tmp_path / "short.wav", 80)
    assert wav_preview(tmp_path / "short.wav", 60) is None


def test_a_lying_header_is_refused_by_name(tmp_path):
    path = tmp_path / "liar.wav"
    write_wav(path, 5)
    raw = bytearray(path.read_bytes())
    raw[40:44] = struct.pack("<I", 10**9)  # the data chunk claims a gigabyte
    path.write_bytes(bytes(raw))
    with pytest.raises(RecordingFormatError, match="liar.wav"):
        wav_preview(path, 1)
