"""The simulated interview backend, plugged into the sandbox's :class:`InterviewBackend` seam.

:class:`SimulationSettings` holds a sandbox's defaults (seed, rates, audio format, transcript
shape); :class:`SimulatedBackend` runs :func:`~.interview.simulate_interview`
for a session with them and hands the outcome to the sandbox core, which stores the files and
delivers the signed completion webhook.

Transcript shape: the document is rendered in the sandbox's ``transcript_shape`` *at
completion* and stored as served, as a real interview service would write it; the canonical
turns (served and true) are kept in the ground truth. Changing the shape later does not rewrite
sessions already completed.

Ground truth (true turns, served turns, injected mistakes, candidate traits, voices) goes to a
:class:`GroundTruthStore` as a JSON artifact under ``ground_truth/<session>.json``, a key no
contract endpoint ever serves; the admin route ``GET /sandbox/sessions/{id}/ground-truth``
reads it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from zenhire_nb.sandbox.core.backend import (
    CompletionRequest,
    InterviewResult,
    PlaceholderBackend,
    SessionContext,
)
from zenhire_nb.sandbox.simulation.interview import (
    SHAPES,
    CandidateProfile,
    SimulatedInterview,
    render_transcript,
    simulate_interview,
)
from zenhire_nb.sandbox.store.artifacts import ArtifactStore

__all__ = ["OUTCOMES", "GroundTruthStore", "SimulatedBackend", "SimulationSettings"]

OUTCOMES = ("completed", "failed", "timeout")
_RATES = ("mistake_rate", "failure_rate", "timeout_rate", "feedback_rate")


@dataclass(frozen=True)
class SimulationSettings:
    """How simulated interviews come out. Rates are probabilities 0..1 per session (``mistake
    rate`` per word of the served transcript); ``target_minutes`` None lets the question bank
    decide (typically 3-6 minutes); ``sample_rate`` Hz (8000..48000), ``channels`` 1 or 2.
    ``outcome`` forces "completed", "failed" or "timeout" (None: drawn from the rates).
    ``seed`` is the sandbox seed; a session simulated without its own seed uses
    ``"<seed>:<session sequence number>"``, so a replayed sequence of calls gives the same
    cohort.

    Raises ``ValueError`` naming the field for any value out of range.
    """

    seed: int | str = 0
    target_minutes: float | None = None
    mistake_rate: float = 0.05
    failure_rate: float = 0.0
    timeout_rate: float = 0.0
    feedback_rate: float = 0.5
    sample_rate: int = 16000
    channels: int = 1
    transcript_shape: str = "array"
    profile: CandidateProfile | None = None
    outcome: str | None = None

    def __post_init__(self) -> None:
        for name in _RATES:
            value = getattr(self, name)
            if isinstance(value, bool) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, got {value!r}")
        if self.failure_rate + self.timeout_rate > 1.0:
            raise ValueError("failure_rate + timeout_rate must not exceed 1")
        if self.target_minutes is not None and not 0 < self.target_minutes <= 90:
            raise ValueError(f"target_minutes must be within (0, 90], got {self.target_minutes}")
        if not 8000 <= self.sample_rate <= 48000:
            raise ValueError(f"sample_rate must be within 8000..48000 Hz, got {self.sample_rate}")
        if self.channels not in (1, 2):
            raise ValueError(f"channels must be 1 (mono) or 2 (stereo), got {self.channels}")
        if self.transcript_shape not in SHAPES:
            raise ValueError(
                f"transcript_shape must be one of {SHAPES}, got {self.transcript_shape!r}"
            )
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES} or None, got {self.outcome!r}")

    def with_options(self, **options: Any) -> SimulationSettings:
        """A copy with the given options; options that are None keep this value.

        Raises ``ValueError`` for an unknown option name or an out-of-range value.
        """
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ValueError(f"unknown simulation option(s): {', '.join(unknown)}")
        changes = {k: v for k, v in options.items() if v is not None}
        return dataclasses.replace(self, **changes)

    def rates(self) -> tuple[float, float]:
        """``(failure_rate, timeout_rate)`` after a forced ``outcome``."""
        forced = {"completed": (0.0, 0.0), "failed": (1.0, 0.0), "timeout": (0.0, 1.0)}
        return forced.get(self.outcome or "", (self.failure_rate, self.timeout_rate))


class GroundTruthStore:
    """Ground-truth documents as JSON artifacts, one per session (admin namespace only)."""

    def __init__(self, artifacts: ArtifactStore) -> None:
        self._artifacts = artifacts

    @staticmethod
    def key(session_id: str) -> str:
        return f"ground_truth/{session_id}.json"

    def put(self, session_id: str, document: dict[str, Any]) -> None:
        """Store (atomically replace) the ground truth of ``session_id``."""
        self._artifacts.write_json(self.key(session_id), document)

    def path(self, session_id: str) -> Any:
        """The file of ``session_id``'s ground truth, or None if it was never simulated."""
        try:
            path = self._artifacts.path(self.key(session_id))
        except ValueError:
            return None
        return path if path.is_file() else None


class SimulatedBackend:
    """An :class:`~zenhire_nb.sandbox.core.backend.InterviewBackend` that simulates the interview.

    ``seed`` (None: ``settings.seed`` joined with the session id) picks the candidate and the
    script. With ``ground_truth`` set, each run stores its ground truth there before the
    webhook is delivered. Used as a sandbox's default backend (``Sandbox(backend=...)``), a
    ``/complete`` call that supplies its own transcript or recording is handed to the
    placeholder backend unchanged, and a positive ``duration_sec`` sets the target length.
    Raises ``ValueError`` for options the simulator rejects; ``SpeechSynthesisError`` if eSpeak
    NG is unavailable.
    """

    def __init__(
        self,
        settings: SimulationSettings | None = None,
        *,
        seed: int | str | None = None,
        ground_truth: GroundTruthStore | None = None,
    ) -> None:
        self.settings = settings or SimulationSettings()
        self._seed = seed
        self._ground_truth = ground_truth
        self.last: SimulatedInterview | None = None

    def complete(self, session: SessionContext, request: CompletionRequest) -> InterviewResult:
        if request.transcript is not None or request.recording_path is not None:
            return PlaceholderBackend().complete(session, request)
        settings = self.settings
        if settings.target_minutes is None and request.duration_sec > 0:
            settings = settings.with_options(target_minutes=min(90.0, request.duration_sec / 60))
        seed = self._seed if self._seed is not None else f"{settings.seed}:{session.session_id}"
        result = _simulate(session, settings, seed, request)
        self.last = result
        if self._ground_truth is not None:
            self._ground_truth.put(
                session.session_id, ground_truth_document(session, settings, result)
            )
        return to_interview_result(result, settings.transcript_shape)


def _simulate(
    session: SessionContext,
    settings: SimulationSettings,
    seed: int | str,
    request: CompletionRequest,
) -> SimulatedInterview:
    failure_rate, timeout_rate = settings.rates()
    return simulate_interview(
        session.role_name or "generic", session.language or "en", seed=seed,
        out_path=request.scratch_dir / "recording.wav", sample_rate=settings.sample_rate,
        channels=settings.channels, target_minutes=settings.target_minutes,
        mistake_rate=settings.mistake_rate, failure_rate=failure_rate,
        timeout_rate=timeout_rate, feedback_rate=settings.feedback_rate,
        profile=settings.profile,
    )  # fmt: skip


def to_interview_result(result: SimulatedInterview, shape: str) -> InterviewResult:
    """What the interview service reports for ``result``; the transcript rendered in ``shape``."""
    feedback = result.feedback.model_dump() if result.feedback is not None else None
    if result.outcome != "completed":
        return InterviewResult(
            status="failed", duration_sec=result.duration_sec, error_code=result.error_code
        )
    return InterviewResult(
        status="completed",
        duration_sec=result.duration_sec,
        transcript=render_transcript(result.transcript, shape),
        recording_path=result.recording,
        feedback=feedback,
    )


def ground_truth_document(
    session: SessionContext, settings: SimulationSettings, result: SimulatedInterview
) -> dict[str, Any]:
    """The admin-only record of what really happened in a simulated interview."""
    truth = result.ground_truth
    return {
        "session_id": session.session_id, "seed": truth.get("seed"),
        "outcome": result.outcome, "error_code": result.error_code,
        "duration_sec": result.duration_sec, "transcript_shape": settings.transcript_shape,
        "sample_rate": result.sample_rate, "channels": result.channels,
        "true_turns": truth.get("turns", []), "served_turns": result.transcript,
        "mistakes": truth.get("mistakes", []), "candidate": truth.get("candidate"),
        "voices": truth.get("voices"), "bank": truth.get("bank"),
        "language_voice": truth.get("language_voice"),
        "feedback": result.feedback.model_dump() if result.feedback is not None else None,
    }  # fmt: skip
