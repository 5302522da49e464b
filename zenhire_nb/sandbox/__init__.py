"""Local stand-in for the ZenHire platform: the contract over HTTP, tenants, credits, the
signed completion webhook and an admin namespace to drive interviews.

Three ways to run it: ``zenhire-nb sandbox`` (see :func:`serve`), ``with Sandbox() as sb:``
in-process, and the ``zenhire_sandbox`` / ``zenhire_tenant`` pytest fixtures.
"""

from zenhire_nb.sandbox.admin.client import SandboxAdmin, SandboxAdminError, Tenant
from zenhire_nb.sandbox.app import create_app, sandbox_state
from zenhire_nb.sandbox.core.backend import (
    CompletionRequest,
    InterviewBackend,
    InterviewResult,
    PlaceholderBackend,
    SessionContext,
)
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule
from zenhire_nb.sandbox.sandbox import Sandbox
from zenhire_nb.sandbox.server import serve
from zenhire_nb.sandbox.simulation.backend import SimulatedBackend, SimulationSettings
from zenhire_nb.sandbox.simulation.demo_cohort import DemoCohort

__all__ = [
    "CompletionRequest",
    "DemoCohort",
    "FaultInjector",
    "FaultRule",
    "InterviewBackend",
    "InterviewResult",
    "PlaceholderBackend",
    "Sandbox",
    "SandboxAdmin",
    "SandboxAdminError",
    "SessionContext",
    "SimulatedBackend",
    "SimulationSettings",
    "Tenant",
    "create_app",
    "sandbox_state",
    "serve",
]
