"""Running a sandbox: the default tenant, and uvicorn in a background thread.

:class:`Sandbox` is the in-process way to start the platform: ``with Sandbox() as sb:``
serves on a free port of 127.0.0.1 until the block ends, then shuts uvicorn down, closes the
database and (in memory) deletes the artifact folder.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import APIRouter

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.admin.client import SandboxAdmin, Tenant
from zenhire_nb.sandbox.app import Plugin, create_app, sandbox_state, served_app
from zenhire_nb.sandbox.core.backend import InterviewBackend
from zenhire_nb.sandbox.core.state import SandboxState
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule
from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.simulation.demo_cohort import DemoCohort, seed_demo_cohort
from zenhire_nb.sandbox.store.tenants import new_api_key

__all__ = ["Sandbox", "bind_socket", "ensure_default_tenant"]

_START_TIMEOUT_SEC = 15.0


def ensure_default_tenant(
    state: SandboxState, api_key: str | None, credits: int
) -> tuple[str, str]:
    """The default tenant's ``(client_id, api_key)``, creating the tenant on first use.

    ``credits`` is the opening balance of a new database; a reopened one keeps its balance.
    ``api_key`` is registered if given; otherwise a new key is minted (only hashes are stored,
    so an earlier run's key cannot be shown again, though it still works).
    """
    client_id = state.tenants.default_client_id()
    if client_id is None:
        client_id = state.tenants.create(name="default", credits=credits, is_default=True)
    key = api_key or new_api_key()
    state.tenants.add_key(client_id, key)
    return client_id, key


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket (``port=0``: a free one), so the port is known up front.

    Raises ``OSError`` naming ``host:port`` (the bare errno message does not say which).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise OSError(
            exc.errno,
            f"cannot listen on {host}:{port}: {reason} "
            "(choose another port, or port=0 for any free one)",
        ) from exc
    return sock


class Sandbox:
    """A sandbox platform served from a background thread.

    ``db=None`` keeps everything in memory (artifacts in a temporary folder, removed on stop);
    a path persists across runs (artifacts in ``<db>.artifacts/``). ``credits`` is the default
    tenant's opening balance.

    Simulated interviews (``POST /sandbox/sessions/{id}/simulate``, ``admin.simulate``) use
    ``seed``, ``mistake_rate``, ``failure_rate``, ``timeout_rate``, ``feedback_rate``,
    ``sample_rate`` (Hz), ``channels`` (1 or 2) and ``transcript_shape`` (array, turns,
    segments, utterances, messages) as defaults (see :class:`SimulationSettings`).
    ``demo_cohort=N`` seeds demo personas and N completed sessions of ``demo_minutes`` each
    (None: 3-6 minutes) for the default tenant on start, printing progress.
    ``faults`` (rules, text forms or JSON forms; see :mod:`zenhire_nb.sandbox.faults.rules`) and
    ``fault_seed`` configure fault injection on the contract routes. Other keywords go to
    :func:`create_app`. Bad option values raise ``ValueError`` naming the option.
    """

    def __init__(
        self,
        db: str | Path | None = None,
        credits: int = 10_000,
        api_key: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        admin_token: str | None = None,
        webhook_secret: str | None = None,
        rate_limit_per_minute: int = Limits.RATE_LIMIT_PER_MINUTE,
        backend: InterviewBackend | None = None,
        extra_routers: Sequence[APIRouter] = (),
        plugins: Sequence[Plugin] = (),
        clock: Callable[[], float] = time.time,
        log_level: str = "warning",
        seed: int | str = 0,
        mistake_rate: float = 0.05,
        failure_rate: float = 0.0,
        timeout_rate: float = 0.0,
        feedback_rate: float = 0.5,
        sample_rate: int = 16000,
        channels: int = 1,
        transcript_shape: str = "array",
        demo_cohort: int | None = None,
        demo_minutes: float | None = None,
        faults: Sequence[FaultRule | str | dict[str, Any]] = (),
        fault_seed: int | None = None,
    ) -> None:
        self._options: dict[str, Any] = dict(
            db=db,
            admin_token=admin_token,
            webhook_secret=webhook_secret,
            clock=clock,
            backend=backend,
            rate_limit_per_minute=rate_limit_per_minute,
            extra_routers=extra_routers,
            plugins=plugins,
        )
        self._credits, self._api_key, self._host, self._port = credits, api_key, host, port
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._admin: SandboxAdmin | None = None
        self.simulation = SimulationSettings(
            seed=seed,
            mistake_rate=mistake_rate,
            failure_rate=failure_rate,
            timeout_rate=timeout_rate,
            feedback_rate=feedback_rate,
            sample_rate=sample_rate,
            channels=channels,
            transcript_shape=transcript_shape,
        )
        self.faults = FaultInjector(faults, fault_seed)
        self._demo = (demo_cohort, demo_minutes)
        self.demo: DemoCohort | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._server else "stopped"
        return f"Sandbox({where})"

    def start(self) -> Sandbox:
        """Open the store and serve; returns once requests are answered. Idempotent."""
        if self._server is not None:
            return self
        self.app = create_app(**self._options, simulation=self.simulation, faults=self.faults)
        self.state = sandbox_state(self.app)
        try:
            # The port first: a busy one fails fast, before a demo cohort is generated.
            sock = bind_socket(self._host, self._port)
        except BaseException:
            self.state.close()  # else a temporary artifact folder would outlive the error
            raise
        self.port = sock.getsockname()[1]
        try:
            self.client_id, self.api_key = ensure_default_tenant(
                self.state, self._api_key, self._credits
            )
            if self._demo[0]:
                self.demo = self.seed_demo_cohort(
                    self._demo[0], target_minutes=self._demo[1], progress=print
                )
        except BaseException:
            sock.close()
            self.state.close()
            raise
        config = uvicorn.Config(served_app(self.app), log_level=self._log_level, lifespan="off")
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
                raise RuntimeError(f"sandbox did not start on {self._host}:{self.port}")
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
        host = f"[{self._host}]" if ":" in self._host else self._host
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

    def client(self, **kwargs: Any) -> Any:
        """A ``zenhire_nb.Client`` bound to the default tenant."""
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
