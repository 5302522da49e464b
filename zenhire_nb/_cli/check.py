"""``zenhire-nb check``: the speech-to-text check of a cohort, here or on a Dask cluster.

The distributed path is :func:`~zenhire_nb.stt.check_cohort` with ``executor=`` a
``distributed.Client``: one task per session, each worker loading the model once. Workers read
the recordings from the cache folder, so they must see it (one machine, or a shared disk).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    from zenhire_nb.stt import CohortCheck

__all__ = ["CHECK_FRAMES", "add_parser", "check_loaded", "describe_check", "write_check_frames"]

_CONNECT_TIMEOUT_SEC = 10
CHECK_FRAMES = ("sessions", "turns", "differences", "failures")  # written as stt_<name>.parquet

_EXAMPLES = f"""\
  zenhire-nb check --tag batch-7 --export exports/batch-7
  zenhire-nb check --persona "Data Analyst" --workers 2 --export exports/analysts
  zenhire-nb check --scheduler tcp://10.0.0.5:8786 --export /shared/exports/all
  zenhire-nb check --session-id 0b7c... --beam-size 5

filters:
{QUERY_EXAMPLES}"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "check",
        help="check recordings against their transcripts with a local Whisper model",
        description=(
            "Transcribe each completed session's recording with a local Whisper model and "
            "compare it with the platform's transcript, turn by turn. With --export DIR, "
            "the check's frames are written there as stt_sessions.parquet, stt_turns.parquet, "
            "stt_differences.parquet and stt_failures.parquet (next to what `zenhire-nb fetch "
            "--export DIR` writes). Results are cached: a re-run transcribes nothing again. Exit "
            "status 1 when some sessions could not be checked (the others are written)."
        ),
        examples=_EXAMPLES,
    )
    parser.add_argument("--export", type=Path, metavar="DIR", help="write the check's frames here")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="run on a local Dask cluster of N worker processes (one thread each)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing Dask cluster (e.g. tcp://host:8786); its workers must see "
        "the cache folder",
    )
    parser.add_argument("--model", help="Whisper model name or folder (default: tiny.en, offline)")
    parser.add_argument("--beam-size", type=int, help="beam size (default: the check's)")
    parser.add_argument("--threads", type=int, help="threads per task (default: all cores)")
    add_query_arguments(parser)
    add_platform_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    console = Console("check")
    return run_command(console, lambda: _check(args, console))


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    chosen = {"model": args.model, "beam_size": args.beam_size, "threads": args.threads}
    if (args.workers or args.scheduler) and args.threads is None:
        chosen["threads"] = 1  # workers of one machine share its cores
    return {name: value for name, value in chosen.items() if value is not None}


def _check(args: argparse.Namespace, console: Console) -> int:
    from zenhire_nb._cli.loading import counting_client, describe_load, load_for_command

    if args.workers is not None and args.workers < 1:
        raise CommandError(f"--workers must be at least 1, got {args.workers}")
    started = time.monotonic()
    with counting_client(args, console) as (client, downloads):
        query = query_from_args(args, client)
        console.step(1, 3, f"loading {query!r}")
        cohort = load_for_command(client, query, args.cache_dir, console)
        console.say("      " + describe_load(cohort, downloads))
    with _executor(args, console) as executor:
        console.step(2, 3, "checking the recordings against a local Whisper model")
        check = check_loaded(cohort, args, console, executor=executor, **_settings(args))
    if check is None:
        raise CommandError("no completed session to check in the cohort")
    console.say("      " + describe_check(check, cohort))
    if args.export is not None:
        written = write_check_frames(check, args.export)
        console.step(3, 3, f"wrote {', '.join(p.name for p in written)} to {args.export}")
    else:
        console.step(3, 3, "done (pass --export DIR to keep the frames)")
    console.say(f"      {time.monotonic() - started:.0f} s")
    return 1 if len(check.failures) else 0


@contextmanager
def _executor(args: argparse.Namespace, console: Console) -> Iterator[Any]:
    """None (here), a local Dask cluster's client (``--workers``) or one of ``--scheduler``."""
    if args.workers is None and args.scheduler is None:
        yield None
        return
    try:
        from distributed import Client as DaskClient
        from distributed import LocalCluster
    except ImportError:
        raise CommandError("Dask is not installed: pip install 'zenhire-nb[dask]'") from None
    if args.scheduler is not None:
        try:
            dask = DaskClient(args.scheduler, timeout=_CONNECT_TIMEOUT_SEC)
        except (OSError, TimeoutError) as error:
            raise CommandError(
                f"cannot reach the Dask scheduler {args.scheduler}: {error}"
            ) from None
        with dask:
            workers = len(dask.scheduler_info().get("workers", {}))
            console.say(f"      Dask scheduler {args.scheduler}: {workers} workers")
            yield dask
        return
    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        DaskClient(cluster) as dask,
    ):
        console.say(
            f"      local Dask cluster: {args.workers} workers at {cluster.scheduler_address}"
        )
        yield dask


def check_loaded(
    cohort: Cohort,
    args: argparse.Namespace,
    console: Console,
    executor: Any = None,
    **settings: Any,
) -> CohortCheck | None:
    """The STT check of a loaded cohort's completed sessions (failed ones have no recording);
    None when there is none."""
    from zenhire_nb.stt import check_cohort

    completed = cohort.sessions.loc[cohort.sessions["status"] == "completed", "session_id"]
    if completed.empty:
        console.warn("no completed session: nothing to check")
        return None
    from zenhire_nb.stt import EngineUnavailableError, ModelUnavailableError

    try:
        with console.warnings_as_lines():
            check = check_cohort(
                cohort,
                session_ids=[str(s) for s in completed],
                executor=executor,
                cache_dir=args.cache_dir,
                progress=True,
                **settings,
            )
    except (EngineUnavailableError, ModelUnavailableError, ValueError) as error:
        raise CommandError(str(error)) from None  # bad settings: raised before any task
    if len(check.failures):
        first = check.failures.iloc[0]
        where = f"session {first['session_id']}: {first['stage']}: {first['message']}"
        if check.sessions.empty:  # e.g. a model that does not load: say why, once
            raise CommandError(f"no session could be checked; first failure: {where}")
        console.warn(f"first failure: {where}")
    return check


def describe_check(check: CohortCheck, cohort: Cohort | None = None) -> str:
    """One line: sessions checked, word error rate, flagged turns, the worst session (by its
    candidate reference when the cohort has one), the processes the tasks ran in."""
    sessions, turns = check.sessions, check.turns
    flagged = int(turns["flagged"].sum()) if len(turns) else 0
    line = (
        f"checked {len(sessions)} sessions: mean word error rate {sessions['wer'].mean():.1%}, "
        f"{flagged} of {len(turns)} turns flagged"
    )
    if len(sessions):
        worst = sessions.sort_values("wer", ascending=False).iloc[0]
        line += f"; worst {worst['wer']:.1%}: {_name(cohort, str(worst['session_id']))}"
    if len(check.tasks) and "pid" in check.tasks:
        processes = check.tasks["pid"].nunique()
        line += f"; ran in {processes} process{'' if processes == 1 else 'es'}"
    if len(check.failures):
        line += f"; {len(check.failures)} sessions not checked (see stt_failures)"
    return line


def _name(cohort: Cohort | None, session_id: str) -> str:
    if cohort is not None:
        rows = cohort.sessions.loc[cohort.sessions["session_id"] == session_id, "candidate_ref"]
        if len(rows) and isinstance(rows.iloc[0], str):
            return f"{rows.iloc[0]} (session {session_id})"
    return f"session {session_id}"


def write_check_frames(check: CohortCheck, directory: Path) -> list[Path]:
    """The check's frames as ``stt_<name>.parquet`` in ``directory``, each written atomically.

    Raises:
        CommandError: pyarrow is missing, or a file cannot be written (names the folder).
    """
    from zenhire_nb.frames import FramesError
    from zenhire_nb.frames.export import write_frames

    frames = {f"stt_{name}": getattr(check, name) for name in CHECK_FRAMES}
    try:
        return list(write_frames(frames, directory))
    except FramesError as error:
        raise CommandError(str(error)) from None
