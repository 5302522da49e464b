"""Local stand-in for the ZenHire platform: the contract over HTTP, tenants, credits, the
signed completion webhook and an admin namespace to drive interviews.

Three ways to run it: ``zenhire-nb sandbox`` (see :func:`serve`), ``with Sandbox() as sb:``
in-process, and the ``zenhire_sandbox`` / ``zenhire_tenant`` pytest fixtures.
"""

from zenhire_nb.sandbox._runner import Sandbox
from zenhire_nb.sandbox.admin import SandboxAdmin, SandboxAdminError, Tenant
from zenhire_nb.sandbox.app import create_app, sandbox_state
from zenhire_nb.sandbox.backend import (
    CompletionRequest,
    InterviewBackend,
    InterviewResult,
    PlaceholderBackend,
    SessionContext,
)
from zenhire_nb.sandbox.server import serve

__all__ = [
    "CompletionRequest",
    "InterviewBackend",
    "InterviewResult",
    "PlaceholderBackend",
    "Sandbox",
    "SandboxAdmin",
    "SandboxAdminError",
    "SessionContext",
    "Tenant",
    "create_app",
    "sandbox_state",
    "serve",
]
