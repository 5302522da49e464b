"""Client errors in plain words, naming the cause (field, wait time, what to check)."""

from __future__ import annotations

from zenhire_nb.client import errors as e
from zenhire_nb.widgets.logic.messages import describe_error, is_ambiguous, is_retryable


def status(cls, code, status_code, **kw):
    return cls(status=status_code, code=code, message="m", **kw)


def test_each_error_in_plain_words():
    text = describe_error(status(e.InsufficientCreditsError, "INSUFFICIENT_CREDITS", 402))
    assert "not enough credits" in text and "at least 5 credits" in text
    assert "interview" in describe_error(
        status(e.MissingPermissionError, "MISSING_PERMISSION", 403)
    )
    limited = status(e.RateLimitError, "RATE_LIMIT_EXCEEDED", 429, retry_after=7.0)
    assert "wait for 7 s" in describe_error(limited)
    bad = status(
        e.InvalidInputError, "INVALID_INPUT", 400, details={"fields": {"tags.0": "too long"}}
    )
    assert "field 'tags.0': too long" in describe_error(bad, subject="candidate 'x'")
    assert describe_error(bad, subject="candidate 'x'").startswith("candidate 'x': ")


def test_ambiguous_create_says_what_to_check_and_is_not_retryable():
    error = e.AmbiguousSessionCreateError("p-1", "cand-9", "server disconnected")
    text = describe_error(error)
    assert "may have been created" in text and "candidate_ref='cand-9'" in text
    assert is_ambiguous(error) and not is_retryable(error)
    assert is_retryable(status(e.RateLimitError, "RATE_LIMIT_EXCEEDED", 429))
