"""Wiring the simulated interview backend and fault injection into a sandbox app.

Shared by :class:`~zenhire_nb.sandbox.Sandbox` and :func:`~zenhire_nb.sandbox.serve`, so both
offer the same admin routes and the same options.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from zenhire_nb.sandbox.app import sandbox_state
from zenhire_nb.sandbox.faults import routes as _faults_routes
from zenhire_nb.sandbox.faults.middleware import FaultInjectingApp
from zenhire_nb.sandbox.faults.rules import FaultInjector
from zenhire_nb.sandbox.simulation import routes as _simulation_routes
from zenhire_nb.sandbox.simulation.backend import SimulationSettings

__all__ = ["install_extensions"]


def install_extensions(
    app: FastAPI, *, simulation: SimulationSettings, faults: FaultInjector
) -> ASGIApp:
    """Add the simulate/ground-truth and faults admin routes to ``app`` and remember the
    settings in its state; returns the ASGI app to serve (``app`` behind the fault layer)."""
    state = sandbox_state(app)
    state.extensions[_simulation_routes.SIMULATION_EXTENSION] = simulation
    state.extensions[_faults_routes.FAULTS_EXTENSION] = faults
    app.include_router(_simulation_routes.router, include_in_schema=False)
    app.include_router(_faults_routes.router, include_in_schema=False)
    return FaultInjectingApp(app, faults)
