"""``zenhire-nb fetch``: download a cohort into the cache, and export it for other tools."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from zenhire_nb._cli.common import (
    CommandError,
    Console,
    add_platform_arguments,
    command_parser,
    run_command,
)
from zenhire_nb._cli.query import QUERY_EXAMPLES, add_query_arguments, query_from_args

__all__ = ["add_parser"]

_EXAMPLES = f"""\
  zenhire-nb fetch --tag batch-7                         into the cache only
  zenhire-nb fetch --tag batch-7 --export exports/batch-7
  zenhire-nb fetch --status any --export exports/all     failed sessions too (no recordings)

  then, in Python:  pandas.read_parquet("exports/batch-7/turns.parquet")
  DuckDB:           SELECT * FROM 'exports/batch-7/turns.parquet'
  Polars:           polars.read_parquet("exports/batch-7/sessions.parquet")

filters:
{QUERY_EXAMPLES}"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "fetch",
        help="download a cohort into the cache; --export writes Parquet, WAV and JSON",
        description=(
            "Download the transcripts and recordings of a cohort into the local cache. "
            "Only what the cache does not hold is fetched, so an interrupted run is resumed "
            "by running it again. With --export DIR, the frames are written as Parquet (one "
            "file per frame: sessions, turns, answers, recordings, summary, failures; dtypes "
            "kept, times in UTC, metadata as JSON text), recordings as DIR/recordings/<id>.wav "
            "and transcripts as DIR/transcripts/<id>.json. Exit status 1 when some sessions "
            "could not be loaded (the others are written)."
        ),
        examples=_EXAMPLES,
    )
    parser.add_argument("--export", type=Path, metavar="DIR", help="export folder")
    parser.add_argument(
        "--no-recordings", action="store_true", help="transcripts only (much less to download)"
    )
    add_query_arguments(parser)
    add_platform_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console("fetch")
    return run_command(console, lambda: _fetch(args, console))


def _fetch(args: argparse.Namespace, console: Console) -> int:
    from zenhire_nb._cli.loading import counting_client, describe_load, load_for_command

    started = time.monotonic()
    steps = 2 if args.export is not None else 1
    with counting_client(args, console) as (client, downloads):
        query = query_from_args(args, client)
        console.step(1, steps, f"fetching {query!r}")
        cohort = load_for_command(
            client, query, args.cache_dir, console, recordings=not args.no_recordings
        )
    console.say("      " + describe_load(cohort, downloads))
    if args.export is not None:
        from zenhire_nb.frames import FramesError
        from zenhire_nb.frames.export import export_cohort

        console.step(2, steps, f"exporting to {args.export}")
        try:
            summary = export_cohort(cohort, args.export, progress=True)
        except FramesError as error:
            raise CommandError(str(error)) from None
        console.say(
            f"      {len(summary.frames)} Parquet frames, {summary.copied} files copied, "
            f"{summary.already_there} already there: {summary.directory}"
        )
    console.say(f"      done in {time.monotonic() - started:.0f} s")
    if len(cohort.failures):
        sessions = cohort.failures["session_id"].nunique()
        console.warn(f"{sessions} sessions could not be loaded; run the command again to retry")
        return 1
    return 0
