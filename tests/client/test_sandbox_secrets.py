"""No API key and no raw candidate token in any log line of a whole flow at DEBUG.

Captures the root logger, httpx, httpcore, uvicorn (which does not propagate to the root) and
our own loggers, and runs the quickstart, a retried call and some errors.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from zenhire_nb.client import Client
from zenhire_nb.client import errors as e
from zenhire_nb.sandbox import Sandbox

LOGGERS = [
    "",
    "httpx",
    "httpcore",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "zenhire_nb",
    "zenhire_nb.client",
    "zenhire_nb.sandbox",
    "fastapi",
]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        self.lines.append(repr(record.args))
        if record.exc_info:
            self.lines.append("".join(traceback.format_exception(*record.exc_info)))


@pytest.fixture
def captured() -> Iterator[Collect]:
    handler = Collect()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger, level in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)


def test_no_key_and_no_token_in_debug_logs(captured: Collect, tmp_path: Path) -> None:
    with Sandbox(credits=1_000) as sb:
        key = sb.api_key
        with Client(api_key=key, base_url=sb.base_url) as client:
            assert key not in repr(client) and key not in str(client)
            persona = client.personas.create(role_name="Secrets", language="en")
            created = client.sessions.create(
                persona.id, consent_mode="explicit", candidate_ref="s-1"
            )
            token = created.candidate_link.split("#t=", 1)[1]
            assert len(token) >= 16
            assert token not in repr(created)
            logging.getLogger("zenhire_nb.test").debug("created %r", created)
            sb.admin.candidate_start(token, consent=True)
            sb.admin.complete(created.id, duration_sec=61)
            client.sessions.wait(created.id, timeout=30, poll_interval=0.05)
            client.sessions.recording(created.id, path=tmp_path / "r.wav")
            client.sessions.transcript(created.id)
            list(client.sessions.list(candidate_ref="s-1"))
            with pytest.raises(e.NotFoundError) as info:
                client.sessions.get("00000000-0000-4000-8000-000000000000")
            error_text = "".join(traceback.format_exception(info.value))
            error_text += repr(info.value.request) + repr(info.value.request.headers)
            logging.getLogger("zenhire_nb.test").exception("expected", exc_info=info.value)
        with (
            Client(api_key="zh_api_wrong_key_for_logs", base_url=sb.base_url, max_retries=0) as bad,
            pytest.raises(e.InvalidApiKeyError),
        ):
            bad.credits()

    text = "\n".join(captured.lines)
    assert "HTTP Request" in text  # httpx did log at INFO, so the capture works
    assert any("send_request_headers" in line for line in captured.lines)  # httpcore DEBUG
    for secret in (key, token, "zh_api_wrong_key_for_logs"):
        assert secret not in text
        assert secret not in error_text
