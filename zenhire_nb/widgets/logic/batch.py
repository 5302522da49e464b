"""A batch of sessions for one persona: what it needs before it starts, and starting it.

::

    plan = plan_batch(client, persona_id, candidates, consent_mode="explicit", tags=["wave-3"])
    plan.balance, plan.needed, plan.open_sessions, plan.warnings()
    batch = Batch(client, plan)
    batch.start().wait()          # or run in the background; batch.rows() for the table

Nobody is invited twice: the candidate list holds each reference once, a started or ambiguous
candidate is never started again by ``retry()``, and an ambiguous failure (the request was sent,
then the connection broke) is reported with what to check instead of being repeated.
Candidate links are kept only in this object (``link(session_id)``), never in ``rows()``.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zenhire_nb.client import Client
from zenhire_nb.contract import SessionCreated
from zenhire_nb.contract.limits import Limits
from zenhire_nb.contract.models import mask_candidate_link
from zenhire_nb.widgets.logic.candidates import Candidate, CandidateList
from zenhire_nb.widgets.logic.messages import describe_error, is_ambiguous
from zenhire_nb.widgets.logic.tasks import TaskRun

__all__ = ["Batch", "BatchPlan", "CONSENT_MODES", "plan_batch"]

CONSENT_MODES = ("explicit", "integrator")
_OPEN = ("initiated", "active")


@dataclass(frozen=True)
class BatchPlan:
    """What starting the batch means, checked against the platform before anything starts."""

    persona_id: str
    consent_mode: str
    candidates: CandidateList
    tags: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    balance: int = 0
    open_sessions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.candidates)

    @property
    def needed(self) -> int:
        """Credits the platform wants on the balance to start them all (its minimum each)."""
        return self.count * Limits.MIN_BALANCE_TO_START

    @property
    def enough_credits(self) -> bool:
        return self.balance >= self.needed

    def warnings(self) -> list[str]:
        """Plain-words problems to show before starting (none means all clear)."""
        notes = []
        if not self.enough_credits:
            notes.append(
                f"The balance ({self.balance} credits) is below what {self.count} sessions need "
                f"to start ({self.needed}: {Limits.MIN_BALANCE_TO_START} each); later ones will "
                "fail with 'not enough credits'."
            )
        for ref, ids in self.open_sessions.items():
            notes.append(
                f"Candidate {ref!r} already has an open session for this persona "
                f"({', '.join(ids)}); starting creates a second invitation."
            )
        if self.candidates.duplicates:
            repeated = ", ".join(map(repr, self.candidates.duplicates))
            notes.append(f"Listed more than once, invited once: {repeated}.")
        return notes

    def summary(self) -> str:
        return (
            f"{self.count} session(s) will start; balance {self.balance} credits, "
            f"needed to start {self.needed} ({Limits.MIN_BALANCE_TO_START} per session)."
        )


def plan_batch(
    client: Client,
    persona_id: str,
    candidates: CandidateList,
    *,
    consent_mode: str,
    tags: Sequence[str] = (),
    metadata: Mapping[str, Any] | None = None,
) -> BatchPlan:
    """Check the batch against the platform: balance and open sessions of these candidates.

    Raises:
        ValueError: no persona, no candidate, or an unknown consent mode (naming it).
        ZenHireError: the balance or the session list could not be read.
    """
    if not persona_id:
        raise ValueError("choose a persona (or create one) first")
    if consent_mode not in CONSENT_MODES:
        raise ValueError(f"consent mode must be one of {CONSENT_MODES}, got {consent_mode!r}")
    if not len(candidates):
        raise ValueError("enter at least one candidate reference")
    wanted = set(candidates.refs)
    open_sessions: dict[str, list[str]] = {}
    for status in _OPEN:
        for summary in client.sessions.list(persona_id=persona_id, status=status, page_size=100):
            if summary.candidate_ref in wanted:
                open_sessions.setdefault(summary.candidate_ref, []).append(summary.id)
    return BatchPlan(
        persona_id=persona_id,
        consent_mode=consent_mode,
        candidates=candidates,
        tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())),
        metadata=dict(metadata or {}),
        balance=client.credits().balance,
        open_sessions={ref: tuple(ids) for ref, ids in open_sessions.items()},
    )


@dataclass
class _Row:
    candidate: Candidate
    state: str = "waiting"  # waiting, started, failed, unsure, skipped
    session_id: str | None = None
    message: str = ""


class Batch:
    """Start the sessions of a :class:`BatchPlan` (bounded concurrency, in the background)."""

    def __init__(self, client: Client, plan: BatchPlan, *, max_workers: int = 4) -> None:
        self._client = client
        self.plan = plan
        self.max_workers = max_workers
        self._rows = {c.ref: _Row(c) for c in plan.candidates.candidates}
        self._links: dict[str, str] = {}  # session id -> candidate link (secret)
        self._lock = threading.Lock()
        self.run: TaskRun | None = None

    def __repr__(self) -> str:
        return f"Batch(persona_id={self.plan.persona_id!r}, candidates={len(self._rows)})"

    def start(self, on_update: Any = None) -> TaskRun:
        """Start every waiting candidate in the background; returns the run (cancel, wait)."""
        return self._launch(self._startable(("waiting",)), on_update)

    def retry(self, on_update: Any = None) -> TaskRun:
        """Start again the candidates whose start definitely failed or was skipped.

        Unsure ones (the request may have reached the platform) are left alone: check them
        in the results browser first.
        """
        return self._launch(self._startable(("failed", "skipped")), on_update)

    def _startable(self, states: tuple[str, ...]) -> list[str]:
        return [ref for ref, row in self._rows.items() if row.state in states]

    def _launch(self, refs: list[str], on_update: Any) -> TaskRun:
        if self.run is not None and not self.run.finished:
            raise RuntimeError("this batch is still starting sessions; wait or cancel first")
        self.run = TaskRun(refs, self._start_one, max_workers=self.max_workers)
        self.run.on_update = lambda run: self._after(run, on_update)
        return self.run.start()

    def _after(self, run: TaskRun, on_update: Any) -> None:
        if run.finished:
            for ref in run.skipped:
                self._set(ref, state="skipped", message="cancelled before it started")
        if on_update is not None:
            on_update(self)

    def _start_one(self, ref: str) -> str:
        candidate = self._rows[ref].candidate
        tags = list(dict.fromkeys([*self.plan.tags, *candidate.tags])) or None
        metadata = {**self.plan.metadata, **candidate.metadata} or None
        try:
            created: SessionCreated = self._client.sessions.create(
                self.plan.persona_id,
                consent_mode=self.plan.consent_mode,
                candidate_ref=ref,
                metadata=metadata,
                tags=tags,
            )
        except Exception as error:
            state = "unsure" if is_ambiguous(error) else "failed"
            self._set(ref, state=state, message=describe_error(error))
            raise
        with self._lock:
            self._links[created.id] = created.candidate_link
        self._set(ref, state="started", session_id=created.id, message="")
        return created.id

    def _set(self, ref: str, **values: Any) -> None:
        with self._lock:
            for name, value in values.items():
                setattr(self._rows[ref], name, value)

    # -- the results table -------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """One plain row per candidate: ref, state, session id, masked link, message."""
        with self._lock:
            return [
                {
                    "candidate_ref": ref,
                    "state": row.state,
                    "session_id": row.session_id,
                    "link": mask_candidate_link(self._links[row.session_id])
                    if row.session_id in self._links
                    else "",
                    "message": row.message,
                }
                for ref, row in self._rows.items()
            ]

    def link(self, session_id: str) -> str:
        """The candidate link of a session this batch started (secret: show on request only).

        Raises:
            KeyError: the batch did not start that session.
        """
        with self._lock:
            if session_id not in self._links:
                raise KeyError(f"session {session_id!r} was not started by this batch")
            return self._links[session_id]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows():
            counts[row["state"]] = counts.get(row["state"], 0) + 1
        return counts

    def csv_text(self) -> str:
        """candidate_ref, session_id, candidate_link, state, message (contains the links)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["candidate_ref", "session_id", "candidate_link", "state", "message"])
        with self._lock:
            for ref, row in self._rows.items():
                link = self._links.get(row.session_id or "", "")
                writer.writerow([ref, row.session_id or "", link, row.state, row.message])
        return buffer.getvalue()
