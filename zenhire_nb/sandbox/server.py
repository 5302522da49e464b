"""Serving the sandbox in the foreground (``zenhire-nb sandbox``).

:func:`serve` prints the base URL and a ready API key, then runs uvicorn until interrupted.
:func:`add_arguments` declares the CLI options next to it (server, simulated interviews, demo
cohort, fault injection), :func:`serve_options` turns them into :func:`serve` keywords, and
``python -m zenhire_nb.sandbox`` runs the same thing without the console script.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import uvicorn

from zenhire_nb.sandbox.api.wire import server_config
from zenhire_nb.sandbox.app import create_app, sandbox_state, served_app
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule, load_faults_file, parse_faults
from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.simulation.demo_cohort import seed_demo_cohort
from zenhire_nb.sandbox.simulation.interview import SHAPES

__all__ = ["add_arguments", "bind_socket", "main", "serve", "serve_options"]

DEFAULT_CREDITS = 10_000
_FAULT_HELP = (
    "inject faults into contract routes (repeatable): '<route>:<key>=<value>[,...]'. "
    "<route> is '*' (every /api route), '[METHOD] /path/pattern' ('*' = one path segment, "
    "'**' = any) or a route name (get_recording, create_session, ...). Keys: 429, 500, 503, "
    "drop, truncate (probabilities 0..1, at most 1 in total), latency_ms, jitter_ms, "
    "retry_after (seconds, for 429/503), truncate_at (share of the body sent, 0.5). "
    "Example: --fault 'GET /api/v1/interview/sessions/*/recording:truncate=0.5' "
    "--fault '*:latency_ms=50'"
)


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
        client_id, key = state.tenants.ensure_default(api_key, credits)
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
        uvicorn.Server(server_config(served_app(app), log_level=log_level)).run(sockets=[sock])
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
    return _add_simulation_arguments(parser)


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
        **_simulation_options(args),
    }


def _add_simulation_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the simulation, demo-cohort and fault options to ``parser``."""
    sim = parser.add_argument_group("simulated interviews")
    sim.add_argument("--seed", default="0", help="seed of simulated interviews (0)")
    sim.add_argument(
        "--mistake-rate",
        type=float,
        default=0.05,
        help="transcription mistakes per word of served transcripts (0.05)",
    )
    sim.add_argument(
        "--failure-rate",
        type=float,
        default=0.0,
        help="share of simulated interviews that fail (0)",
    )
    sim.add_argument(
        "--timeout-rate",
        type=float,
        default=0.0,
        help="share that time out after 90 minutes, SESSION_TIMEOUT (0)",
    )
    sim.add_argument(
        "--feedback-rate",
        type=float,
        default=0.5,
        help="share of candidates who leave feedback (0.5)",
    )
    sim.add_argument("--sample-rate", type=int, default=16000, help="recording Hz (16000)")
    sim.add_argument(
        "--channels",
        type=int,
        choices=(1, 2),
        default=1,
        help="1 = mono, 2 = one speaker per channel (1)",
    )
    sim.add_argument(
        "--transcript-shape",
        choices=SHAPES,
        default="array",
        help="transcript document shape served (array)",
    )
    demo = parser.add_argument_group("demo cohort")
    demo.add_argument(
        "--demo-cohort",
        type=int,
        default=None,
        metavar="N",
        help="seed demo personas and N completed sessions for the default tenant before serving",
    )
    demo.add_argument(
        "--demo-minutes",
        type=float,
        default=None,
        help="length of each demo interview in minutes (default: 3-6)",
    )
    faults = parser.add_argument_group("fault injection")
    faults.add_argument("--fault", action="append", default=[], metavar="RULE", help=_FAULT_HELP)
    faults.add_argument(
        "--faults-file",
        default=None,
        metavar="JSON",
        help="JSON file: a list of rules (objects with the same keys plus "
        '\'route\', or text forms), or {"seed": N, "rules": [...]}',
    )
    faults.add_argument(
        "--fault-seed",
        type=int,
        default=None,
        help="seed of fault injection (default: not reproducible)",
    )
    return parser


def _simulation_options(args: argparse.Namespace) -> dict[str, Any]:
    """``serve`` keywords from the parsed options. Raises ``ValueError`` naming a bad value,
    rule or file (before anything is served)."""
    seed: int | str = int(args.seed) if str(args.seed).lstrip("-").isdigit() else args.seed
    settings = SimulationSettings(
        seed=seed,
        mistake_rate=args.mistake_rate,
        failure_rate=args.failure_rate,
        timeout_rate=args.timeout_rate,
        feedback_rate=args.feedback_rate,
        sample_rate=args.sample_rate,
        channels=args.channels,
        transcript_shape=args.transcript_shape,
    )
    if args.demo_cohort is not None and args.demo_cohort < 0:
        raise ValueError(f"--demo-cohort must be >= 0, got {args.demo_cohort}")
    if args.demo_minutes is not None and not 0 < args.demo_minutes <= 90:
        raise ValueError(f"--demo-minutes must be within (0, 90], got {args.demo_minutes}")
    rules: list[Any] = parse_faults(args.fault)
    fault_seed = args.fault_seed
    if args.faults_file is not None:
        file_rules, file_seed = load_faults_file(args.faults_file)
        rules += file_rules
        fault_seed = fault_seed if fault_seed is not None else file_seed
    return {
        "simulation": settings,
        "demo_cohort": args.demo_cohort,
        "demo_minutes": args.demo_minutes,
        "faults": rules,
        "fault_seed": fault_seed,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = add_arguments(argparse.ArgumentParser(prog="zenhire-nb sandbox"))
    args = parser.parse_args(argv)
    try:
        options = serve_options(args)
    except ValueError as exc:
        parser.error(str(exc))
    serve(**options)
