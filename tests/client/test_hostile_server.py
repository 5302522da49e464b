"""The client against a misbehaving server on 127.0.0.1 (real sockets, the real httpx/h11 stack):
bodies trickled byte by byte, redirects, compression bombs, huge or fake recordings, endless
paging. Each test fails on a client that trusts the server."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import itertools
import json
import socket
import threading
import time
import tracemalloc
import wave
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from zenhire_nb.client import (
    APITimeoutError,
    AsyncClient,
    Client,
    InvalidRecordingError,
    ResponseTooLargeError,
    ResponseValidationError,
    RetryPolicy,
    UnexpectedRedirectError,
)

Handler = Callable[[str, socket.socket], None]
KEY = "zh_api_hostile_test_key"


class HostileServer:
    """Answers each connection's one request with ``handler(path, conn)``, one thread each."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.origin = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            self.requests.append(head)
            path = head.split(b" ", 2)[1].decode()
            # OSError: the client hung up, which is what most of these tests want.
            with contextlib.suppress(OSError):
                self.handler(path, conn)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], HostileServer]]:
    servers: list[HostileServer] = []

    def start(handler: Handler) -> HostileServer:
        servers.append(HostileServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def head(status: str = "200 OK", **headers: str | int) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def trickle(data: bytes, interval: float) -> Handler:
    """Headers at once (with the full Content-Length), then one byte every ``interval`` s."""

    def handler(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="application/octet-stream", Content_Length=len(data)))
        for byte in data:
            conn.sendall(bytes([byte]))
            time.sleep(interval)

    return handler


def wav(n_frames: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\x01\x00" * n_frames)
    return buffer.getvalue()


def run(kind: str, origin: str, method: str, *args: Any, client_kw: Any = None, **kw: Any) -> Any:
    """Call ``method`` (e.g. ``"sessions.transcript"``) through a sync or async client."""
    options: dict[str, Any] = {
        "api_key": KEY,
        "base_url": origin,
        "timeout": 5.0,  # generous on a busy machine; the deadline tests pass their own
        "max_retries": 0,
        "retry_policy": RetryPolicy(random=lambda: 0.0, initial_delay=0.01),
        **(client_kw or {}),
    }
    resource, name = method.split(".")
    collect = (lambda rows: list(itertools.islice(rows, 1000))) if name == "list" else None
    if kind == "sync":
        with Client(**options) as client:
            result = getattr(getattr(client, resource), name)(*args, **kw)
            return collect(result) if collect else result

    async def go() -> Any:
        async with AsyncClient(**options) as client:
            target = getattr(getattr(client, resource), name)
            if collect:
                rows = []
                async for row in target(*args, **kw):
                    rows.append(row)
                    if len(rows) >= 1000:
                        break
                return rows
            return await target(*args, **kw)

    return asyncio.run(go())


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- 4. an overall deadline per attempt ------------------------------------------------------

# 0.5 s: the trickling servers below would take 10 s or more (and never pause 0.5 s).
FAST = {"timeout": 0.5, "recording_timeout": 0.5}


def test_trickled_json_hits_the_deadline(kind: str, serve: Any) -> None:
    # 400 bytes at 20 per second: 20 s, and never 0.5 s without a byte (the read timeout).
    server = serve(trickle(json.dumps([{"text": "x" * 380}]).encode(), 0.05))
    with pytest.raises(APITimeoutError, match="deadline of 0.5 s") as info:
        run(kind, server.origin, "sessions.transcript", "ses-1", client_kw=FAST)
    assert "transcript of session 'ses-1'" in str(info.value)


def test_trickled_recording_hits_the_deadline_and_leaves_no_file(
    kind: str, serve: Any, tmp_path: Path
) -> None:
    server = serve(trickle(wav(200), 0.05))
    with pytest.raises(APITimeoutError, match="deadline"):
        run(
            kind,
            server.origin,
            "sessions.recording",
            "ses-1",
            path=tmp_path / "r.wav",
            client_kw=FAST,
        )
    assert files(tmp_path) == []  # no .part file either


def test_recording_deadline_scales_with_its_size(kind: str, serve: Any, tmp_path: Path) -> None:
    """60 KB at about 64 KB/s takes longer than ``timeout`` but keeps the minimum rate."""
    data = wav(30_000)

    def steady(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="audio/wav", Content_Length=len(data)))
        for start in range(0, len(data), 8_000):
            conn.sendall(data[start : start + 8_000])
            time.sleep(0.12)

    server = serve(steady)
    target = tmp_path / "r.wav"
    options = {"min_download_rate": 16_000, "timeout": 0.3}
    assert run(kind, server.origin, "sessions.recording", "s", path=target, client_kw=options)
    assert target.read_bytes() == data


def test_async_client_cuts_a_server_that_trickles_its_headers(serve: Any) -> None:
    """Only the async client can interrupt a blocking read (see zenhire_nb/client/_deadline)."""

    def slow_headers(path: str, conn: socket.socket) -> None:
        for byte in head(Content_Length=2) + b"[]":
            conn.sendall(bytes([byte]))
            time.sleep(0.05)

    server = serve(slow_headers)
    with pytest.raises(APITimeoutError, match="deadline"):
        run("async", server.origin, "sessions.transcript", "ses-1", client_kw=FAST)


# -- 5. redirects are errors, never followed -------------------------------------------------


def redirect(status: str, location: str, body: bytes) -> Handler:
    def handler(path: str, conn: socket.socket) -> None:
        conn.sendall(head(status, Location=location, Content_Length=len(body)) + body)

    return handler


@pytest.mark.parametrize("status", ["302 Found", "301 Moved Permanently", "307 Temporary"])
def test_redirected_recording_is_an_error_and_saves_nothing(
    kind: str, serve: Any, tmp_path: Path, status: str
) -> None:
    body = b"" if status.startswith("301") else b'{"moved": "here"}'  # 0 or 17 bytes
    server = serve(redirect(status, "http://elsewhere.example:8080/x?sig=secret", body))
    with pytest.raises(UnexpectedRedirectError, match="host 'elsewhere.example'") as info:
        run(kind, server.origin, "sessions.recording", "ses-1", path=tmp_path / "r.wav")
    assert info.value.status == int(status[:3])
    assert info.value.location_host == "elsewhere.example"
    assert "secret" not in str(info.value)  # the Location's query may be a signature
    assert files(tmp_path) == []


def test_redirected_json_is_an_error(kind: str, serve: Any) -> None:
    server = serve(redirect("302 Found", "/login", b'{"data": []}'))
    with pytest.raises(UnexpectedRedirectError, match="host '127.0.0.1'"):
        run(kind, server.origin, "sessions.transcript", "ses-1")


def test_redirect_is_not_followed_even_by_a_following_http_client(kind: str, serve: Any) -> None:
    elsewhere = serve(lambda path, conn: conn.sendall(head(Content_Length=2) + b"[]"))
    server = serve(redirect("302 Found", f"{elsewhere.origin}/steal", b""))
    http: Any = (httpx.Client if kind == "sync" else httpx.AsyncClient)(follow_redirects=True)
    with pytest.raises(UnexpectedRedirectError):
        run(kind, server.origin, "sessions.transcript", "s", client_kw={"http_client": http})
    assert elsewhere.requests == []  # the key never went there


# -- 6. bounded sizes: compression bombs, huge transcripts, fake recordings -----------------


def gzip_bomb(decoded_mib: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * 1024**2
    return b"".join(packer.compress(block) for _ in range(decoded_mib)) + packer.flush()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(200)  # about 200 KB on the wire, 200 MiB decoded


def peak_mib(action: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1024**2


def test_gzip_bomb_stops_at_the_limit(kind: str, serve: Any, bomb: bytes) -> None:
    def handler(path: str, conn: socket.socket) -> None:
        headers = head(Content_Type="application/json", Content_Encoding="gzip")
        conn.sendall(headers[:-2] + f"Content-Length: {len(bomb)}\r\n\r\n".encode() + bomb)

    server = serve(handler)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            run(kind, server.origin, "sessions.transcript", "ses-1")
        except ResponseTooLargeError as error:
            errors.append(error)

    peak = peak_mib(call)
    assert errors and errors[0].limit == 16 * 1024**2
    assert "after decoding" in str(errors[0])
    assert peak < 64, f"peak {peak:.0f} MiB while refusing a 200 MiB bomb"


def test_huge_transcript_is_refused_with_bounded_memory(kind: str, serve: Any) -> None:
    """A million turns (about 50 MB, no Content-Length) against a 4 MiB limit."""
    turn = b'{"speaker":"candidate","text":"word","start":1.0,"end":2.0},'

    def handler(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="application/json") + b"[")
        block = turn * 10_000
        for _ in range(100):
            conn.sendall(block)
        conn.sendall(b"{}]")

    server = serve(handler)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            limit = {"max_response_bytes": 4 * 1024**2, "timeout": 10}
            run(kind, server.origin, "sessions.transcript", "s", client_kw=limit)
        except ResponseTooLargeError as error:
            errors.append(error)

    peak = peak_mib(call)
    assert errors and "4194304 bytes" in str(errors[0])
    assert peak < 32, f"peak {peak:.0f} MiB"


def test_announced_size_over_the_limit_is_refused_before_reading(
    kind: str, serve: Any, tmp_path: Path
) -> None:
    server = serve(lambda path, conn: conn.sendall(head(Content_Length=10**10) + b"RIFF"))
    with pytest.raises(ResponseTooLargeError, match="announces 10000000000 bytes"):
        run(kind, server.origin, "sessions.recording", "s", path=tmp_path / "r.wav")
    assert files(tmp_path) == []


def test_recording_of_spaces_is_refused_at_once(kind: str, serve: Any, tmp_path: Path) -> None:
    sent: list[int] = []

    def spaces(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="audio/wav", Content_Length=300 * 1024**2))
        block = b" " * 1024**2
        for index in range(300):
            conn.sendall(block)
            sent.append(index)

    server = serve(spaces)
    with pytest.raises(InvalidRecordingError, match="not a RIFF/WAVE file") as info:
        run(kind, server.origin, "sessions.recording", "ses-9", path=tmp_path / "r.wav")
    assert info.value.session_id == "ses-9"
    assert files(tmp_path) == []
    time.sleep(0.2)
    assert len(sent) < 100  # the client hung up long before 300 MB


@pytest.mark.parametrize(
    "body, reason",
    [
        (wav(1000)[:244], "truncated"),  # data chunk claims more than is there
        (b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", "no"),  # no fmt/data chunk
    ],
    ids=["short-data", "no-chunks"],
)
def test_recording_with_a_broken_header_is_not_saved(
    kind: str, serve: Any, tmp_path: Path, body: bytes, reason: str
) -> None:
    server = serve(lambda path, conn: conn.sendall(head(Content_Length=len(body)) + body))
    with pytest.raises(InvalidRecordingError, match=reason):
        run(kind, server.origin, "sessions.recording", "s", path=tmp_path / "r.wav")
    with pytest.raises(InvalidRecordingError):
        run(kind, server.origin, "sessions.recording", "s")  # as bytes too
    assert files(tmp_path) == []


def test_recording_over_its_limit(kind: str, serve: Any, tmp_path: Path) -> None:
    data = gzip.compress(wav(200_000))  # 400 KB of WAV, a few KB compressed

    def handler(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Encoding="gzip", Content_Length=len(data)) + data)

    server = serve(handler)
    limit = {"max_recording_bytes": 100_000}
    with pytest.raises(ResponseTooLargeError, match="100000 bytes"):
        run(
            kind, server.origin, "sessions.recording", "s", path=tmp_path / "r.wav", client_kw=limit
        )
    assert files(tmp_path) == []
    # The same compressed body within the limit is decoded and saved whole.
    run(kind, server.origin, "sessions.recording", "s", path=tmp_path / "r.wav")
    assert (tmp_path / "r.wav").read_bytes() == wav(200_000)


# -- 7. paging that never ends ---------------------------------------------------------------


def row(index: int) -> dict[str, object]:
    return {
        "id": f"ses-{index}",
        "client_id": "cli-1",
        "persona_id": "per-1",
        "status": "completed",
        "consent_mode": "explicit",
        "created_at": "2026-01-01T00:00:00.000Z",
    }


def pages(next_cursor: Callable[[str | None], str]) -> Handler:
    counter = itertools.count()

    def handler(path: str, conn: socket.socket) -> None:
        cursor = path.partition("cursor=")[2].partition("&")[0] or None
        body = json.dumps(
            {
                "data": [row(next(counter))],
                "pagination": {"limit": 1, "next_cursor": next_cursor(cursor), "has_more": True},
            }
        ).encode()
        conn.sendall(head(Content_Type="application/json", Content_Length=len(body)) + body)

    return handler


def test_alternating_cursors_are_a_cycle(kind: str, serve: Any) -> None:
    server = serve(pages(lambda cursor: "B" if cursor == "A" else "A"))
    with pytest.raises(ResponseValidationError, match="cycle"):
        run(kind, server.origin, "sessions.list")
    assert len(server.requests) == 3  # None -> A -> B -> A: stopped at the first repeat


def test_endless_fresh_cursors_stop_at_max_pages(kind: str, serve: Any) -> None:
    fresh = itertools.count()
    server = serve(pages(lambda cursor: f"c{next(fresh)}"))
    with pytest.raises(ResponseValidationError, match="max_pages=5"):
        run(kind, server.origin, "sessions.list", max_pages=5)
    assert len(server.requests) == 5


@pytest.mark.parametrize(
    "encoding, pack",
    [
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data, wbits=-15)),  # raw, as some servers send
        ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
        ("identity", lambda data: data),
    ],
    ids=["deflate", "raw-deflate", "gzip-twice", "identity"],
)
def test_encodings_asked_for_are_decoded(kind: str, serve: Any, encoding: str, pack: Any) -> None:
    document = [{"speaker": "candidate", "text": "hello " * 2000}]
    data = pack(json.dumps(document).encode())

    def handler(path: str, conn: socket.socket) -> None:
        conn.sendall(head(Content_Encoding=encoding, Content_Length=len(data)) + data)

    server = serve(handler)
    assert run(kind, server.origin, "sessions.transcript", "s") == document
    assert b"accept-encoding: gzip, deflate" in server.requests[0].lower()


def test_an_encoding_not_asked_for_is_refused(kind: str, serve: Any) -> None:
    server = serve(lambda path, conn: conn.sendall(head(Content_Encoding="br") + b"\x0b\x01\x80"))
    with pytest.raises(ResponseValidationError, match="cannot safely decode br"):
        run(kind, server.origin, "sessions.transcript", "s")
