"""Driving a session to its end: run the backend, store its files, sign and deliver the webhook.

This is the sandbox's stand-in for the hosted interview service. It never writes a session's
terminal state itself: it builds the documented webhook payload, signs it with the shared
secret and hands the raw bytes to the same receiver the HTTP webhook route uses, so every
completion exercises signature checking, de-duplication and billing.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zenhire_nb.contract.codes import SESSION_TIMEOUT
from zenhire_nb.sandbox import webhook
from zenhire_nb.sandbox._artifacts import WAV_MAGIC_ERROR, ArtifactStore, looks_like_wav
from zenhire_nb.sandbox._errors import invalid_input
from zenhire_nb.sandbox._receiver import WebhookReceiver
from zenhire_nb.sandbox.backend import (
    CompletionRequest,
    InterviewBackend,
    InterviewResult,
    SessionContext,
)

__all__ = ["Completion", "session_context", "staged_key"]


def staged_key(session_id: str) -> str:
    """Where ``PUT /sandbox/sessions/{id}/recording`` stages a recording."""
    return f"staging/{session_id}.wav"


def session_context(row: sqlite3.Row) -> SessionContext:
    return SessionContext(row["id"], row["client_id"], row["persona_id"], row["p_role_name"],
                          row["p_language"], row["consent_mode"], row["candidate_ref"])


class Completion:
    def __init__(self, artifacts: ArtifactStore, receiver: WebhookReceiver, secret: str,
                 clock: Callable[[], float], backend: InterviewBackend) -> None:
        self._artifacts, self._receiver = artifacts, receiver
        self._secret, self._clock, self.backend = secret, clock, backend

    def deliver(self, session_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Sign ``payload`` and hand it to the receiver; returns ``{status, charged}``."""
        payload = {"delivery_id": "wh_" + secrets.token_hex(12), **payload}
        body = json.dumps(payload).encode("utf-8")
        headers = webhook.sign(body, self._secret, clock=self._clock)
        return self._receiver.receive(session_id, body, headers)

    def fail(self, row: sqlite3.Row, error_code: str | None) -> dict[str, Any]:
        return self.deliver(row["id"], {"status": "failed", "duration_sec": None,
                                        "error_code": error_code or "INTERVIEW_FAILED"})

    def timeout(self, row: sqlite3.Row) -> dict[str, Any]:
        return self.fail(row, SESSION_TIMEOUT)

    def complete(self, row: sqlite3.Row, *, duration_sec: int, transcript: Any = None,
                 recording_b64: str | None = None, feedback: dict[str, Any] | None = None,
                 backend: InterviewBackend | None = None) -> dict[str, Any]:
        """Run ``backend`` (default: this sandbox's) for ``row`` and deliver its outcome.

        A terminal session is not run again: the delivery is a no-op answering ``charged: 0``.
        Raises ``ApiError`` 400 for a recording that is not a WAV file.
        """
        if row["status"] in ("completed", "failed"):
            return self.deliver(row["id"], {"status": "completed", "duration_sec": duration_sec})
        scratch = self._artifacts.root / "scratch" / uuid.uuid4().hex
        scratch.mkdir(parents=True)
        try:
            recording = self._incoming_recording(row["id"], recording_b64, scratch)
            request = CompletionRequest(duration_sec, scratch, transcript, recording, feedback)
            result = (backend or self.backend).complete(session_context(row), request)
            answer = self.deliver_result(row, result)
            self._artifacts.path(staged_key(row["id"])).unlink(missing_ok=True)
            return answer
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def deliver_result(self, row: sqlite3.Row, result: InterviewResult) -> dict[str, Any]:
        """Store a backend's files under the session's keys, then deliver its webhook."""
        payload: dict[str, Any] = {
            "status": result.status, "duration_sec": result.duration_sec,
            "interview_svc_session_id": "ses_" + uuid.uuid4().hex[:20],
            "feedback": result.feedback, "error_code": result.error_code,
        }
        if result.status == "completed":
            base = f"{row['client_id']}/{row['id']}"
            if result.recording_path is not None:
                payload["recording_s3_key"] = f"recordings/{base}.wav"
                self._artifacts.adopt(payload["recording_s3_key"], Path(result.recording_path),
                                      move=True)
            if result.transcript is not None:
                payload["transcript_s3_key"] = f"transcripts/{base}.json"
                self._artifacts.write_json(payload["transcript_s3_key"], result.transcript)
        return self.deliver(row["id"], payload)

    def _incoming_recording(self, session_id: str, recording_b64: str | None,
                            scratch: Path) -> Path | None:
        target = scratch / "supplied.wav"
        if recording_b64 is not None:
            try:
                data = base64.b64decode(recording_b64, validate=True)
            except (binascii.Error, ValueError):
                raise invalid_input({"recording_b64": "not valid base64"}) from None
            if not looks_like_wav(data[:12]):
                raise invalid_input({"recording_b64": WAV_MAGIC_ERROR})
            target.write_bytes(data)
            return target
        # A staged file is handed over where it lies: it is moved into place only on success,
        # so a failing backend leaves the upload staged for another try.
        staged = self._artifacts.path(staged_key(session_id))
        return staged if staged.is_file() else None
