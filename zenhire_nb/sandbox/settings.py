"""Every option of an in-process :class:`~zenhire_nb.sandbox.Sandbox`, in one frozen object.

``SandboxSettings()`` is a ready in-memory sandbox on a free port. Notebooks rarely build one:
``Sandbox(credits=500, mistake_rate=0.1)`` passes the same options as keywords, and
:meth:`SandboxSettings.resolve` is the one place that turns such keywords into settings.
Besides the fields below, every field of :class:`SimulationSettings` (``seed``,
``mistake_rate``, ``transcript_shape``, ...) is accepted as a keyword and lands in
``simulation``.

Example::

    settings = SandboxSettings(credits=500, simulation=SimulationSettings(seed=3))
    with Sandbox(settings) as sb: ...
    with Sandbox(settings, transcript_shape="turns") as sb: ...  # a variant of it
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.app import Plugin
from zenhire_nb.sandbox.candidate_page.live import CandidatePageSettings
from zenhire_nb.sandbox.core.backend import InterviewBackend
from zenhire_nb.sandbox.faults.rules import FaultRule, parse_faults
from zenhire_nb.sandbox.simulation.backend import SimulationSettings

__all__ = ["SandboxSettings"]

_SECRETS = ("api_key", "admin_token", "webhook_secret")
_SIMULATION_KEYWORDS = tuple(f.name for f in dataclasses.fields(SimulationSettings))


@dataclass(frozen=True, repr=False)
class SandboxSettings:
    """How a :class:`~zenhire_nb.sandbox.Sandbox` runs.

    Store: ``db`` None keeps everything in memory (artifacts in a temporary folder, removed
    on stop), a path persists across runs (artifacts in ``<db>.artifacts/``); ``credits`` is
    the default tenant's opening balance, ``api_key`` its key (None: a new one).
    Server: ``host``, ``port`` (0: a free one), uvicorn's ``log_level``.
    Platform: ``admin_token`` and ``webhook_secret`` (None: random), the default
    ``rate_limit_per_minute``, ``clock`` (Unix seconds; drives expiry, rate limits and
    webhook tolerance), ``public_base_url`` written into candidate links (None: the request's
    origin), ``backend`` (None: the placeholder backend).
    Parts: ``simulation`` (defaults of simulated interviews), ``candidate_page`` (the page's
    options), ``faults`` (rules, text or JSON forms; see :mod:`zenhire_nb.sandbox.faults`;
    kept as parsed :class:`FaultRule`) with ``fault_seed``, and ``demo_cohort=N`` to seed
    demo personas and N completed sessions of ``demo_minutes`` (None: 3-6) on start.
    Third-party extension: ``extra_routers`` and ``plugins`` (see :func:`create_app`).

    Raises ``ValueError`` naming the option for a bad value. The repr shows only what differs
    from the defaults, and never the key, token or secret.
    """

    db: str | Path | None = None
    credits: int = 10_000
    api_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "warning"
    admin_token: str | None = None
    webhook_secret: str | None = None
    rate_limit_per_minute: int = Limits.RATE_LIMIT_PER_MINUTE
    clock: Callable[[], float] = time.time
    public_base_url: str | None = None
    backend: InterviewBackend | None = None
    simulation: SimulationSettings = field(default_factory=SimulationSettings)
    candidate_page: CandidatePageSettings = field(default_factory=CandidatePageSettings)
    faults: Sequence[FaultRule | str | Mapping[str, Any]] = ()
    fault_seed: int | None = None
    demo_cohort: int | None = None
    demo_minutes: float | None = None
    extra_routers: Sequence[APIRouter] = ()
    plugins: Sequence[Plugin] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be within 0..65535, got {self.port}")
        if self.rate_limit_per_minute < 1:
            raise ValueError(
                f"rate_limit_per_minute must be >= 1, got {self.rate_limit_per_minute}"
            )
        if self.demo_cohort is not None and self.demo_cohort < 0:
            raise ValueError(f"demo_cohort must be >= 0, got {self.demo_cohort}")
        if self.demo_minutes is not None and not 0 < self.demo_minutes <= 90:
            raise ValueError(f"demo_minutes must be within (0, 90], got {self.demo_minutes}")
        # Parsed once here, so a bad rule fails when the settings are made, not on start.
        object.__setattr__(self, "faults", tuple(parse_faults(self.faults)))
        object.__setattr__(self, "extra_routers", tuple(self.extra_routers))
        object.__setattr__(self, "plugins", tuple(self.plugins))

    @classmethod
    def resolve(
        cls, settings: SandboxSettings | None = None, options: Mapping[str, Any] | None = None
    ) -> SandboxSettings:
        """``settings`` (default: the defaults) with keyword ``options`` applied: a field of
        this class, or of :class:`SimulationSettings` (applied to ``simulation``).

        Raises ``TypeError`` for a ``settings`` that is not a :class:`SandboxSettings` or an
        unknown option name, ``ValueError`` for a bad value.
        """
        if settings is None:
            settings = cls()
        elif not isinstance(settings, SandboxSettings):
            raise TypeError(
                "Sandbox() takes a SandboxSettings as its only positional argument, got "
                f"{type(settings).__name__}; pass options as keywords (e.g. db=..., credits=...)"
            )
        options = dict(options or {})
        own = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - own - set(_SIMULATION_KEYWORDS))
        if unknown:
            raise TypeError(
                f"Sandbox() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(sorted(own | set(_SIMULATION_KEYWORDS)))}"
            )
        simulation_options = {k: options.pop(k) for k in _SIMULATION_KEYWORDS if k in options}
        if simulation_options:
            simulation = options.get("simulation", settings.simulation)
            options["simulation"] = dataclasses.replace(simulation, **simulation_options)
        return dataclasses.replace(settings, **options) if options else settings

    def __repr__(self) -> str:
        return _changed_fields_repr(self)


def _changed_fields_repr(value: Any) -> str:
    """``Name(field=value, ...)`` listing only fields that differ from their default."""
    shown = []
    for item in dataclasses.fields(value):
        current = getattr(value, item.name)
        if item.default is not dataclasses.MISSING:
            default = item.default
        elif item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        else:
            default = dataclasses.MISSING
        if current == default:
            continue
        if item.name in _SECRETS:
            shown.append(f"{item.name}=<hidden>")
        elif dataclasses.is_dataclass(current) and not isinstance(current, type):
            shown.append(f"{item.name}={_changed_fields_repr(current)}")
        else:
            shown.append(f"{item.name}={current!r}")
    return f"{type(value).__name__}({', '.join(shown)})"
