"""Error mapping: one class per error.code, fallback by HTTP status, non-JSON bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from zenhire_nb.client import errors as e

CODES = [
    ("MISSING_API_KEY", 401, e.MissingApiKeyError, e.AuthenticationError),
    ("INVALID_API_KEY", 401, e.InvalidApiKeyError, e.AuthenticationError),
    ("API_KEY_EXPIRED", 401, e.ApiKeyExpiredError, e.AuthenticationError),
    ("CLIENT_INACTIVE", 401, e.ClientInactiveError, e.AuthenticationError),
    ("MISSING_PERMISSION", 403, e.MissingPermissionError, e.PermissionDeniedError),
    ("IP_NOT_ALLOWED", 403, e.IpNotAllowedError, e.PermissionDeniedError),
    ("INSUFFICIENT_CREDITS", 402, e.InsufficientCreditsError, e.APIStatusError),
    ("RATE_LIMIT_EXCEEDED", 429, e.RateLimitError, e.APIStatusError),
    ("INVALID_INPUT", 400, e.InvalidInputError, e.BadRequestError),
    ("ARTIFACT_NOT_READY", 409, e.ArtifactNotReadyError, e.ConflictError),
    ("NOT_FOUND", 404, e.NotFoundError, e.APIStatusError),
    ("INTERNAL_ERROR", 500, e.InternalServerError, e.APIStatusError),
    ("SERVICE_UNAVAILABLE", 503, e.ServiceUnavailableError, e.InternalServerError),
]


@pytest.mark.parametrize(("code", "status", "cls", "parent"), CODES)
def test_each_code_maps_to_its_class(
    driver: Any, h: Any, code: str, status: int, cls: type, parent: type
) -> None:
    d = driver(
        lambda r: h.respond(status, h.error_body(code, "Went wrong", "req_abc", details={"k": 1})),
        max_retries=0,
    )
    with pytest.raises(cls) as info:
        d.call("sessions.get", "ses-1")
    err = info.value
    assert isinstance(err, parent) and isinstance(err, e.ZenHireError)
    assert (err.status, err.code, err.message, err.request_id) == (
        status,
        code,
        "Went wrong",
        "req_abc",
    )
    assert err.details == {"k": 1}
    assert "req_abc" in str(err) and code in str(err)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.BadRequestError),
        (401, e.AuthenticationError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (409, e.ConflictError),
        (418, e.APIStatusError),
        (429, e.RateLimitError),
        (502, e.InternalServerError),
        (503, e.ServiceUnavailableError),
    ],
)
def test_unknown_code_falls_back_on_status(driver: Any, h: Any, status: int, cls: type) -> None:
    d = driver(lambda r: h.respond(status, h.error_body("SOMETHING_NEW")), max_retries=0)
    with pytest.raises(cls) as info:
        d.call("sessions.get", "ses-1")
    assert type(info.value) is cls
    assert info.value.code == "SOMETHING_NEW"


def test_non_json_error_body(driver: Any) -> None:
    html = b"<html><body>502 Bad Gateway</body></html>"
    d = driver(
        lambda r: httpx.Response(502, content=html, headers={"content-type": "text/html"}),
        max_retries=0,
    )
    with pytest.raises(e.InternalServerError) as info:
        d.call("sessions.get", "ses-1")
    err = info.value
    assert err.status == 502 and err.code is None and err.request_id is None
    assert "502" in str(err) and "Bad Gateway" in str(err) and "request_id=none" in str(err)


def test_empty_error_body(driver: Any) -> None:
    d = driver(lambda r: httpx.Response(404), max_retries=0)
    with pytest.raises(e.NotFoundError, match="session 'ses-1'"):
        d.call("sessions.get", "ses-1")


def test_middleware_rejection_without_request_id(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(401, h.error_body("INVALID_API_KEY", request_id=None)))
    with pytest.raises(e.InvalidApiKeyError) as info:
        d.call("credits")
    assert info.value.request_id is None and "request_id=none" in str(info.value)


def test_invalid_input_fields(driver: Any, h: Any) -> None:
    body = h.error_body("INVALID_INPUT", details={"fields": {"role_name": "required"}})
    d = driver(lambda r: h.respond(400, body))
    with pytest.raises(e.InvalidInputError) as info:
        d.call("personas.create", role_name="", language="en")
    assert info.value.fields == {"role_name": "required"}


def test_artifact_not_ready_names_status(driver: Any, h: Any) -> None:
    body = h.error_body("ARTIFACT_NOT_READY", details={"status": "active"})
    d = driver(lambda r: h.respond(409, body))
    with pytest.raises(e.ArtifactNotReadyError) as info:
        d.call("sessions.transcript", "ses-1")
    assert info.value.session_status == "active"


def test_rate_limit_retry_after_from_body_or_header(driver: Any, h: Any) -> None:
    d = driver(
        lambda r: h.respond(429, h.error_body("RATE_LIMIT_EXCEEDED", retryAfterSeconds=7)),
        max_retries=0,
    )
    with pytest.raises(e.RateLimitError) as info:
        d.call("credits")
    assert info.value.retry_after == 7
    d = driver(
        lambda r: h.respond(429, h.error_body("RATE_LIMIT_EXCEEDED"), {"Retry-After": "3"}),
        max_retries=0,
    )
    with pytest.raises(e.RateLimitError) as info:
        d.call("credits")
    assert info.value.retry_after == 3


def test_success_body_that_is_not_json(driver: Any) -> None:
    d = driver(
        lambda r: httpx.Response(200, content=b"oops", headers={"content-type": "text/plain"})
    )
    with pytest.raises(
        e.ResponseValidationError, match="transcript of session 'ses-1'.*text/plain"
    ):
        d.call("sessions.transcript", "ses-1")


def test_success_body_of_wrong_shape(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"id": "ses-1"}))
    with pytest.raises(e.ResponseValidationError, match="session 'ses-1'"):
        d.call("sessions.get", "ses-1")


def test_status_error_names_the_request(driver: Any, h: Any) -> None:
    # The platform's message is free text; a loop over many sessions needs to know which one.
    body = h.error_body("ARTIFACT_NOT_READY", message="Not ready.", details={"status": "active"})
    d = driver(lambda r: h.respond(409, body), max_retries=0)
    with pytest.raises(e.ArtifactNotReadyError) as info:
        d.call("sessions.transcript", "ses-42")
    assert "ses-42" in str(info.value) and info.value.what == "transcript of session 'ses-42'"
    assert "request_id=" in str(info.value)
