"""Admin routes of the simulated interview backend (not part of the contract).

``POST /sandbox/sessions/{id}/simulate`` plays a whole interview: it acts for the candidate
(starting an ``initiated`` session, consent implied: the caller is the operator rehearsing the
flow, so an ``explicit`` session's consent gate counts as accepted) and for the interview
backend (the simulated interview, then the signed completion webhook). ``GET
/sandbox/sessions/{id}/ground-truth`` returns what really happened.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.core.lifecycle import start_session
from zenhire_nb.sandbox.core.state import SandboxState, require_admin
from zenhire_nb.sandbox.simulation.backend import (
    GroundTruthStore,
    SimulatedBackend,
    SimulationSettings,
)
from zenhire_nb.sandbox.simulation.interview import CandidateProfile

__all__ = ["SIMULATION_EXTENSION", "router", "settings_of"]

SIMULATION_EXTENSION = "simulation"
router = APIRouter(prefix="/sandbox/sessions", tags=["sandbox simulation"])
AdminState = Annotated[SandboxState, Depends(require_admin)]


class SimulateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: StrictInt | StrictStr | None = None
    target_minutes: float | None = Field(default=None, gt=0, le=90)
    mistake_rate: float | None = Field(default=None, ge=0, le=1)
    failure_rate: float | None = Field(default=None, ge=0, le=1)
    timeout_rate: float | None = Field(default=None, ge=0, le=1)
    feedback_rate: float | None = Field(default=None, ge=0, le=1)
    sample_rate: int | None = Field(default=None, ge=8000, le=48000)
    channels: Literal[1, 2] | None = None
    transcript_shape: str | None = None
    outcome: Literal["completed", "failed", "timeout"] | None = None
    profile: dict[str, float] | None = None


def settings_of(state: SandboxState) -> SimulationSettings:
    """The sandbox's simulation defaults (plain defaults if none were installed)."""
    settings = state.extensions.get(SIMULATION_EXTENSION)
    return settings if isinstance(settings, SimulationSettings) else SimulationSettings()


def _session_or_404(state: SandboxState, session_id: str) -> sqlite3.Row:
    row = state.sessions.row(session_id)
    if row is None:
        raise ApiError("NOT_FOUND", f"Session {session_id} not found.", status=404)
    return row


def _profile(fields: dict[str, float] | None) -> CandidateProfile | None:
    if fields is None:
        return None
    try:
        return CandidateProfile(**fields)
    except TypeError as exc:
        raise invalid_input({"profile": str(exc)}) from None
    except ValueError as exc:
        raise invalid_input({"profile": str(exc)}) from None


def _settings(state: SandboxState, body: SimulateBody) -> SimulationSettings:
    options = body.model_dump(exclude={"seed", "profile"})
    try:
        return settings_of(state).with_options(**options, profile=_profile(body.profile))
    except ValueError as exc:
        field = next((name for name in options if name in str(exc)), "body")
        raise invalid_input({field: str(exc)}) from None


def simulate_session(
    state: SandboxState,
    row: sqlite3.Row,
    settings: SimulationSettings,
    seed: int | str | None = None,
) -> dict[str, Any]:
    """Start ``row`` if needed, simulate it and deliver the webhook; the route's answer.

    Raises :class:`ApiError`: 409 ``SESSION_TERMINAL``, 410 ``LINK_EXPIRED``, 400
    ``INVALID_INPUT`` (options the simulator rejects). Side effects: the session's terminal
    state, its artifacts and ground truth, a ledger entry.
    """
    # Held from the status check to the webhook: a simulation racing another completion of
    # this session either runs first or finds it terminal afterwards, as if they were in turn.
    with state.completion.exclusive(row["id"]):
        return _simulate_exclusively(state, _session_or_404(state, row["id"]), settings, seed)


def _simulate_exclusively(
    state: SandboxState, row: sqlite3.Row, settings: SimulationSettings, seed: int | str | None
) -> dict[str, Any]:
    if row["status"] == "initiated":
        start_session(state, row, consent=True)
    elif row["status"] != "active":
        raise ApiError(
            "SESSION_TERMINAL",
            f"Session {row['id']} is {row['status']}.",
            status=409,
            details={"status": row["status"]},
        )
    row = _session_or_404(state, row["id"])
    seed = seed if seed is not None else f"{settings.seed}:{row['seq']}"
    backend = SimulatedBackend(settings, seed=seed, ground_truth=GroundTruthStore(state.artifacts))
    try:
        answer = state.completion.complete(row, duration_sec=0, backend=backend)
    except ValueError as exc:
        raise invalid_input({"body": str(exc)}) from None
    last = backend.last
    return {
        "session_id": row["id"],
        **answer,
        "seed": seed,
        "outcome": last.outcome if last else None,
        "duration_sec": last.duration_sec if last else None,
        "error_code": last.error_code if last else None,
    }


@router.post("/{session_id}/simulate")
def simulate(session_id: str, state: AdminState, body: SimulateBody | None = None) -> Any:
    body = body or SimulateBody()
    settings = _settings(state, body)
    return simulate_session(state, _session_or_404(state, session_id), settings, body.seed)


@router.get("/{session_id}/ground-truth")
def ground_truth(session_id: str, state: AdminState) -> Any:
    row = _session_or_404(state, session_id)
    path = GroundTruthStore(state.artifacts).path(session_id)
    if path is None:
        raise ApiError(
            "GROUND_TRUTH_UNAVAILABLE",
            f"Session {session_id} was not simulated: no ground truth.",
            status=409,
            details={"status": row["status"]},
        )
    return json.loads(path.read_text(encoding="utf-8"))
