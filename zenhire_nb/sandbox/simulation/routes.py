"""Admin routes of simulated interviews (not part of the contract).

``POST /sandbox/sessions/{id}/simulate`` plays a whole interview (see
:func:`~.sessions.simulate_session`), with the sandbox's simulation defaults overridden by the
body. ``GET /sandbox/sessions/{id}/ground-truth`` returns what really happened.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from zenhire_nb.sandbox.api.bodies import json_model
from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.core.state import SandboxState, require_admin
from zenhire_nb.sandbox.simulation.backend import GroundTruthStore, SimulationSettings
from zenhire_nb.sandbox.simulation.interview import CandidateProfile
from zenhire_nb.sandbox.simulation.sessions import session_or_404, simulate_session

__all__ = ["router"]

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
    """The sandbox's defaults with the body's options; a rejected one is 400 naming it."""
    options = body.model_dump(exclude={"seed", "profile"})
    try:
        return state.simulation.with_options(**options, profile=_profile(body.profile))
    except ValueError as exc:
        field = next((name for name in options if name in str(exc)), "body")
        raise invalid_input({field: str(exc)}) from None


@router.post("/{session_id}/simulate")
def simulate(
    session_id: str,
    state: AdminState,
    body: Annotated[SimulateBody | None, json_model(SimulateBody, optional=True)],
) -> Any:
    body = body or SimulateBody()
    settings = _settings(state, body)
    return simulate_session(state, session_or_404(state, session_id), settings, body.seed)


@router.get("/{session_id}/ground-truth")
def ground_truth(session_id: str, state: AdminState) -> Any:
    row = session_or_404(state, session_id)
    path = GroundTruthStore(state.artifacts).path(session_id)
    if path is None:
        raise ApiError(
            "GROUND_TRUTH_UNAVAILABLE",
            f"Session {session_id} was not simulated: no ground truth.",
            status=409,
            details={"status": row["status"]},
        )
    return json.loads(path.read_text(encoding="utf-8"))
