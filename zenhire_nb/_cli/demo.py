"""``zenhire-nb demo`` (the README's first command, ``scripts/demo``): the cohort report job.

Start the embedded sandbox, seed a demo cohort (simulated interviews of four roles whose
candidates speak in four different styles, spread over the last four weeks), load it through
the frames cache, check every recording against a local Whisper model, and write one
self-contained HTML report. ``zenhire-nb demo quickstart`` is the platform's four steps for one
session instead (:mod:`zenhire_nb.demo`); ``--lab`` opens JupyterLab (:mod:`.lab`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zenhire_nb._cli.common import CommandError, Console, command_parser, run_command

if TYPE_CHECKING:
    from zenhire_nb.frames import Cohort

__all__ = ["DEFAULT_MINUTES", "DEFAULT_SESSIONS", "add_parser", "run_report_demo"]

DEFAULT_SESSIONS = 24
DEFAULT_MINUTES = 0.75  # short interviews keep the job within minutes; the report says so
_STEPS = 5
_STYLE_NOTES = {"nervous": " (slow, many fillers)"}  # said of a style in the report's note
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_EXAMPLES = """\
  zenhire-nb demo                          24 interviews, report in demo-output/report.html
  zenhire-nb demo --sessions 8 --minutes 0.5 --out /tmp/demo
  zenhire-nb demo --lab                    JupyterLab on notebooks/ with a sandbox running
  zenhire-nb demo quickstart               one session, step by step (persona, link, poll)
"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "demo",
        help="the cohort report job against an embedded sandbox (or: demo quickstart)",
        description=(
            "Start an embedded sandbox with a demo cohort of simulated interviews (four roles, "
            "four speaking styles), load it, check every recording against a local Whisper "
            "model and write one self-contained HTML report. Needs no account and no network."
        ),
        examples=_EXAMPLES,
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        metavar="DIR",
        help="folder for report.html (default: ./demo-output)",
    )
    parser.add_argument(
        "--sessions",
        type=int,
        default=DEFAULT_SESSIONS,
        metavar="N",
        help="completed interviews to simulate (default: %(default)s; at least 4, one per group)",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=DEFAULT_MINUTES,
        metavar="M",
        help="target length of each interview (default: %(default)s; real ones run 3-6)",
    )
    parser.add_argument(
        "--seed", type=int, default=7, help="simulation seed (default: %(default)s)"
    )
    parser.add_argument(
        "--lab",
        action="store_true",
        help="open JupyterLab on notebooks/ with the sandbox running instead (as `zenhire-nb lab`)",
    )
    parser.set_defaults(run=run)
    _add_quickstart(parser)


def _add_quickstart(demo: argparse.ArgumentParser) -> None:
    steps = demo.add_subparsers(dest="demo_command", metavar="[quickstart]")
    quickstart = steps.add_parser(
        "quickstart",
        help="the quickstart end to end: persona, session, interview, poll, results",
        description=(
            "Start an embedded sandbox, create a persona and a session, let a simulated "
            "candidate take the interview, then save the recording and transcript."
        ),
    )
    quickstart.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for the recording and transcript (default: ./demo-output)",
    )
    quickstart.add_argument(
        "--role", default="Data Analyst", help="persona role (default: %(default)s)"
    )
    quickstart.add_argument(
        "--language", default="en", help="persona language (default: %(default)s)"
    )
    quickstart.add_argument(
        "--seed", type=int, default=7, help="simulation seed (default: %(default)s)"
    )
    quickstart.set_defaults(run=_run_quickstart)


def _run_quickstart(args: argparse.Namespace) -> int:
    from zenhire_nb.demo import run_demo

    return run_demo(out_dir=args.out, role_name=args.role, language=args.language, seed=args.seed)


def run(args: argparse.Namespace) -> int:
    if args.lab:
        from zenhire_nb._cli.lab import run_lab

        return run_lab(args, Console("demo --lab"))
    console = Console("demo")
    return run_command(
        console,
        lambda: run_report_demo(
            out_dir=args.out,
            sessions=args.sessions,
            minutes=args.minutes,
            seed=args.seed,
            console=console,
        ),
    )


def check_size(sessions: int, minutes: float) -> None:
    if sessions < 4:
        raise CommandError(f"--sessions must be at least 4 (one per group), got {sessions}")
    if not 0.1 <= minutes <= 10:
        raise CommandError(f"--minutes must be between 0.1 and 10, got {minutes}")


def run_report_demo(
    *, out_dir: Path, sessions: int, minutes: float, seed: int, console: Console
) -> int:
    """The whole job; prints each step and where the report is. Returns 0."""
    check_size(sessions, minutes)
    from zenhire_nb.sandbox import Sandbox

    started = time.monotonic()
    timings: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="zenhire-demo-") as cache,
        Sandbox(seed=seed) as sandbox,
    ):
        # A fresh sandbox has fresh session ids: a cache kept across runs would only grow.
        console.step(
            1, _STEPS, f"sandbox running at {sandbox.base_url}; simulating {sessions} interviews"
        )
        mark = time.monotonic()
        seeded = _seed(sandbox, sessions, minutes)
        console.say(
            f"      {len(seeded.completed)} completed and {len(seeded.failed)} failed interviews "
            f"of {len(seeded.persona_ids)} personas, spread over the last {_weeks()}"
        )
        timings["simulate"] = time.monotonic() - mark
        with sandbox.client() as client:
            cohort = _load(client, cache, console, timings)
            check = _check(cohort, cache, console, timings)
            note = _note(cohort, minutes, sandbox.simulation.mistake_rate)
            path = _write(cohort, check, client, out_dir, note, console, timings)
    total = time.monotonic() - started
    steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
    console.step(5, _STEPS, f"done in {total:.0f} s ({steps})")
    console.say(f"\nThe report: {path.resolve()}")
    console.say(f"Open it in a browser: {path.resolve().as_uri()}")
    return 0


def _seed(sandbox: Any, sessions: int, minutes: float) -> Any:
    from tqdm.auto import tqdm

    with tqdm(total=sessions, desc="simulating", unit="interview") as bar:

        def progress(line: str) -> None:
            # "demo cohort: 3/24 completed, 0 failed (...)": move the bar to the completed count
            bar.set_postfix_str(line.rpartition("(")[2].rstrip(")"), refresh=False)
            done = line.partition(": ")[2].partition("/")[0]
            if done.isdigit():
                bar.update(int(done) - bar.n)

        return sandbox.seed_demo_cohort(sessions, target_minutes=minutes, progress=progress)


def _load(client: Any, cache: str, console: Console, timings: dict[str, float]) -> Cohort:
    from zenhire_nb._cli.loading import load_for_command
    from zenhire_nb.frames import CohortQuery

    console.step(2, _STEPS, "loading the cohort (every status) through the frames cache")
    mark = time.monotonic()
    cohort = load_for_command(client, CohortQuery(tags=["demo"], status=None), cache, console)
    timings["load"] = time.monotonic() - mark
    audio = cohort.sessions["duration_sec"].sum()
    console.say(
        f"      {len(cohort.sessions)} sessions, {len(cohort.turns)} turns, "
        f"{audio / 60:.0f} min of audio"
    )
    return cohort


def _check(cohort: Cohort, cache: str, console: Console, timings: dict[str, float]) -> Any:
    from zenhire_nb.stt import check_cohort

    completed = cohort.sessions.loc[cohort.sessions["status"] == "completed", "session_id"]
    console.step(3, _STEPS, f"checking {len(completed)} recordings against a local Whisper model")
    mark = time.monotonic()
    with console.warnings_as_lines():
        check = check_cohort(cohort, session_ids=[str(s) for s in completed], cache_dir=cache)
    timings["stt check"] = time.monotonic() - mark
    from zenhire_nb._cli.check import describe_check

    console.say("      " + describe_check(check, cohort))
    return check


def _weeks(*, spelled: bool = False) -> str:
    """How long the demo cohort is spread over (``DEMO_SPREAD_DAYS``): "4 weeks", or spelled
    out ("four weeks") when it is a small whole number of weeks."""
    from zenhire_nb.sandbox.simulation.demo_cohort import DEMO_SPREAD_DAYS

    weeks = DEMO_SPREAD_DAYS / 7
    if spelled and weeks.is_integer() and weeks < len(_NUMBER_WORDS):
        return f"{_NUMBER_WORDS[int(weeks)]} weeks"
    return f"{weeks:g} weeks"


def _note(cohort: Cohort, minutes: float, mistake_rate: float) -> str:
    from zenhire_nb.sandbox.simulation.demo_cohort import DEMO_PERSONAS

    completed = cohort.sessions[cohort.sessions["status"] == "completed"]
    mean = completed["duration_sec"].mean() / 60
    styles = ", ".join(
        f"{role} {style}{_STYLE_NOTES.get(style, '')}" for role, _, style in DEMO_PERSONAS
    )
    return (
        f"A demo: {len(completed)} interviews simulated by the local sandbox (speech by eSpeak "
        f"NG), {mean:.1f} minutes long on average (asked for {minutes:g}; real interviews run "
        f"3 to 6 minutes), spread over {_weeks(spelled=True)}. Each role's candidates were "
        f"simulated with their own speaking style: {styles}. The platform's transcripts carry "
        f"injected mistakes ({mistake_rate:.0%} of words), which the speech-to-text check is "
        "there to find."
    )


def _write(
    cohort: Cohort,
    check: Any,
    client: Any,
    out_dir: Path,
    note: str,
    console: Console,
    timings: dict[str, float],
) -> Path:
    from zenhire_nb.report import write_report

    console.step(4, _STEPS, "writing the report")
    mark = time.monotonic()
    with console.warnings_as_lines():
        path = write_report(
            out_dir / "report.html",
            cohort,
            check,
            by="role_name",
            title="Demo cohort: four roles, simulated interviews",
            note=note,
            client=client,
        )
    timings["report"] = time.monotonic() - mark
    console.say(
        f"      {path} ({path.stat().st_size / 1e6:.1f} MB, plotly.js embedded, opens offline)"
    )
    return path
