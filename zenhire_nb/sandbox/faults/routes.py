"""``GET/PUT /sandbox/faults``: read and replace a sandbox's fault rules (admin namespace).

PUT takes ``{"seed": int|null, "rules": [<rule object or text form>, ...]}`` and answers like
GET: ``{"seed", "rules": [<rule objects>], "injected": [{"requests": n, "<fault>": n}, ...]}``
(counts since the rules were last set). An empty list switches fault injection off.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, StrictInt

from zenhire_nb.sandbox.api.bodies import json_model
from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.core.state import SandboxState, require_admin
from zenhire_nb.sandbox.faults.rules import FaultInjector

__all__ = ["router"]

router = APIRouter(prefix="/sandbox", tags=["sandbox faults"])
AdminState = Annotated[SandboxState, Depends(require_admin)]


class FaultsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: StrictInt | None = None
    rules: list[dict[str, Any] | str] = []


def _injector(state: SandboxState) -> FaultInjector:
    """The sandbox's injector; 409 ``FAULTS_UNAVAILABLE`` if it was built without one."""
    injector = state.faults
    if injector is None:
        raise ApiError(
            "FAULTS_UNAVAILABLE", "This sandbox was built without fault injection.", status=409
        )
    return injector


@router.get("/faults")
def get_faults(state: AdminState) -> Any:
    return _injector(state).snapshot()


@router.put("/faults")
def put_faults(state: AdminState, body: Annotated[FaultsBody, json_model(FaultsBody)]) -> Any:
    injector = _injector(state)
    try:
        injector.configure(body.rules, body.seed)
    except ValueError as exc:
        raise invalid_input({"rules": str(exc)}) from None
    return injector.snapshot()
