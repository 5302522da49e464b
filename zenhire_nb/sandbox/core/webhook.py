"""Signing and verifying the completion webhook (docs/contract.md §5).

The interview backend signs each delivery with a shared secret::

    X-Interview-Signature: t=<unix-ts>,v1=<hex HMAC-SHA256 of "<ts>.<raw body>">
    X-Interview-Signature-Timestamp: <unix-ts>

and the platform accepts it only within a 5-minute window around its own clock. Replay of a
signature already seen is caught by the receiver (it needs storage), not here. Both functions
take an injectable ``clock`` (a callable returning Unix seconds) so tests can move time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

from zenhire_nb.contract.limits import Limits

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SignatureError",
    "sign",
    "signature_of",
    "verify",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Interview-Signature"
TIMESTAMP_HEADER = "X-Interview-Signature-Timestamp"

Clock = Callable[[], float]


class SignatureError(ValueError):
    """A delivery whose signature is missing, malformed, stale or wrong.

    ``reason`` is one of ``"missing"``, ``"malformed"``, ``"stale"``, ``"mismatch"``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def signature_of(body: bytes, secret: str, timestamp: int) -> str:
    """Hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(
    body: bytes, secret: str, *, timestamp: int | None = None, clock: Clock = time.time
) -> dict[str, str]:
    """The two signature headers for ``body`` (raw bytes, exactly as they will be sent).

    ``timestamp`` defaults to ``clock()`` (Unix seconds, truncated). No side effects.
    """
    ts = int(clock()) if timestamp is None else int(timestamp)
    return {
        SIGNATURE_HEADER: f"t={ts},v1={signature_of(body, secret, ts)}",
        TIMESTAMP_HEADER: str(ts),
    }


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        # ASCII digits only, and few of them: int() would refuse other digits, and a huge
        # timestamp could not be compared with the clock's float.
        if name == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value.lower())
    if timestamp is None or not candidates:
        raise SignatureError("malformed", f"{SIGNATURE_HEADER} needs t=<ts>,v1=<hex>.")
    return timestamp, candidates


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance_sec: int = Limits.WEBHOOK_TOLERANCE_SEC,
    clock: Clock = time.time,
) -> int:
    """Check a delivery's signature; returns its timestamp (Unix seconds).

    ``headers`` must look names up case-insensitively (Starlette's and httpx's do).
    Raises :class:`SignatureError` if the header is missing or malformed, if the separate
    timestamp header disagrees with ``t=``, if the timestamp is further than
    ``tolerance_sec`` from ``clock()``, or if no ``v1`` matches (hex compared without regard
    to case, in constant time).
    """
    return verify_signature(body, headers, secret, tolerance_sec=tolerance_sec, clock=clock)[0]


def verify_signature(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance_sec: int = Limits.WEBHOOK_TOLERANCE_SEC,
    clock: Clock = time.time,
) -> tuple[int, str]:
    """:func:`verify`, returning ``(timestamp, digest)``: the matching ``v1`` in lower case,
    the one form of the signature however the header spelled it (what replay checks key on).
    """
    header = headers.get(SIGNATURE_HEADER)
    if not header:
        raise SignatureError("missing", f"{SIGNATURE_HEADER} header is missing.")
    timestamp, candidates = _parse(header)
    separate = headers.get(TIMESTAMP_HEADER)
    if separate is not None and separate.strip() != str(timestamp):
        raise SignatureError("malformed", f"{TIMESTAMP_HEADER} does not match t=.")
    if abs(clock() - timestamp) > tolerance_sec:
        raise SignatureError(
            "stale", f"Signature timestamp is outside the {tolerance_sec} s tolerance."
        )
    expected = signature_of(body, secret, timestamp)
    for candidate in candidates:  # already lower case (see _parse)
        if hmac.compare_digest(expected.encode(), candidate.encode("utf-8", "replace")):
            return timestamp, expected
    raise SignatureError("mismatch", "Signature does not match the body.")
