"""Serving the sandbox in the foreground (``zenhire-nb sandbox``).

:func:`serve` prints the base URL and a ready API key, then runs uvicorn until interrupted.
:func:`add_arguments` declares the CLI options next to it, and ``python -m
zenhire_nb.sandbox`` runs the same thing without the console script.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import uvicorn

from zenhire_nb.sandbox._serve_options import add_simulation_arguments, simulation_options
from zenhire_nb.sandbox.app import create_app, sandbox_state, served_app
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule, load_faults_file
from zenhire_nb.sandbox.sandbox import bind_socket, ensure_default_tenant
from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.simulation.demo_cohort import seed_demo_cohort

__all__ = ["add_arguments", "main", "serve", "serve_options"]

DEFAULT_CREDITS = 10_000


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    api_key: str | None = None,
    credits: int = DEFAULT_CREDITS,
    db: str | Path | None = None,
    log_level: str = "info",
    out: TextIO | None = None,
    simulation: SimulationSettings | None = None,
    demo_cohort: int | None = None,
    demo_minutes: float | None = None,
    faults: Sequence[FaultRule | str | dict[str, Any]] = (),
    fault_seed: int | None = None,
    faults_file: str | Path | None = None,
) -> None:
    """Run a sandbox until interrupted (Ctrl-C / SIGTERM).

    ``simulation`` holds the simulated interviews' defaults; ``demo_cohort=N`` first seeds
    demo personas and N completed sessions (``demo_minutes`` long; None: 3-6 minutes) for the
    default tenant, printing progress; ``faults``/``faults_file``/``fault_seed`` set fault
    injection (see :mod:`zenhire_nb.sandbox.faults.rules`; file rules come after ``faults``, a
    file's seed is used unless ``fault_seed`` is given). Raises ``ValueError`` for a bad
    fault rule or file before anything is served.

    Side effects: opens or creates ``db`` (in memory if None), prints the base URL, the
    default tenant's API key (the given one, or a new one) and the admin token to ``out``
    (stdout) — the caller asked for them — then blocks. ``port=0`` picks a free port.
    """
    out = out or sys.stdout
    rules: list[FaultRule | str | dict[str, Any]] = list(faults)
    if faults_file is not None:
        file_rules, file_seed = load_faults_file(faults_file)
        rules += file_rules
        fault_seed = fault_seed if fault_seed is not None else file_seed
    injector = FaultInjector(rules, fault_seed)
    simulation = simulation or SimulationSettings()
    app = create_app(db=db, simulation=simulation, faults=injector)
    state = sandbox_state(app)
    sock = None
    try:
        # The port first: a busy one fails fast, before a demo cohort is generated.
        sock = bind_socket(host, port)
        client_id, key = ensure_default_tenant(state, api_key, credits)
        if demo_cohort:
            seed_demo_cohort(
                state,
                client_id,
                demo_cohort,
                settings=simulation,
                target_minutes=demo_minutes,
                progress=lambda line: print(line, file=out, flush=True),
            )
        base_url = f"http://{host}:{sock.getsockname()[1]}"
        print(f"ZenHire sandbox: {base_url}", file=out)
        print(f"API key: {key}", file=out)
        print(f"Client id: {client_id}", file=out)
        print(f"Admin token: {state.admin_token}", file=out)
        print(
            f"Try: export ZENHIRE_BASE_URL={base_url} ZENHIRE_API_KEY={key}", file=out, flush=True
        )
        uvicorn.Server(uvicorn.Config(served_app(app), log_level=log_level, lifespan="off")).run(
            sockets=[sock]
        )
    except KeyboardInterrupt:
        # uvicorn has already shut down gracefully and re-raises the signal; Ctrl-C is the
        # normal way to stop, so end quietly.
        print("ZenHire sandbox stopped.", file=out, flush=True)
    finally:
        if sock is not None:
            sock.close()  # uvicorn closes it too when it ran; closing twice is harmless
        state.close()


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``sandbox`` command's options; :func:`serve` takes them by the same names."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (8765; 0 = any free)")
    parser.add_argument(
        "--api-key", default=None, help="API key for the default tenant (default: a new one)"
    )
    parser.add_argument(
        "--credits",
        type=int,
        default=DEFAULT_CREDITS,
        help=f"opening balance of a new database ({DEFAULT_CREDITS})",
    )
    parser.add_argument(
        "--db", default=None, help="SQLite file to keep data across runs (default: in memory)"
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level (info)")
    return add_simulation_arguments(parser)


def serve_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`serve` from options parsed by :func:`add_arguments`
    (``serve(**serve_options(args))``). Raises ``ValueError`` for bad simulation values."""
    return {
        "host": args.host,
        "port": args.port,
        "api_key": args.api_key,
        "credits": args.credits,
        "db": args.db,
        "log_level": args.log_level,
        **simulation_options(args),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = add_arguments(argparse.ArgumentParser(prog="zenhire-nb sandbox"))
    args = parser.parse_args(argv)
    try:
        options = serve_options(args)
    except ValueError as exc:
        parser.error(str(exc))
    serve(**options)
