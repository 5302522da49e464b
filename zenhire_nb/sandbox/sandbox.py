"""The in-process sandbox: ``with Sandbox() as sb:`` serves the platform from a background
thread on a free port of 127.0.0.1 until the block ends, then shuts uvicorn down, closes the
database and (in memory) deletes the artifact folder.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn

from zenhire_nb.sandbox.admin.client import SandboxAdmin, Tenant
from zenhire_nb.sandbox.api.wire import server_config
from zenhire_nb.sandbox.app import create_app, sandbox_state, served_app
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule
from zenhire_nb.sandbox.server import bind_socket
from zenhire_nb.sandbox.settings import SandboxSettings
from zenhire_nb.sandbox.simulation.demo_cohort import DemoCohort, seed_demo_cohort

if TYPE_CHECKING:  # the client is imported only when asked for (see client())
    from zenhire_nb.client import Client

__all__ = ["Sandbox"]

_START_TIMEOUT_SEC = 15.0


class Sandbox:
    """A sandbox platform served from a background thread.

    ``Sandbox(settings)`` runs with a :class:`SandboxSettings`; keywords are shortcuts for its
    fields and for those of :class:`SimulationSettings` (``Sandbox(credits=500,
    transcript_shape="turns", mistake_rate=0.1)``), applied on top of ``settings`` when both
    are given. ``.settings`` holds the result, ``.simulation`` its simulation defaults and
    ``.faults`` the live fault injector (see :meth:`set_faults`).

    Raises ``TypeError`` for an unknown keyword, ``ValueError`` naming the option for a bad
    value (both before anything is opened).
    """

    def __init__(self, settings: SandboxSettings | None = None, /, **options: Any) -> None:
        self.settings = SandboxSettings.resolve(settings, options)
        self.simulation = self.settings.simulation
        self.faults = FaultInjector(self.settings.faults, self.settings.fault_seed)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._admin: SandboxAdmin | None = None
        self.demo: DemoCohort | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._server else "stopped"
        return f"Sandbox({where})"

    def start(self) -> Sandbox:
        """Open the store and serve; returns once requests are answered. Idempotent."""
        if self._server is not None:
            return self
        settings = self.settings
        self.app = create_app(
            db=settings.db,
            admin_token=settings.admin_token,
            webhook_secret=settings.webhook_secret,
            clock=settings.clock,
            backend=settings.backend,
            rate_limit_per_minute=settings.rate_limit_per_minute,
            public_base_url=settings.public_base_url,
            simulation=settings.simulation,
            faults=self.faults,
            candidate_page=settings.candidate_page,
            extra_routers=settings.extra_routers,
            plugins=settings.plugins,
        )
        self.state = sandbox_state(self.app)
        try:
            # The port first: a busy one fails fast, before a demo cohort is generated.
            sock = bind_socket(settings.host, settings.port)
        except BaseException:
            self.state.close()  # else a temporary artifact folder would outlive the error
            raise
        self.port = sock.getsockname()[1]
        try:
            self.client_id, self.api_key = self.state.tenants.ensure_default(
                settings.api_key, settings.credits
            )
            if settings.demo_cohort:
                self.demo = self.seed_demo_cohort(
                    settings.demo_cohort, target_minutes=settings.demo_minutes, progress=print
                )
        except BaseException:
            sock.close()
            self.state.close()
            raise
        config = server_config(served_app(self.app), log_level=settings.log_level)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"zenhire-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._wait_started(sock)
        return self

    def _wait_started(self, sock: socket.socket) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_SEC
        assert self._server is not None and self._thread is not None
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                self.stop()
                raise RuntimeError(f"sandbox did not start on {self.settings.host}:{self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Shut uvicorn down, close the database, delete a temporary artifact folder."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._server is not None:
            self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=_START_TIMEOUT_SEC)
            self._server = None
            self.state.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The platform origin, e.g. ``http://127.0.0.1:54321``."""
        host = self.settings.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def admin_token(self) -> str:
        return self.state.admin_token

    @property
    def webhook_secret(self) -> str:
        """The completion webhook's HMAC secret (tests sign deliveries with it)."""
        return self.state.webhook_secret

    @property
    def admin(self) -> SandboxAdmin:
        if self._admin is None:
            self._admin = SandboxAdmin(self.base_url, self.admin_token)
        return self._admin

    @property
    def default_tenant(self) -> Tenant:
        return Tenant(self.client_id, self.api_key, self.base_url)

    def new_tenant(self, **kwargs: Any) -> Tenant:
        """A fresh tenant (see :meth:`SandboxAdmin.create_client` for the options)."""
        return self.admin.create_client(**kwargs)

    def client(self, **kwargs: Any) -> Client:
        """A :class:`zenhire_nb.client.Client` bound to the default tenant (``kwargs`` go to
        its constructor)."""
        return self.default_tenant.client(**kwargs)

    def seed_demo_cohort(self, n: int, **options: Any) -> DemoCohort:
        """Seed demo personas and ``n`` completed sessions for the default tenant (see
        :func:`~.simulation.demo_cohort.seed_demo_cohort` for ``options``). Needs a
        started sandbox; blocks while the interviews are generated."""
        if not hasattr(self, "state"):
            raise RuntimeError("start the sandbox before seeding a demo cohort")
        return seed_demo_cohort(self.state, self.client_id, n, settings=self.simulation, **options)

    def set_faults(
        self, rules: Sequence[FaultRule | str | dict[str, Any]], seed: int | None = None
    ) -> None:
        """Replace the fault rules (restarting their random streams from ``seed``); an empty
        list switches fault injection off. Raises ``ValueError`` for a bad rule."""
        self.faults.configure(rules, seed)
