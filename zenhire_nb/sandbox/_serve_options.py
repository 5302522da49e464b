"""Command-line options of ``zenhire-nb sandbox`` for simulated interviews, the demo cohort and
fault injection, and their translation into :func:`~zenhire_nb.sandbox.serve` arguments."""

from __future__ import annotations

import argparse
from typing import Any

from zenhire_nb.sandbox.faults.rules import load_faults_file, parse_faults
from zenhire_nb.sandbox.simulation.backend import SimulationSettings
from zenhire_nb.sandbox.simulation.interview import SHAPES

__all__ = ["add_simulation_arguments", "simulation_options"]

_FAULT_HELP = (
    "inject faults into contract routes (repeatable): '<route>:<key>=<value>[,...]'. "
    "<route> is '*' (every /api route), '[METHOD] /path/pattern' ('*' = one path segment, "
    "'**' = any) or a route name (get_recording, create_session, ...). Keys: 429, 500, 503, "
    "drop, truncate (probabilities 0..1, at most 1 in total), latency_ms, jitter_ms, "
    "retry_after (seconds, for 429/503), truncate_at (share of the body sent, 0.5). "
    "Example: --fault 'GET /api/v1/interview/sessions/*/recording:truncate=0.5' "
    "--fault '*:latency_ms=50'"
)


def add_simulation_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
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


def simulation_options(args: argparse.Namespace) -> dict[str, Any]:
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
