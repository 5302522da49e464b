"""sessions.recording: bytes or an atomic file; failures leave nothing behind."""

from __future__ import annotations

import io
import wave
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from zenhire_nb.client import APIConnectionError, ArtifactNotReadyError, IncompleteDownloadError


def _wav(n_frames: int) -> bytes:
    """A real 16 kHz mono 16-bit WAV: the client checks a download's header before saving."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(bytes(range(256)) * (n_frames // 128))
    return buffer.getvalue()


WAV = _wav(8192)


class DroppingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Yields part of the body, then fails like a reset connection."""

    def __init__(self, request: httpx.Request, first: bytes) -> None:
        self.request = request
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise httpx.ReadError("connection reset by peer", request=self.request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx.ReadError("connection reset by peer", request=self.request)


def wav_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=WAV, headers={"content-type": "audio/wav"})


def short_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=WAV[:100], headers={"content-length": str(len(WAV))})


def dropping_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, stream=DroppingStream(request, WAV[:100]), headers={"content-length": str(len(WAV))}
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_bytes_when_no_path(driver: Any) -> None:
    d = driver(wav_response)
    assert d.call("sessions.recording", "ses-1") == WAV
    assert d.requests[0].url.path == "/api/v1/interview/sessions/ses-1/recording"


def test_streams_to_path(driver: Any, tmp_path: Path) -> None:
    d = driver(wav_response)
    target = tmp_path / "interview.wav"
    result = d.call("sessions.recording", "ses-1", path=str(target))
    assert result == target and target.read_bytes() == WAV
    assert leftovers(tmp_path) == ["interview.wav"]


def test_uses_the_longer_read_timeout(driver: Any) -> None:
    d = driver(wav_response, timeout=5, recording_timeout=900)
    d.call("sessions.recording", "ses-1")
    assert d.requests[0].extensions["timeout"]["read"] == 900
    assert d.requests[0].extensions["timeout"]["connect"] == 5


@pytest.mark.parametrize("handler", [short_response, dropping_response], ids=["short", "reset"])
def test_failed_download_leaves_no_file(driver: Any, tmp_path: Path, handler: Any) -> None:
    d = driver(handler, max_retries=0)
    target = tmp_path / "interview.wav"
    with pytest.raises(APIConnectionError):
        d.call("sessions.recording", "ses-1", path=target)
    assert leftovers(tmp_path) == []


def test_short_body_error_says_so(driver: Any) -> None:
    d = driver(short_response, max_retries=0)
    with pytest.raises(IncompleteDownloadError, match=f"100 of {len(WAV)} bytes"):
        d.call("sessions.recording", "ses-1")


def test_failed_download_keeps_existing_file(driver: Any, tmp_path: Path) -> None:
    target = tmp_path / "interview.wav"
    target.write_bytes(b"previous")
    d = driver(dropping_response, max_retries=0)
    with pytest.raises(APIConnectionError):
        d.call("sessions.recording", "ses-1", path=target)
    assert target.read_bytes() == b"previous" and leftovers(tmp_path) == ["interview.wav"]


def test_download_retried_after_a_drop(driver: Any, tmp_path: Path) -> None:
    calls = iter([dropping_response, short_response, wav_response])
    d = driver(lambda r: next(calls)(r), max_retries=2)
    target = tmp_path / "interview.wav"
    d.call("sessions.recording", "ses-1", path=target)
    assert target.read_bytes() == WAV and leftovers(tmp_path) == ["interview.wav"]


def test_not_ready_writes_nothing(driver: Any, h: Any, tmp_path: Path) -> None:
    body = h.error_body("ARTIFACT_NOT_READY", details={"status": "initiated"})
    d = driver(lambda r: h.respond(409, body))
    with pytest.raises(ArtifactNotReadyError):
        d.call("sessions.recording", "ses-1", path=tmp_path / "a.wav")
    assert leftovers(tmp_path) == []
