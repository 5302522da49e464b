"""``zenhire-nb report``: the cohort report of any cohort, to one HTML file."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from zenhire_nb._cli.common import (
    CommandError,
    Console,
    add_platform_arguments,
    command_parser,
    run_command,
)
from zenhire_nb._cli.query import QUERY_EXAMPLES, add_query_arguments, query_from_args

if TYPE_CHECKING:
    from zenhire_nb.frames import Cohort

__all__ = ["add_parser"]

_EXAMPLES = f"""\
  export ZENHIRE_API_KEY=zh_api_...
  zenhire-nb report --out report.html
  zenhire-nb report --persona "Data Analyst" --tag batch-7 --out batch-7.html --by tags
  zenhire-nb report --status any --created-after 2026-11-01 --out november.html --no-stt

filters:
{QUERY_EXAMPLES}"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "report",
        help="write the HTML report of a cohort",
        description=(
            "Load a cohort (through the cache), check its recordings against a local Whisper "
            "model, and write one self-contained HTML report: the overview, every chart, the "
            "answers compared across groups, the speech-to-text agreement and a table of the "
            "sessions. It opens offline and holds no API key and no candidate link."
        ),
        examples=_EXAMPLES,
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="the HTML file")
    parser.add_argument(
        "--by",
        default="role_name",
        help="how sessions are grouped: a column (role_name, persona_id, status), 'tags', "
        "'metadata.KEY' or 'created_at:week' (default: %(default)s)",
    )
    parser.add_argument("--title", default="Interview cohort report", help="the page title")
    parser.add_argument(
        "--no-stt", action="store_true", help="leave out the speech-to-text check (faster)"
    )
    add_query_arguments(parser)
    add_platform_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console("report")
    return run_command(console, lambda: _report(args, console))


def _report(args: argparse.Namespace, console: Console) -> int:
    from zenhire_nb._cli.check import check_loaded, describe_check
    from zenhire_nb._cli.loading import counting_client, describe_load, load_for_command
    from zenhire_nb.report import write_report

    started = time.monotonic()
    steps = 3 if args.no_stt else 4
    with counting_client(args, console) as (client, downloads):
        query = query_from_args(args, client)
        console.step(1, steps, f"loading {query!r}")
        cohort = load_for_command(client, query, args.cache_dir, console)
        console.say("      " + describe_load(cohort, downloads))
        _check_grouping(args.by, cohort)
        check = None
        if not args.no_stt:
            console.step(2, steps, "checking the recordings against a local Whisper model")
            check = check_loaded(cohort, args, console)
            if check is not None:
                console.say("      " + describe_check(check, cohort))
        console.step(steps - 1, steps, f"writing the report, grouped by {args.by}")
        with console.warnings_as_lines():
            path = write_report(
                args.out, cohort, check, by=args.by, title=args.title, client=client
            )
    size = path.stat().st_size / 1e6
    console.step(
        steps,
        steps,
        f"report written: {path} ({size:.1f} MB) in {time.monotonic() - started:.0f} s",
    )
    return 0


def _check_grouping(by: str, cohort: Cohort) -> None:
    """A bad ``--by`` fails before the (slow) check, naming what the sessions have."""
    from zenhire_nb.charts import Groups

    try:
        Groups(by).resolve(cohort.sessions)
    except ValueError as error:
        raise CommandError(f"--by {by!r}: {error}") from None
