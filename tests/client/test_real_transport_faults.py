"""Transport faults provoked for real over 127.0.0.1 with a tiny socket server, so the real
httpx/h11 stack produces them (not a mock): a body cut short, a server that never answers a
POST, a connection reset, and a port that refuses connections."""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zenhire_nb.client import AsyncClient, Client, RetryPolicy
from zenhire_nb.client import errors as e

Behaviour = Callable[[socket.socket, threading.Event], None]


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
            while len(body) < length:
                body += conn.recv(65536)
    return data


def truncate(conn: socket.socket, stop: threading.Event) -> None:
    _read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: 1000\r\n\r\n"
        + b"RIFF\xdc\x03\x00\x00WAVE"
        + b"\x00" * 88
    )


def hang(conn: socket.socket, stop: threading.Event) -> None:
    _read_request(conn)
    stop.wait(5)


def reset(conn: socket.socket, stop: threading.Event) -> None:
    _read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class RawServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.origin = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                self.behaviour(conn, self.stop)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], RawServer]]:
    servers: list[RawServer] = []

    def start(behaviour: Behaviour) -> RawServer:
        servers.append(RawServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def run(kind: str, origin: str, method: str, *args: Any, **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "api_key": "zh_api_raw",
        "base_url": origin,
        "timeout": 0.5,
        "recording_timeout": 0.5,
        "max_retries": 0,
        "retry_policy": RetryPolicy(random=lambda: 0.0, initial_delay=0.01),
    }
    resource, name = method.split(".")
    if kind == "sync":
        with Client(**options) as client:
            return getattr(getattr(client, resource), name)(*args, **kwargs)

    async def go() -> Any:
        async with AsyncClient(**options) as client:
            return await getattr(getattr(client, resource), name)(*args, **kwargs)

    return asyncio.run(go())


def test_body_cut_short_leaves_no_file(kind: str, serve: Any, tmp_path: Path) -> None:
    server = serve(truncate)
    with pytest.raises(e.APIConnectionError):
        run(kind, server.origin, "sessions.recording", "ses-1", path=tmp_path / "r.wav")
    assert list(tmp_path.iterdir()) == []


def test_post_session_without_answer_is_ambiguous(kind: str, serve: Any) -> None:
    server = serve(hang)
    with pytest.raises(e.AmbiguousSessionCreateError, match="candidate_ref='ats-5'") as info:
        run(
            kind,
            server.origin,
            "sessions.create",
            "per-1",
            consent_mode="explicit",
            candidate_ref="ats-5",
            max_retries=3,
        )
    assert isinstance(info.value.__cause__, e.APITimeoutError)
    assert server.connections == 1  # sent once, never again


def test_post_session_reset_is_ambiguous(kind: str, serve: Any) -> None:
    server = serve(reset)
    with pytest.raises(e.AmbiguousSessionCreateError):
        run(
            kind,
            server.origin,
            "sessions.create",
            "per-1",
            consent_mode="integrator",
            max_retries=3,
        )
    assert server.connections == 1


def test_get_after_reset_is_retried(kind: str, serve: Any) -> None:
    server = serve(reset)
    with pytest.raises(e.APIConnectionError):
        run(kind, server.origin, "sessions.get", "ses-1", max_retries=2)
    assert server.connections == 3


def test_refused_connection_is_marked_not_sent(kind: str) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    origin = f"http://127.0.0.1:{probe.getsockname()[1]}"
    probe.close()
    with pytest.raises(e.APIConnectionError) as info:
        run(kind, origin, "sessions.create", "per-1", consent_mode="explicit")
    assert not isinstance(info.value, e.AmbiguousRequestError)
    assert info.value.request_sent is False
