"""Client errors in plain words, for a widget's error area or a row of a results table.

The messages say what happened and what to do; they never quote an API key or a candidate link
(the client's errors carry neither, and nothing here adds them).
"""

from __future__ import annotations

from zenhire_nb.client import errors as e
from zenhire_nb.contract.limits import Limits

__all__ = ["describe_error", "is_ambiguous", "is_retryable"]


def describe_error(error: BaseException, *, subject: str = "") -> str:
    """One or two sentences about ``error``; ``subject`` (e.g. ``"candidate 'c-1'"``) leads."""
    lead = f"{subject}: " if subject else ""
    return lead + _text(error)


def _text(error: BaseException) -> str:
    if isinstance(error, e.InsufficientCreditsError):
        return (
            "not enough credits (402). Each session needs a balance of at least "
            f"{Limits.MIN_BALANCE_TO_START} credits to start; top up, or start fewer sessions."
        )
    if isinstance(error, e.MissingPermissionError):
        return "this API key may not start interviews (403: the 'interview' permission is missing)."
    if isinstance(error, e.IpNotAllowedError):
        return "this machine's IP address is not on the account's allow list (403)."
    if isinstance(error, e.PermissionDeniedError):
        return f"the platform refused the request (403 {error.code or ''}).".replace(" )", ")")
    if isinstance(error, e.RateLimitError):
        wait = f" for {error.retry_after:g} s" if error.retry_after else ""
        return (
            f"the platform is rate limiting this key (429); wait{wait} and retry the failed rows."
        )
    if isinstance(error, e.InvalidInputError):
        fields = error.fields
        if fields:
            listed = "; ".join(f"field '{name}': {reason}" for name, reason in fields.items())
            return f"the platform rejected the input (400): {listed}."
        return f"the platform rejected the input (400): {error.message}"
    if isinstance(error, e.NotFoundError):
        return f"not found (404): {error.what or error.message}."
    if isinstance(error, e.AuthenticationError):
        return f"the API key was not accepted (401 {error.code}): check ZENHIRE_API_KEY."
    if isinstance(error, e.AmbiguousSessionCreateError):
        ref = error.candidate_ref
        return (
            "the connection failed after the request was sent, so a session may have been "
            "created. It was not retried. Check the results browser (or "
            f"client.sessions.list(persona_id={error.persona_id!r}, candidate_ref={ref!r})) "
            "before starting this candidate again."
        )
    if isinstance(error, e.APIConnectionError):
        return f"could not reach the platform ({type(error).__name__}): {error}"
    if isinstance(error, e.APIStatusError):
        return f"the platform answered {error.status} {error.code or ''}: {error.message}"
    if isinstance(error, (ValueError, TypeError, KeyError)):
        return str(error).strip("'\"")
    return f"{type(error).__name__}: {error}"


def is_ambiguous(error: BaseException) -> bool:
    """True when a write may have taken effect: never repeat it without checking first."""
    return isinstance(error, e.AmbiguousRequestError)


def is_retryable(error: BaseException) -> bool:
    """True when trying again later can succeed (rate limits, outages, connection errors)."""
    if is_ambiguous(error):
        return False
    return isinstance(
        error,
        (e.RateLimitError, e.InternalServerError, e.APIConnectionError, e.InsufficientCreditsError),
    )
