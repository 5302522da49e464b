"""Simulating a stored session end to end, as ``POST /sandbox/sessions/{id}/simulate`` and the
demo cohort do: act for the candidate (start an ``initiated`` session, consent implied: the
caller is the operator rehearsing the flow, so an ``explicit`` session's consent gate counts as
accepted), then for the interview backend (the simulated interview, its ground truth, and the
signed completion webhook through the core)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.core.lifecycle import start_session
from zenhire_nb.sandbox.simulation.backend import (
    GroundTruthStore,
    SimulatedBackend,
    SimulationSettings,
)

if TYPE_CHECKING:  # the state imports the simulation package
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = ["session_or_404", "simulate_session"]


def session_or_404(state: SandboxState, session_id: str) -> sqlite3.Row:
    """The stored session ``session_id``; :class:`ApiError` 404 ``NOT_FOUND`` if unknown."""
    row = state.sessions.row(session_id)
    if row is None:
        raise ApiError("NOT_FOUND", f"Session {session_id} not found.", status=404)
    return row


def simulate_session(
    state: SandboxState,
    row: sqlite3.Row,
    settings: SimulationSettings,
    seed: int | str | None = None,
) -> dict[str, Any]:
    """Start ``row`` if needed, simulate it and deliver the webhook; the route's answer.

    ``seed`` None uses ``"<settings.seed>:<session sequence number>"``. Raises
    :class:`ApiError`: 409 ``SESSION_TERMINAL``, 410 ``LINK_EXPIRED``, 400 ``INVALID_INPUT``
    (options the simulator rejects). Side effects: the session's terminal state, its
    artifacts and ground truth, a ledger entry.
    """
    # Held from the status check to the webhook: a simulation racing another completion of
    # this session either runs first or finds it terminal afterwards, as if they were in turn.
    with state.completion.exclusive(row["id"]):
        return _simulate_exclusively(state, session_or_404(state, row["id"]), settings, seed)


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
    row = session_or_404(state, row["id"])
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
