"""The ``zenhire-nb`` command: the demo job, the lab, the local sandbox, and report / fetch /
check for any cohort of the real platform or a sandbox.

Each command's options and logic live in its own module of :mod:`zenhire_nb._cli`, which
imports its heavy parts only when it runs, so that ``zenhire-nb --help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

_EXAMPLES = """\
examples:
  zenhire-nb demo                              the cohort report of a simulated cohort
  zenhire-nb lab                               JupyterLab with a sandbox running
  zenhire-nb sandbox --demo-cohort 24          a local platform until Ctrl-C

  export ZENHIRE_API_KEY=zh_api_...            (and ZENHIRE_BASE_URL for a sandbox)
  zenhire-nb report --persona "Data Analyst" --out report.html
  zenhire-nb fetch --tag batch-7 --export exports/batch-7
  zenhire-nb check --tag batch-7 --workers 2 --export exports/batch-7

`zenhire-nb COMMAND --help` tells more.
"""


def _build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    from zenhire_nb._cli import check, demo, fetch, lab, report

    parser = argparse.ArgumentParser(
        prog="zenhire-nb",
        description="Run and study ZenHire AI voice interviews: reports, exports, speech-to-text "
        "checks, and a local sandbox of the platform.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo.add_parser(commands)
    lab.add_parser(commands)
    report.add_parser(commands)
    fetch.add_parser(commands)
    check.add_parser(commands)
    sandbox = commands.add_parser(
        "sandbox",
        help="run the local sandbox platform until stopped",
        description="Serve the ZenHire Interview API locally. Prints the base URL and an API key.",
    )
    if _command(argv) == "sandbox":
        # Its options live next to the server, which imports FastAPI and uvicorn (~0.5 s):
        # declare them only when that command runs, so `--help` and the others do not pay.
        from zenhire_nb.sandbox.server import add_arguments

        add_arguments(sandbox)
    sandbox.set_defaults(run=_run_sandbox)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` selects: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


def _run_sandbox(args: argparse.Namespace) -> int:
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(argv).parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
