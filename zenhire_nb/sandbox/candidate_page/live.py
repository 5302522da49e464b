"""Live interviews of the candidate page: the script, where the candidate is, the answers.

State lives on the server, keyed by the session id, so a reload continues at the current turn.
The script is a pure function of the session (seeded by its id, from the persona's question
bank through :func:`~..simulation.interview.script.plan_interview`), so even after a
sandbox restart an active interview restarts its script identically (only the answers given
so far, kept in memory, are lost then).

An interview is a list of *exchanges*: an interviewer line and the answer the simulated
candidate would give. The first is the opening, the last the closing line (no answer: the
interview ends naturally after it). Clips live under ``<artifacts>/live/<session id>/``.
"""

from __future__ import annotations

import random
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.candidate_page.audio import ClipPart, synthesize_turn
from zenhire_nb.sandbox.simulation.interview.banks import load_bank
from zenhire_nb.sandbox.simulation.interview.candidates import CandidateProfile, sample_candidate
from zenhire_nb.sandbox.simulation.interview.script import PlannedTurn, plan_interview
from zenhire_nb.sandbox.simulation.interview.tts import voice_for_language

__all__ = [
    "MICROPHONE_TEXT",
    "CandidatePageSettings",
    "Exchange",
    "LiveInterview",
    "LiveInterviews",
    "build_exchanges",
]

# There is no speech-to-text in the sandbox: a microphone answer's transcript says so.
MICROPHONE_TEXT = "[candidate audio]"
_MIC_GAP_SEC = 0.6  # silence before a microphone answer in the recording


@dataclass(frozen=True)
class CandidatePageSettings:
    """Options of the candidate page.

    ``questions``: how many bank questions (follow-ups included) to ask between the opening and
    the closing; None asks the whole bank once. ``concurrency_cap``: interviews one tenant may
    run at once (docs/contract.md §5: ``maxConcurrentRequests``); more wait. ``max_answer_sec``:
    longest microphone answer accepted, in seconds.
    """

    questions: int | None = None
    concurrency_cap: int = Limits.CONCURRENCY_CAP
    max_answer_sec: float = 600.0

    def __post_init__(self) -> None:
        if self.questions is not None and self.questions < 0:
            raise ValueError(f"questions must be >= 0 or None, got {self.questions}")
        if self.concurrency_cap < 1:
            raise ValueError(f"concurrency_cap must be >= 1, got {self.concurrency_cap}")
        if self.max_answer_sec <= 0:
            raise ValueError(f"max_answer_sec must be positive, got {self.max_answer_sec}")


@dataclass(frozen=True)
class Exchange:
    """An interviewer line and the simulated candidate's answer to it (None: closing)."""

    question: PlannedTurn
    answer: PlannedTurn | None


def build_exchanges(
    session_id: str, role_name: str, language: str, questions: int | None
) -> list[Exchange]:
    """The script of a live interview: opening, up to ``questions`` questions, closing.

    Pure and deterministic for a session id; nothing is synthesized here.
    """
    rng = random.Random(f"zenhire-candidate-page:{session_id}")
    candidate = sample_candidate(rng, CandidateProfile())
    plan = plan_interview(
        rng,
        load_bank(role_name),
        candidate,
        role_name=role_name,
        language_voice=voice_for_language(language) or "en-us",
        follow_up_rate=CandidateProfile().follow_up_rate,
    )
    # plan_interview alternates strictly: interviewer line, then the candidate's answer.
    pairs = [Exchange(plan[i], plan[i + 1]) for i in range(0, len(plan) - 1, 2)]
    middle = pairs[1:-1] if questions is None else pairs[1:-1][:questions]
    return [pairs[0], *middle, Exchange(pairs[-1].question, None)]


@dataclass
class LiveInterview:
    """One running interview. ``index`` is the exchange whose answer is awaited; all fields
    are guarded by ``lock`` (routes run in a thread pool)."""

    session_id: str
    exchanges: list[Exchange]
    folder: Path
    index: int = 0
    answers: dict[int, tuple[str, Path, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def at_closing(self) -> bool:
        return self.index >= len(self.exchanges) - 1

    def turn_view(self) -> dict[str, object]:
        """What the page shows now (no token, no file paths)."""
        exchange = self.exchanges[self.index]
        return {
            "index": self.index,
            "total": len(self.exchanges),
            "speaker": "interviewer",
            "text": exchange.question.text,
            "closing": self.at_closing,
            "answered": len(self.answers),
        }

    def question_clip(self, index: int) -> Path:
        """The interviewer's line ``index`` as a 16 kHz WAV, synthesized on first use."""
        path = self.folder / f"question-{index}.wav"
        if not path.is_file():
            synthesize_turn(self.exchanges[index].question, path)
        return path

    def answer_path(self, index: int) -> Path:
        return self.folder / f"answer-{index}.wav"

    def simulate_answer(self) -> None:
        """Synthesize the simulated candidate's answer to the current line and advance."""
        answer = self.exchanges[self.index].answer
        assert answer is not None  # callers check at_closing first
        path = synthesize_turn(answer, self.answer_path(self.index))
        self._record(answer.text, path, answer.gap_before_sec)

    def microphone_answered(self, path: Path) -> None:
        """The converted microphone clip at ``path`` answers the current line; advance."""
        self._record(MICROPHONE_TEXT, path, _MIC_GAP_SEC)

    def _record(self, text: str, path: Path, gap: float) -> None:
        self.answers[self.index] = (text, path, gap)
        self.index += 1

    def mix_parts(self) -> list[ClipPart]:
        """Every line asked so far (the current one included) and every answer, in order."""
        parts: list[ClipPart] = []
        for index in range(self.index + 1):
            question = self.exchanges[index].question
            parts.append(
                ClipPart(
                    "interviewer", question.text, self.question_clip(index), question.gap_before_sec
                )
            )
            if index in self.answers:
                text, path, gap = self.answers[index]
                parts.append(ClipPart("candidate", text, path, gap))
        return parts


class LiveInterviews:
    """The registry of live interviews of one sandbox (``state.live``)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._live: dict[str, LiveInterview] = {}

    def get(
        self, session_id: str, role_name: str, language: str, settings: CandidatePageSettings
    ) -> LiveInterview:
        """The session's live interview, created at its first turn if there is none."""
        with self._lock:
            live = self._live.get(session_id)
            if live is None:
                folder = self._root / session_id
                folder.mkdir(parents=True, exist_ok=True)
                exchanges = build_exchanges(session_id, role_name, language, settings.questions)
                live = self._live[session_id] = LiveInterview(session_id, exchanges, folder)
            return live

    def drop(self, session_id: str) -> None:
        """Forget a finished interview and delete its clips."""
        with self._lock:
            live = self._live.pop(session_id, None)
        if live is not None:
            shutil.rmtree(live.folder, ignore_errors=True)
