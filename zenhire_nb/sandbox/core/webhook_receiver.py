"""The platform side of the completion webhook: verify, de-duplicate, finish, bill.

A delivery is accepted only with a valid signature inside the tolerance window that has not
been used by an accepted delivery before. A second delivery for the same ``delivery_id``, or
any delivery for a session that is already terminal, changes nothing and answers the stored
status with ``charged: 0``: a retried webhook never double-charges.

What a delivery may do is bound to its session (docs/contract.md §5): the signed body must
name the session it is posted for (``session_id``), its artifact keys must be files staged for
that session (``recordings/<client>/<session>/...``, ``transcripts/<client>/<session>/...``),
and ``duration_sec`` cannot exceed the interview budget. A signature counts as used only once
its delivery is accepted, so a delivery rejected for its body can be corrected and re-sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from zenhire_nb.contract.limits import Limits, credits_for
from zenhire_nb.sandbox.api.bodies import load_json
from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.core import webhook
from zenhire_nb.sandbox.store.artifacts import ArtifactStore
from zenhire_nb.sandbox.store.database import Database
from zenhire_nb.sandbox.store.sessions import Sessions
from zenhire_nb.sandbox.store.tenants import Tenants

__all__ = ["Receipt", "TERMINAL", "WebhookReceiver"]

TERMINAL = ("completed", "failed")


class Receipt(NamedTuple):
    """What a delivery did: the webhook's answer and whether it finished the session (False
    for a duplicate, which changed nothing)."""

    answer: dict[str, Any]
    accepted: bool


def _validate_feedback(feedback: Any) -> dict[str, Any] | None:
    if feedback is None:
        return None
    rating = feedback.get("rating") if isinstance(feedback, dict) else None
    comment = feedback.get("comment") if isinstance(feedback, dict) else None
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise invalid_input({"feedback": "rating must be an integer 1..5"})
    if comment is not None and not isinstance(comment, str):
        raise invalid_input({"feedback": "comment must be a string or null"})
    return {"rating": rating, "negative": rating <= 2, "comment": comment}


class WebhookReceiver:
    def __init__(
        self,
        db: Database,
        tenants: Tenants,
        sessions: Sessions,
        artifacts: ArtifactStore,
        secret: str,
        clock: Callable[[], float],
    ) -> None:
        self._db, self._tenants, self._sessions = db, tenants, sessions
        self._artifacts, self._secret, self._clock = artifacts, secret, clock

    def status_of(self, session_id: str) -> str | None:
        """The session's stored status now (None for an unknown session)."""
        row = self._db.one("SELECT status FROM sessions WHERE id=?", (session_id,))
        return None if row is None else str(row["status"])

    def receive(self, session_id: str, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        """Handle one delivery; returns ``{"status", "charged"}``.

        Raises :class:`ApiError`: 401 ``INVALID_SIGNATURE`` (``details.reason``: missing,
        malformed, stale, mismatch or replayed), 400 ``INVALID_INPUT``, 404 ``NOT_FOUND``.
        Side effects: the session's terminal state, a ledger entry, the delivery record.
        """
        return self.accept(session_id, body, headers).answer

    def accept(self, session_id: str, body: bytes, headers: Mapping[str, str]) -> Receipt:
        """:meth:`receive`, also telling whether this delivery finished the session (the
        sender then knows whether the artifacts it stored became the session's)."""
        signature = self._verify(body, headers)
        outcome = self._parse(body, headers.get("content-type"))
        with self._db.tx() as conn:
            self._check_unused(conn, signature)
            row = conn.execute(
                "SELECT status, client_id FROM sessions WHERE id=?", (session_id,)
            ).fetchone()
            if row is None:
                raise ApiError("NOT_FOUND", f"Session {session_id} not found.", status=404)
            if outcome.get("session_id") != session_id:
                raise invalid_input({"session_id": f"must be {session_id}, the session posted for"})
            if self._is_duplicate(conn, outcome.get("delivery_id"), row["status"]):
                return Receipt({"status": row["status"], "charged": 0}, accepted=False)
            if outcome["status"] == "completed":
                self._check_completed(outcome, f"{row['client_id']}/{session_id}/")
            charged = (
                credits_for(outcome["duration_sec"]) if outcome["status"] == "completed" else 0
            )
            self._sessions.finish(conn, session_id, outcome, charged)
            self._tenants.charge(conn, row["client_id"], charged, session_id)
            if outcome.get("delivery_id"):
                conn.execute(
                    "INSERT INTO deliveries VALUES (?,?,?)",
                    (outcome["delivery_id"], session_id, outcome["status"]),
                )
            conn.execute("INSERT INTO seen_signatures VALUES (?,?)", (signature, self._clock()))
        return Receipt({"status": outcome["status"], "charged": charged}, accepted=True)

    def _verify(self, body: bytes, headers: Mapping[str, str]) -> str:
        """The delivery's signature in one normal form (``<ts>:<lower-case hex>``, whatever
        case or extra ``v1`` candidates the header had), or 401 ``INVALID_SIGNATURE``."""
        try:
            timestamp, digest = webhook.verify_signature(
                body, headers, self._secret, clock=self._clock
            )
        except webhook.SignatureError as exc:
            raise ApiError(
                "INVALID_SIGNATURE", str(exc), status=401, details={"reason": exc.reason}
            ) from None
        return f"{timestamp}:{digest}"

    def _check_unused(self, conn: sqlite3.Connection, signature: str) -> None:
        # Signatures older than twice the window can no longer verify: forget them.
        conn.execute("DELETE FROM seen_signatures WHERE seen_ts < ?", (self._clock() - 3600,))
        seen = conn.execute("SELECT 1 FROM seen_signatures WHERE signature=?", (signature,))
        if seen.fetchone() is not None:
            raise ApiError(
                "INVALID_SIGNATURE",
                "This signature was already used.",
                status=401,
                details={"reason": "replayed"},
            )

    @staticmethod
    def _is_duplicate(conn: sqlite3.Connection, delivery_id: str | None, status: str) -> bool:
        if status in TERMINAL:
            return True
        if not delivery_id:
            return False
        seen = conn.execute("SELECT 1 FROM deliveries WHERE delivery_id=?", (delivery_id,))
        return seen.fetchone() is not None

    def _parse(self, body: bytes, content_type: str | None) -> dict[str, Any]:
        payload = load_json(body, content_type)
        if not isinstance(payload, dict):
            raise invalid_input({"body": "must be a JSON object"})
        status = payload.get("status")
        if status not in TERMINAL:
            raise invalid_input({"status": "must be 'completed' or 'failed'"})
        duration = payload.get("duration_sec")
        if duration is not None and (
            isinstance(duration, bool)
            or not isinstance(duration, int)
            or not 0 <= duration <= Limits.MAX_INTERVIEW_SEC
        ):
            raise invalid_input(
                {"duration_sec": f"must be an integer from 0 to {Limits.MAX_INTERVIEW_SEC}"}
            )
        for name in ("session_id", "delivery_id", "interview_svc_session_id", "error_code"):
            if payload.get(name) is not None and not isinstance(payload[name], str):
                raise invalid_input({name: "must be a string"})
        return {**payload, "feedback": _validate_feedback(payload.get("feedback"))}

    def _check_completed(self, payload: dict[str, Any], own_prefix: str) -> None:
        """Completed deliveries need a duration and two files staged for this session (keys
        under ``<kind>/<client>/<session>/``): another session's files are refused."""
        if payload.get("duration_sec") is None:
            raise invalid_input({"duration_sec": "required when status is 'completed'"})
        for name, kind in (
            ("recording_s3_key", "recordings"),
            ("transcript_s3_key", "transcripts"),
        ):
            key = payload.get(name)
            if not isinstance(key, str) or not key.startswith(f"{kind}/{own_prefix}"):
                raise invalid_input({name: "must name an artifact stored for this session"})
            if not self._artifacts.exists(key):
                raise invalid_input({name: "must name a stored artifact"})
