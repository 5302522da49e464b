"""Driving a session to its end: run the backend, store its files, sign and deliver the webhook.

This is the sandbox's stand-in for the hosted interview service. It never writes a session's
terminal state itself: it builds the documented webhook payload, signs it with the shared
secret and hands the raw bytes to the same receiver the HTTP webhook route uses, so every
completion exercises signature checking, de-duplication and billing.

Concurrency: two completions of one session (``/complete``, ``/simulate``, the candidate
page's ``end``, ``/fail``) may arrive at once. Each holds the session's lock from its status
check to its delivery, so the second waits, finds the session terminal and answers as a
duplicate delivery does, without running a backend or storing files. As a second guard (a
signed webhook may also arrive over HTTP) a delivery's files go under keys of their own
(``recordings/<client>/<session>/<delivery>.wav``) which only its accepted webhook makes
current; the files of a delivery that was not accepted are taken back.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers

from zenhire_nb.contract.codes import SESSION_TIMEOUT
from zenhire_nb.sandbox.api.errors import invalid_input
from zenhire_nb.sandbox.core import webhook
from zenhire_nb.sandbox.core.backend import (
    CompletionRequest,
    InterviewBackend,
    InterviewResult,
    SessionContext,
)
from zenhire_nb.sandbox.core.webhook_receiver import TERMINAL, Receipt, WebhookReceiver
from zenhire_nb.sandbox.store.artifacts import (
    ArtifactStore,
    wav_problem,
)

__all__ = ["Completion", "SessionLocks", "session_context", "staged_key"]


def staged_key(session_id: str) -> str:
    """Where ``PUT /sandbox/sessions/{id}/recording`` stages a recording."""
    return f"staging/{session_id}.wav"


def session_context(row: sqlite3.Row) -> SessionContext:
    return SessionContext(
        row["id"],
        row["client_id"],
        row["persona_id"],
        row["p_role_name"],
        row["p_language"],
        row["consent_mode"],
        row["candidate_ref"],
    )


def _delivery_id() -> str:
    return "wh_" + secrets.token_hex(12)


class SessionLocks:
    """One re-entrant lock per session id, kept only while someone holds or awaits it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.RLock, int]] = {}

    @contextmanager
    def hold(self, session_id: str) -> Iterator[None]:
        """Block until this thread holds ``session_id``'s lock; release it on exit."""
        with self._guard:
            lock, users = self._locks.get(session_id, (threading.RLock(), 0))
            self._locks[session_id] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users = self._locks[session_id][1] - 1
                if users:
                    self._locks[session_id] = (lock, users)
                else:
                    del self._locks[session_id]


class Completion:
    def __init__(
        self,
        artifacts: ArtifactStore,
        receiver: WebhookReceiver,
        secret: str,
        clock: Callable[[], float],
        backend: InterviewBackend,
    ) -> None:
        self._artifacts, self._receiver = artifacts, receiver
        self._secret, self._clock, self.backend = secret, clock, backend
        self._locks = SessionLocks()

    def exclusive(self, session_id: str) -> AbstractContextManager[None]:
        """A context manager holding ``session_id``'s completion lock (re-entrant).

        Every completion path of this object holds it; a route that checks a session's status
        before completing it (e.g. ``/simulate``) holds it across both, so no other completion
        of that session slips in between.
        """
        return self._locks.hold(session_id)

    def deliver(self, session_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Sign ``payload`` and hand it to the receiver; returns ``{status, charged}``."""
        with self.exclusive(session_id):
            return self._send(session_id, {"delivery_id": _delivery_id(), **payload}).answer

    def _send(self, session_id: str, payload: dict[str, Any]) -> Receipt:
        # The signed body names its session: the receiver refuses it for any other.
        body = json.dumps({"session_id": session_id, **payload}).encode("utf-8")
        signed = webhook.sign(body, self._secret, clock=self._clock)
        # Looked up without regard to case, as an HTTP delivery's headers are.
        headers = Headers(headers={**signed, "Content-Type": "application/json"})
        return self._receiver.accept(session_id, body, headers)

    def _is_terminal(self, session_id: str) -> bool:
        return self._receiver.status_of(session_id) in TERMINAL

    def fail(self, row: sqlite3.Row, error_code: str | None) -> dict[str, Any]:
        return self.deliver(
            row["id"],
            {
                "status": "failed",
                "duration_sec": None,
                "error_code": error_code or "INTERVIEW_FAILED",
            },
        )

    def timeout(self, row: sqlite3.Row) -> dict[str, Any]:
        return self.fail(row, SESSION_TIMEOUT)

    def complete(
        self,
        row: sqlite3.Row,
        *,
        duration_sec: int,
        transcript: Any = None,
        recording_b64: str | None = None,
        feedback: dict[str, Any] | None = None,
        backend: InterviewBackend | None = None,
    ) -> dict[str, Any]:
        """Run ``backend`` (default: this sandbox's) for ``row`` and deliver its outcome.

        A terminal session (also one that a concurrent completion finished while this one
        waited for the session's lock) is not run again: the delivery is a no-op answering
        ``charged: 0``. Raises ``ApiError`` 400 for a recording that is not a WAV file.
        """
        with self.exclusive(row["id"]):
            if self._is_terminal(row["id"]):
                return self.deliver(
                    row["id"], {"status": "completed", "duration_sec": duration_sec}
                )
            return self._run(
                row, duration_sec, transcript, recording_b64, feedback, backend or self.backend
            )

    def _run(
        self,
        row: sqlite3.Row,
        duration_sec: int,
        transcript: Any,
        recording_b64: str | None,
        feedback: dict[str, Any] | None,
        backend: InterviewBackend,
    ) -> dict[str, Any]:
        scratch = self._artifacts.root / "scratch" / uuid.uuid4().hex
        scratch.mkdir(parents=True)
        try:
            recording = self._incoming_recording(row["id"], recording_b64, scratch)
            request = CompletionRequest(duration_sec, scratch, transcript, recording, feedback)
            result = backend.complete(session_context(row), request)
            answer = self.deliver_result(row, result)
            self._artifacts.path(staged_key(row["id"])).unlink(missing_ok=True)
            return answer
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def deliver_result(self, row: sqlite3.Row, result: InterviewResult) -> dict[str, Any]:
        """Store a backend's files under keys of this delivery, then deliver its webhook.

        If the session is terminal by then (another completion won), nothing is stored and the
        answer is the duplicate's (``charged: 0``). If the webhook does not accept the
        delivery (a duplicate, or an error raised), its files are taken back: the recording
        moved back to ``result.recording_path``, the transcript deleted.
        """
        with self.exclusive(row["id"]):
            if self._is_terminal(row["id"]):
                return self.deliver(
                    row["id"], {"status": result.status, "duration_sec": result.duration_sec}
                )
            delivery_id = _delivery_id()
            payload: dict[str, Any] = {
                "delivery_id": delivery_id,
                "status": result.status,
                "duration_sec": result.duration_sec,
                "interview_svc_session_id": "ses_" + uuid.uuid4().hex[:20],
                "feedback": result.feedback,
                "error_code": result.error_code,
            }
            accepted = False
            try:
                if result.status == "completed":
                    self._store(f"{row['client_id']}/{row['id']}/{delivery_id}", result, payload)
                receipt = self._send(row["id"], payload)
                accepted = receipt.accepted
                return receipt.answer
            finally:
                if not accepted:
                    self._take_back(result, payload)

    def _store(self, base: str, result: InterviewResult, payload: dict[str, Any]) -> None:
        # Each key enters the payload only once its file is in place, so _take_back removes
        # exactly what was stored.
        if result.recording_path is not None:
            key = f"recordings/{base}.wav"
            self._artifacts.adopt(key, Path(result.recording_path), move=True)
            payload["recording_s3_key"] = key
        if result.transcript is not None:
            key = f"transcripts/{base}.json"
            self._artifacts.write_json(key, result.transcript)
            payload["transcript_s3_key"] = key

    def _take_back(self, result: InterviewResult, payload: dict[str, Any]) -> None:
        if "recording_s3_key" in payload:
            source = Path(result.recording_path) if result.recording_path else None
            self._artifacts.discard(payload["recording_s3_key"], back_to=source)
        if "transcript_s3_key" in payload:
            self._artifacts.discard(payload["transcript_s3_key"])

    def _incoming_recording(
        self, session_id: str, recording_b64: str | None, scratch: Path
    ) -> Path | None:
        target = scratch / "supplied.wav"
        if recording_b64 is not None:
            try:
                data = base64.b64decode(recording_b64, validate=True)
            except (binascii.Error, ValueError):
                raise invalid_input({"recording_b64": "not valid base64"}) from None
            problem = wav_problem(data)
            if problem is not None:
                raise invalid_input({"recording_b64": problem})
            target.write_bytes(data)
            return target
        # A staged file is handed over where it lies: it is moved into place only on success,
        # so a failing backend leaves the upload staged for another try.
        staged = self._artifacts.path(staged_key(session_id))
        return staged if staged.is_file() else None
