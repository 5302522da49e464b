"""The interview backend seam: what produces an interview's outcome.

The sandbox core owns the lifecycle, the artifacts, the signed completion webhook and billing.
An :class:`InterviewBackend` only answers "given this session (and whatever the caller asked
for), what happened?": a duration, a transcript document, a WAV file and the candidate's
survey feedback. The core then stores the files atomically, signs the webhook payload and
delivers it to its own receiver, exactly as the hosted platform's interview service does.

The default :class:`PlaceholderBackend` uses what the caller supplied and fills the gaps with a
plain transcript and a quiet 16 kHz tone; the simulated interview backend plugs in here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from zenhire_nb.sandbox.core.placeholder_media import placeholder_transcript, write_tone_wav

__all__ = [
    "CompletionRequest",
    "InterviewBackend",
    "InterviewResult",
    "PlaceholderBackend",
    "SessionContext",
]


@dataclass(frozen=True)
class SessionContext:
    """What a backend may know of a session (never its candidate token)."""

    session_id: str
    client_id: str
    persona_id: str
    role_name: str | None
    language: str | None
    consent_mode: str
    candidate_ref: str | None


@dataclass(frozen=True)
class CompletionRequest:
    """What the caller of ``/sandbox/sessions/{id}/complete`` supplied.

    ``recording_path`` is a WAV file already on disk (decoded from base64 or staged by PUT);
    ``scratch_dir`` is an empty folder the backend may write its own files into (it is on the
    same disk as the artifact store, so results are moved, not copied).
    """

    duration_sec: int
    scratch_dir: Path
    transcript: Any = None
    recording_path: Path | None = None
    feedback: dict[str, Any] | None = None


@dataclass(frozen=True)
class InterviewResult:
    """An interview's outcome. ``recording_path`` and ``transcript`` are required when
    ``status == "completed"``; ``duration_sec`` is in whole seconds."""

    status: Literal["completed", "failed"]
    duration_sec: int | None
    transcript: Any = None
    recording_path: Path | None = None
    feedback: dict[str, Any] | None = None
    error_code: str | None = None


@runtime_checkable
class InterviewBackend(Protocol):
    def complete(self, session: SessionContext, request: CompletionRequest) -> InterviewResult:
        """Produce the outcome of ``session``. May take long (runs in a worker thread).

        Raises ``ValueError`` for a request it cannot honour (answered as 400 INVALID_INPUT).
        """
        ...


class PlaceholderBackend:
    """Uses the supplied transcript/recording/feedback; generates whatever is missing."""

    def complete(self, session: SessionContext, request: CompletionRequest) -> InterviewResult:
        transcript = request.transcript
        if transcript is None:
            transcript = placeholder_transcript(request.duration_sec)
        recording = request.recording_path
        if recording is None:
            recording = write_tone_wav(request.scratch_dir / "recording.wav", request.duration_sec)
        return InterviewResult(
            status="completed",
            duration_sec=request.duration_sec,
            transcript=transcript,
            recording_path=recording,
            feedback=request.feedback,
        )
