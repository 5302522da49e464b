"""Numbers of the contract: field limits, pricing and timing (docs/contract.md §3 and §5)."""

from __future__ import annotations

from typing import Final


class Limits:
    """Documented and [decided] limits, in one place for the sandbox's validation and the docs."""

    ROLE_NAME_MAX: Final = 200
    LANGUAGE_MAX: Final = 64
    SYSTEM_PROMPT_MAX: Final = 20_000
    CANDIDATE_REF_MAX: Final = 256  # longer is truncated, not rejected
    METADATA_MAX_KEYS: Final = 50
    METADATA_KEY_MAX: Final = 40
    METADATA_VALUE_MAX: Final = 500
    METADATA_MAX_BYTES: Final = 8 * 1024
    TAGS_MAX: Final = 20
    TAG_MAX: Final = 40
    LIST_LIMIT_DEFAULT: Final = 20
    LIST_LIMIT_MAX: Final = 100
    LINK_EXPIRES_IN_SEC: Final = 604_800  # 7 days
    CREDITS_PER_MINUTE: Final = 5  # [decided]
    MIN_BALANCE_TO_START: Final = 5  # [decided]: one minute at the interview rate
    MAX_INTERVIEW_SEC: Final = 90 * 60  # [decided]
    CONCURRENCY_CAP: Final = 8  # [decided]
    RATE_LIMIT_PER_MINUTE: Final = 500
    WEBHOOK_TOLERANCE_SEC: Final = 300


def credits_for(duration_sec: int) -> int:
    """Credits charged for a completed interview: the per-minute rate times minutes rounded up."""
    minutes = -(-max(0, int(duration_sec)) // 60)
    return minutes * Limits.CREDITS_PER_MINUTE
