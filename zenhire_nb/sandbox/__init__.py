"""Local stand-in for the ZenHire platform: the contract over HTTP, tenants, credits, the
signed completion webhook and an admin namespace to drive interviews.

Three ways to run it: ``zenhire-nb sandbox`` (see :func:`serve`), ``with Sandbox() as sb:``
in-process (options in :class:`SandboxSettings`), and the ``zenhire_sandbox`` /
``zenhire_tenant`` pytest fixtures.

Layout, by concern: ``api/`` (contract routes, auth, error envelope, schemas), ``store/``
(SQLite, tenants, personas, sessions, artifacts), ``core/`` (state, lifecycle, completion,
webhook signing and receiving, rate limits), ``candidate_page/``, ``simulation/`` (with the
simulator in ``simulation/interview/``), ``faults/`` and ``admin/`` (routes and the typed
helper). Here at the top: the :class:`Sandbox` class and its settings, the app factory, the
server and CLI, the pytest plugin and test helpers.
"""

from zenhire_nb.sandbox.admin import SandboxAdmin, SandboxAdminError, Tenant
from zenhire_nb.sandbox.app import create_app, sandbox_state, served_app
from zenhire_nb.sandbox.candidate_page import CandidatePageSettings
from zenhire_nb.sandbox.core.backend import (
    CompletionRequest,
    InterviewBackend,
    InterviewResult,
    PlaceholderBackend,
    SessionContext,
)
from zenhire_nb.sandbox.faults import FaultInjector, FaultRule
from zenhire_nb.sandbox.sandbox import Sandbox
from zenhire_nb.sandbox.server import serve
from zenhire_nb.sandbox.settings import SandboxSettings
from zenhire_nb.sandbox.simulation import SimulatedBackend, SimulationSettings
from zenhire_nb.sandbox.simulation.demo_cohort import DemoCohort

__all__ = [
    "CandidatePageSettings",
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
    "SandboxSettings",
    "SessionContext",
    "SimulatedBackend",
    "SimulationSettings",
    "Tenant",
    "create_app",
    "sandbox_state",
    "serve",
    "served_app",
]
