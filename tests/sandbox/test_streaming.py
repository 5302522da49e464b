"""A long recording (~100 MB, about 55 minutes at 16 kHz) is staged, stored and served in
chunks: the process's memory does not grow with the file."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.testing import API_PREFIX as API

SIZE = 100 * 1024 * 1024
CHUNK = 1024 * 1024


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _wav_stream(data_bytes: int) -> Iterator[bytes]:
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 16_000, 32_000, 2, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )
    yield header
    block = b"\x10\x00" * (CHUNK // 2)
    for start in range(0, data_bytes, CHUNK):
        yield block[: min(CHUNK, data_bytes - start)]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_hundred_megabyte_recording_streams(zenhire_sandbox: Sandbox, http, make_session) -> None:
    session_id = make_session()["id"]
    zenhire_sandbox.admin.start(session_id)
    # Earlier tests of this process may have peaked higher than its RSS now: reset the peak
    # (writing 5 to clear_refs resets VmHWM) so it measures this test only.
    Path("/proc/self/clear_refs").write_text("5")
    rss_before = _kib("VmRSS")
    assert _kib("VmHWM") - rss_before < 4 * 1024, "the peak memory mark was not reset"
    staged = zenhire_sandbox.admin.stage_recording(session_id, _wav_stream(SIZE - 44))
    assert staged == SIZE
    zenhire_sandbox.admin.complete(session_id, duration_sec=3277)
    received = 0
    with http.stream("GET", f"{API}/sessions/{session_id}/recording") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/wav"
        assert response.headers["content-length"] == str(SIZE)
        for chunk in response.iter_bytes():
            received += len(chunk)
    assert received == SIZE
    # Server and test share this process: its peak memory must stay far below the file size.
    growth_mib = (_kib("VmHWM") - rss_before) / 1024
    assert growth_mib < 40, f"memory grew by {growth_mib:.0f} MiB for a 100 MiB recording"
