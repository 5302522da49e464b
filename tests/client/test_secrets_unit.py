"""The API key and the candidate token stay out of errors, reprs and logs (MockTransport)."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import httpx
import pytest

from zenhire_nb.client import errors as e

TOKEN = "RAWCANDIDATETOKEN0123456789abcdef"
LINK = f"https://interview.zenhire.ai/#t={TOKEN}"


def _everything_about(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for link in (error, error.__cause__, error.__context__):
        request = getattr(link, "request", None)
        if isinstance(request, httpx.Request):
            parts += [repr(request), repr(request.headers), str(dict(request.headers))]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: httpx.Response(
            401, json={"error": {"code": "INVALID_API_KEY", "message": "bad"}}
        ),
        lambda r: httpx.Response(500, content=b"boom"),
    ],
)
def test_status_errors_hold_no_key(driver: Any, h: Any, handler: Any) -> None:
    d = driver(handler, max_retries=0)
    with pytest.raises(e.APIStatusError) as info:
        d.call("sessions.get", "ses-1")
    assert h.API_KEY not in _everything_about(info.value)
    assert info.value.request is not None and info.value.request.url.path.endswith("/ses-1")


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ReadTimeout])
def test_connection_errors_hold_no_key(driver: Any, h: Any, exc: type) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("down", request=request)

    d = driver(handler, max_retries=1)
    with pytest.raises(e.APIConnectionError) as info:
        d.call("sessions.create", "per-1", consent_mode="explicit")
    assert h.API_KEY not in _everything_about(info.value)


def test_debug_logs_hold_no_key_nor_token(
    driver: Any, h: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return h.respond(201, {"id": "ses-1", "candidate_link": LINK, "expires_in": 604800})
        if request.url.path.endswith("/ses-1") and len(d.requests) < 3:
            return h.respond(503, h.error_body("SERVICE_UNAVAILABLE", retryAfterSeconds=0))
        return h.respond(200, h.session_json("ses-1", "completed"))

    d = driver(handler)
    with caplog.at_level(logging.DEBUG):
        created = d.call("sessions.create", "per-1", consent_mode="explicit")
        logging.getLogger("test").debug("created %r", created)
        d.call("sessions.wait", "ses-1", poll_interval=0.1)
    text = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert "retrying GET" in text  # the flow did log
    assert h.API_KEY not in text and TOKEN not in text
