"""Everything one sandbox app holds, reachable from any route as ``request.app.state.sandbox``.

Every first-party part has a typed field here: the store, the completion machinery, the
simulation defaults, the fault injector, and the candidate page's settings, live interviews and
concurrency gate. Routes take what they need through :func:`get_state`.
"""

from __future__ import annotations

import hmac
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from zenhire_nb.sandbox.api.errors import ApiError
from zenhire_nb.sandbox.candidate_page.gate import ConcurrencyGate
from zenhire_nb.sandbox.candidate_page.live import CandidatePageSettings, LiveInterviews
from zenhire_nb.sandbox.core.backend import InterviewBackend
from zenhire_nb.sandbox.core.completion import Completion
from zenhire_nb.sandbox.core.rate_limit import RateLimiter
from zenhire_nb.sandbox.core.webhook_receiver import WebhookReceiver
from zenhire_nb.sandbox.faults.rules import FaultInjector
from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.store.artifacts import ArtifactStore
from zenhire_nb.sandbox.store.database import Database
from zenhire_nb.sandbox.store.personas import Personas
from zenhire_nb.sandbox.store.sessions import Sessions
from zenhire_nb.sandbox.store.tenants import Tenants

__all__ = ["SandboxState", "get_state", "open_state", "require_admin"]

ADMIN_HEADER = "X-Sandbox-Admin-Token"


@dataclass
class SandboxState:
    """The parts of one sandbox. ``simulation`` holds the defaults of simulated interviews
    (and the transcript shape of candidate-page interviews); ``faults`` is None when the app
    was built without fault injection; ``live`` and ``gate`` are the candidate page's running
    interviews and its per-tenant concurrency cap, ``candidate_page`` its options."""

    db: Database
    artifacts: ArtifactStore
    tenants: Tenants
    personas: Personas
    sessions: Sessions
    receiver: WebhookReceiver
    completion: Completion
    limiter: RateLimiter
    admin_token: str
    webhook_secret: str
    clock: Callable[[], float]
    live: LiveInterviews
    public_base_url: str | None = None
    simulation: SimulationSettings = field(default_factory=SimulationSettings)
    faults: FaultInjector | None = None
    candidate_page: CandidatePageSettings = field(default_factory=CandidatePageSettings)
    gate: ConcurrencyGate = field(default_factory=ConcurrencyGate)
    _temp: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        """Close the database and remove a temporary artifact folder (in-memory sandboxes)."""
        self.db.close()
        if self._temp is not None:
            self._temp.cleanup()


def open_state(
    *,
    db: str | Path | None,
    admin_token: str,
    webhook_secret: str,
    clock: Callable[[], float],
    backend: InterviewBackend,
    rate_limit_per_minute: int,
    public_base_url: str | None,
    simulation: SimulationSettings | None = None,
    faults: FaultInjector | None = None,
    candidate_page: CandidatePageSettings | None = None,
) -> SandboxState:
    """Open (or create) the database and artifact folder, and wire the parts together.

    ``db=None`` keeps the database in memory and the artifacts in a temporary folder that
    :meth:`SandboxState.close` removes; a path keeps both (``<db>.artifacts/``) across runs.
    ``simulation`` and ``candidate_page`` None mean their defaults.
    """
    temp = None
    if db is None:
        temp = tempfile.TemporaryDirectory(prefix="zenhire-sandbox-")
        database, root = Database(":memory:"), Path(temp.name)
    else:
        database, root = Database(db), Path(f"{db}.artifacts")
    artifacts = ArtifactStore(root)
    tenants = Tenants(database, clock)
    sessions = Sessions(database, clock)
    receiver = WebhookReceiver(database, tenants, sessions, artifacts, webhook_secret, clock)
    return SandboxState(
        db=database,
        artifacts=artifacts,
        tenants=tenants,
        personas=Personas(database, clock),
        sessions=sessions,
        receiver=receiver,
        completion=Completion(artifacts, receiver, webhook_secret, clock, backend),
        limiter=RateLimiter(rate_limit_per_minute, clock),
        admin_token=admin_token,
        webhook_secret=webhook_secret,
        clock=clock,
        live=LiveInterviews(artifacts.root / "live"),
        public_base_url=public_base_url,
        simulation=simulation or SimulationSettings(),
        faults=faults,
        candidate_page=candidate_page or CandidatePageSettings(),
        _temp=temp,
    )


def get_state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def require_admin(request: Request) -> SandboxState:
    """Dependency of admin routes: the admin token header must match (constant time)."""
    state = get_state(request)
    given = request.headers.get(ADMIN_HEADER, "")
    if not hmac.compare_digest(given.encode(), state.admin_token.encode()):
        raise ApiError("ADMIN_TOKEN_INVALID", f"{ADMIN_HEADER} missing or wrong.", status=401)
    return state
