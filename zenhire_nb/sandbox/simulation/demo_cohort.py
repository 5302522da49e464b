"""A demo cohort: personas of different roles and completed, simulated sessions to study.

:func:`seed_demo_cohort` works on a sandbox's state directly (no HTTP, so fault injection never
gets in its way) and is what ``zenhire-nb sandbox --demo-cohort N`` and ``Sandbox(demo_cohort=N)``
call. Each persona interviews a different kind of candidate (:data:`DEMO_PROFILES`), so the
cohorts differ measurably in answer length, speaking rate and hesitations. A share of the
interviews fails or times out, as real ones do; those come on top of the ``n`` completed ones.

The interviews are spread over the last weeks (``spread_days``): invited on different days,
started some hours after the invitation, finished after their length, so charts over time and
the link-to-start timings show a cohort as it grows, not one instant.

Reproducible: the same ``n``, settings and seed give the same transcripts and recordings (and
the same times relative to the moment of seeding).
Recordings are written straight to the artifact folder, one at a time (memory stays flat).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.simulation.interview import CandidateProfile
from zenhire_nb.sandbox.simulation.sessions import simulate_session

if TYPE_CHECKING:  # the state imports the simulation package
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = ["DEMO_PERSONAS", "DEMO_PROFILES", "DEMO_SPREAD_DAYS", "DemoCohort", "seed_demo_cohort"]

# (role, language, cohort profile name): one persona each.
DEMO_PERSONAS = (
    ("Data Analyst", "en", "steady"),
    ("Software Engineer", "en-GB", "concise"),
    ("Customer Support", "en", "nervous"),
    ("Sales Representative", "en", "verbose"),
)
DEMO_PROFILES = {
    "steady": CandidateProfile(),
    "concise": CandidateProfile(
        mean_answer_words=32,
        mean_rate_wpm=178,
        hesitation_rate=0.01,
        restart_rate=0.03,
        pause_mean_sec=0.3,
        follow_up_rate=0.3,
    ),
    "nervous": CandidateProfile(
        mean_answer_words=45,
        mean_rate_wpm=138,
        hesitation_rate=0.09,
        restart_rate=0.2,
        pause_mean_sec=0.8,
        response_delay_sec=1.6,
    ),
    "verbose": CandidateProfile(
        mean_answer_words=85,
        mean_rate_wpm=168,
        hesitation_rate=0.04,
        answer_words_spread=0.5,
        follow_up_rate=0.7,
    ),
}
DEMO_FAILURE_RATE = 0.08
DEMO_TIMEOUT_RATE = 0.03
DEMO_SPREAD_DAYS = 28.0
_DAY_SEC = 86_400.0


@dataclass
class DemoCohort:
    """What was seeded: persona ids, and session ids by outcome."""

    persona_ids: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def seed_demo_cohort(
    state: SandboxState,
    client_id: str,
    n: int,
    *,
    settings: SimulationSettings | None = None,
    target_minutes: float | None = None,
    failure_rate: float = DEMO_FAILURE_RATE,
    timeout_rate: float = DEMO_TIMEOUT_RATE,
    spread_days: float = DEMO_SPREAD_DAYS,
    progress: Callable[[str], None] | None = None,
) -> DemoCohort:
    """Create the demo personas and simulate sessions until ``n`` completed, for ``client_id``.

    ``settings`` gives the seed, audio format, transcript shape and mistake rate (default:
    :class:`SimulationSettings`); ``target_minutes`` the interview length (None: the bank
    decides, 3-6 minutes); failure/timeout rates apply per session. ``spread_days``: the
    sessions' invitations are spread over that many days before now (0: all now).
    ``progress`` receives one line per session. Raises ``ValueError`` for ``n < 0``, a
    negative ``spread_days`` or bad rates; ``RuntimeError`` if ``n`` completions do not come
    within ``3 * n + 10`` attempts (rates near 1).
    Side effects: personas, sessions, artifacts, ground truth, ledger charges.
    """
    if n < 0:
        raise ValueError(f"demo cohort size must be >= 0, got {n}")
    if not (math.isfinite(spread_days) and spread_days >= 0):
        raise ValueError(f"spread_days must be a finite number >= 0, got {spread_days!r}")
    base = (settings or SimulationSettings()).with_options(
        failure_rate=failure_rate, timeout_rate=timeout_rate, target_minutes=target_minutes
    )
    cohort = DemoCohort()
    personas = [_persona(state, client_id, role, language) for role, language, _ in DEMO_PERSONAS]
    cohort.persona_ids = personas
    say = progress or (lambda line: None)
    seeded: list[str] = []
    for attempt in itertools.count():
        if len(cohort.completed) >= n:
            break
        if attempt >= 3 * n + 10:
            raise RuntimeError(
                f"demo cohort: only {len(cohort.completed)} of {n} interviews "
                f"completed in {attempt} attempts; lower the failure rates"
            )
        slot = attempt % len(DEMO_PERSONAS)
        session_id, status = _one_session(state, client_id, personas[slot], slot, attempt, base)
        (cohort.completed if status == "completed" else cohort.failed).append(session_id)
        seeded.append(session_id)
        say(
            f"demo cohort: {len(cohort.completed)}/{n} completed, {len(cohort.failed)} failed "
            f"({DEMO_PERSONAS[slot][0]}, {DEMO_PERSONAS[slot][2]})"
        )
    if spread_days > 0 and seeded:
        _spread_over_days(state, cohort.persona_ids, seeded, spread_days, f"{base.seed}")
    return cohort


def _spread_over_days(
    state: SandboxState, persona_ids: list[str], session_ids: list[str], days: float, seed: str
) -> None:
    """Back-date the seeded sessions (in creation order) over ``days`` before now.

    Invitations fall evenly over the first 90% of the window, with jitter, in the order the
    sessions were made (the platform lists by creation, so the order must agree); a candidate
    starts a log-normal delay later (median 5 hours, at most 6% of the window) and the
    interview ends its length after that, plus a minute of processing. Everything ends before
    now.
    """
    rng = random.Random(f"demo-times:{seed}")
    now = state.clock()
    window = days * _DAY_SEC
    start = now - window
    for persona_id in persona_ids:
        state.personas.backdate(persona_id, start - 0.05 * window)
    slot = 0.9 * window / len(session_ids)
    for index, session_id in enumerate(session_ids):
        row = state.sessions.row(session_id)
        assert row is not None
        created = start + slot * (index + rng.uniform(0.05, 0.95))
        delay = min(rng.lognormvariate(math.log(5 * 3600), 0.9), 0.06 * window)
        started = created + delay if row["started_at"] is not None else None
        completed = None
        if started is not None and row["completed_at"] is not None:
            completed = started + float(row["duration_sec"] or 0) + rng.uniform(20, 90)
        state.sessions.backdate(
            session_id, created_ts=created, started_ts=started, completed_ts=completed
        )


def _persona(state: SandboxState, client_id: str, role: str, language: str) -> str:
    created = state.personas.create(
        client_id, role_name=role, language=language, system_prompt=None, base_prompt_override=None
    )
    return str(created["id"])


def _one_session(
    state: SandboxState,
    client_id: str,
    persona_id: str,
    slot: int,
    index: int,
    base: SimulationSettings,
) -> tuple[str, str]:
    """Create and simulate one session; returns ``(session_id, status)``."""
    profile_name = DEMO_PERSONAS[slot][2]
    session_id, _token = state.sessions.create(
        client_id,
        persona_id,
        consent_mode=("explicit", "integrator")[index % 2],
        candidate_ref=f"demo-{index + 1:04d}",
        tags=["demo", profile_name],
        metadata={"cohort": profile_name, "demo_index": index + 1},
    )
    row = state.sessions.row(session_id)
    assert row is not None
    settings = base.with_options(profile=DEMO_PROFILES[profile_name])
    answer = simulate_session(state, row, settings, seed=f"demo:{base.seed}:{index}")
    return session_id, str(answer["status"])
