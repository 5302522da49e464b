"""The ``zenhire-nb`` command: run the local sandbox platform, or the end-to-end demo.

Each sub-command imports its part lazily so that ``zenhire-nb --help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zenhire-nb",
        description="Run and study ZenHire AI voice interviews (local sandbox, demo).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sandbox = commands.add_parser(
        "sandbox",
        help="run the local sandbox platform until stopped",
        description="Serve the ZenHire Interview API locally. Prints the base URL and an API key.",
    )
    if _command(argv) == "sandbox":
        # Its options live next to the server, which imports FastAPI and uvicorn (~0.5 s):
        # declare them only when that command runs, so `--help` and `demo` do not pay for it.
        from zenhire_nb.sandbox.server import add_arguments

        add_arguments(sandbox)

    demo = commands.add_parser(
        "demo",
        help="run the quickstart end to end against an embedded sandbox",
        description=(
            "Start an embedded sandbox, create a persona and a session, let a simulated "
            "candidate take the interview, then save the recording and transcript."
        ),
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for the recording and transcript (default: ./demo-output)",
    )
    demo.add_argument("--role", default="Data Analyst", help="persona role (default: %(default)s)")
    demo.add_argument("--language", default="en", help="persona language (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=7, help="simulation seed (default: %(default)s)")
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` selects: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(argv).parse_args(argv)
    if args.command == "sandbox":
        from zenhire_nb.sandbox.server import serve, serve_options

        try:
            options = serve_options(args)
        except ValueError as exc:
            print(f"zenhire-nb sandbox: error: {exc}", file=sys.stderr)
            return 2
        try:
            with contextlib.suppress(KeyboardInterrupt):
                serve(**options)
        except OSError as exc:  # e.g. the port is taken: one clear line, not a traceback
            print(f"zenhire-nb sandbox: error: {exc}", file=sys.stderr)
            return 1
        return 0
    from zenhire_nb.demo import run_demo

    return run_demo(out_dir=args.out, role_name=args.role, language=args.language, seed=args.seed)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
