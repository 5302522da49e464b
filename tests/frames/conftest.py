"""Fixtures for the frames tests: WAV files written with numpy, sample transcripts and sessions."""

from __future__ import annotations

import struct
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pytest

from zenhire_nb.contract import SessionSummary

WavWriter = Callable[..., bytes]


def encode_samples(samples: np.ndarray, bits: int, fmt: str) -> bytes:
    """Float samples in [-1, 1] of shape (frames, channels) as little-endian WAV data."""
    clipped = np.clip(samples, -1.0, 1.0)
    if fmt == "float":
        return clipped.astype("<f4" if bits == 32 else "<f8").tobytes()
    if bits == 8:
        return np.round(clipped * 127 + 128).astype(np.uint8).tobytes()
    scale = 2 ** (bits - 1) - 1
    ints = np.round(clipped * scale).astype(np.int64)
    if bits == 24:
        raw = ints.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3]
        return raw.tobytes()
    return ints.astype({16: "<i2", 32: "<i4"}[bits]).tobytes()


def build_wav(
    samples: np.ndarray,
    rate: int = 16_000,
    *,
    bits: int = 16,
    fmt: str = "pcm",
    extensible: bool = False,
    extra_chunks: bytes = b"",
) -> bytes:
    """A complete RIFF/WAVE file holding ``samples`` (1-D mono or 2-D frames x channels)."""
    frames = samples if samples.ndim == 2 else samples[:, None]
    channels = frames.shape[1]
    data = encode_samples(frames, bits, fmt)
    tag = 3 if fmt == "float" else 1
    align = channels * bits // 8
    if extensible:
        sub = struct.pack("<H", tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        body = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * align, align, bits)
        body += struct.pack("<HHI", 22, bits, 0) + sub
    else:
        body = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    fmt_chunk = b"fmt " + struct.pack("<I", len(body)) + body
    payload = b"WAVE" + fmt_chunk + extra_chunks + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def tone(seconds: float, rate: int, *, level: float = 0.5, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return level * np.sin(2 * np.pi * hz * t)


@pytest.fixture
def wav_bytes() -> WavWriter:
    return build_wav


@pytest.fixture
def make_tone() -> Callable[..., np.ndarray]:
    return tone


def _turn(speaker: str, text: str, start: float, end: float) -> dict[str, Any]:
    return {"speaker": speaker, "text": text, "start": start, "end": end}


@pytest.fixture
def sandbox_transcript() -> list[dict[str, Any]]:
    """The sandbox's shape: a top-level array of turns, seconds."""
    return [
        _turn("interviewer", "Hello, welcome.", 0.0, 1.5),
        _turn("interviewer", "Tell me about a project you led.", 1.6, 4.0),
        _turn("candidate", "I led a data pipeline rewrite", 4.8, 7.0),
        _turn("candidate", "for our billing team.", 7.4, 9.0),
        _turn("interviewer", "What went wrong?", 9.5, 10.5),
        _turn("candidate", "The first migration lost rows.", 11.0, 13.0),
        _turn("interviewer", "Thank you, that is all.", 13.5, 15.0),
    ]


def make_summary(session_id: str, **overrides: Any) -> SessionSummary:
    fields: dict[str, Any] = {
        "id": session_id,
        "client_id": "c-1",
        "persona_id": "p-1",
        "candidate_ref": f"ats-{session_id}",
        "status": "completed",
        "consent_mode": "integrator",
        "created_at": datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc),
        "started_at": "2026-01-05T09:31:00.000Z",
        "completed_at": "2026-01-05T09:43:22.000Z",
        "duration_sec": 742,
        "credit_charged": 65,
        "role_name": "Data engineer",
        "language": "en",
        "tags": ["berlin", "senior"],
        "metadata": {"team": "billing", "level": 3},
    }
    fields.update(overrides)
    return SessionSummary.model_validate(fields)


@pytest.fixture
def summary_factory() -> Callable[..., SessionSummary]:
    return make_summary
