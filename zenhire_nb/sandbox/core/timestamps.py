"""Time conversions of the sandbox's store: it keeps seconds since the epoch (its clock) and
writes ISO 8601 texts the way the platform does (:func:`zenhire_nb.contract.models.iso_ms`)."""

from __future__ import annotations

from datetime import datetime, timezone

from zenhire_nb.contract.models import iso_ms

__all__ = ["epoch_of", "iso_at"]


def iso_at(seconds: float) -> str:
    """``seconds`` since the epoch as the platform's ISO text (milliseconds, ``Z``)."""
    return iso_ms(datetime.fromtimestamp(seconds, timezone.utc))


def epoch_of(moment: datetime | None) -> float | None:
    """Seconds since the epoch of ``moment`` (a naive datetime is UTC); None stays None."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()
