"""Regenerate the sample cohort shipped in ``zenhire_nb/samples/data`` (run from the repo root).

    python scripts/make_samples.py            # about ten minutes on two cores

What it does: starts a local :class:`zenhire_nb.Sandbox`, creates the four demo personas of
:mod:`zenhire_nb.sandbox.demo_cohort` (their simulated candidates differ on purpose: concise
software engineers, verbose sales people, ...) and simulates interviews through the sandbox's
admin API, a few of them failing; two links are never opened. Then it loads every session with
:func:`zenhire_nb.frames.load_cohort`, runs the speech-to-text check on a sample of the
completed ones (two per persona: checking is the slow part, and analysts check samples too),
and writes the frames as gzipped JSON lines.

Realistic on purpose, because docs and READMEs show these charts:

- Interview lengths are those of screening interviews, 5 to 20 minutes, drawn per persona
  (concise engineers shortest, verbose sales people longest), so credits come out at 30-100
  per interview under the 5-credits-per-started-minute rule; one session times out at the
  90-minute budget and two candidates disconnect part-way.
- The served transcripts carry 1.5% word mistakes (a good production transcript), except two
  sessions at 8% (a bad line): the agreement chart then shows a few flagged turns in most
  sessions and two sessions standing out, instead of flagging most turns everywhere.

The sandbox runs a whole interview in a fraction of a second, so its timestamps say nothing
about when candidates open their links. So that the charts over time have something to show,
the script rewrites the three timestamps only: creation is spread over the six weeks before
2026-11-30 (in creation order), the candidate starts a seeded, log-normal delay later (median
about 18 hours), and the session ends ``duration_sec`` after the start. Nothing else is edited.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zenhire_nb import Sandbox  # noqa: E402
from zenhire_nb.frames import load_cohort  # noqa: E402
from zenhire_nb.samples import write_samples  # noqa: E402
from zenhire_nb.sandbox.simulation.demo_cohort import DEMO_PERSONAS, DEMO_PROFILES  # noqa: E402
from zenhire_nb.stt import check_cohort  # noqa: E402

SESSIONS = 26
END = pd.Timestamp("2026-11-30T17:00:00Z")
SPREAD_DAYS = 42
OUTCOMES = {5: "failed", 14: "timeout", 21: "failed"}  # by session number
# Interview length in minutes (low, high) per candidate profile; drawn uniformly, seeded.
MINUTES = {
    "steady": (9.0, 15.0),
    "concise": (5.0, 9.0),
    "nervous": (7.0, 12.0),
    "verbose": (12.0, 20.0),
}
MISTAKE_RATE = 0.015
BAD_TRANSCRIPTS = {9: 0.08, 18: 0.08}  # by session number: a poor platform transcript
CHECKED_PER_PERSONA = 2


def _simulate(sandbox: Sandbox, client: object) -> None:
    rng = np.random.default_rng(26)
    personas = [
        client.personas.create(role_name=role, language=language)  # type: ignore[attr-defined]
        for role, language, _ in DEMO_PERSONAS
    ]
    for index in range(SESSIONS):
        slot = index % len(DEMO_PERSONAS)
        profile = DEMO_PERSONAS[slot][2]
        session = client.sessions.create(  # type: ignore[attr-defined]
            personas[slot].id,
            consent_mode="integrator",
            candidate_ref=f"cand-{index + 1:03d}",
            tags=["demo", profile],
            metadata={"cohort": profile, "region": ("EMEA", "AMER", "APAC")[index % 3]},
        )
        sandbox.admin.simulate(
            session.id,
            seed=500 + index,
            target_minutes=float(rng.uniform(*MINUTES[profile])),
            mistake_rate=BAD_TRANSCRIPTS.get(index, MISTAKE_RATE),
            profile=dataclasses.asdict(DEMO_PROFILES[profile]),
            outcome=OUTCOMES.get(index, "completed"),
            failure_rate=0.0,
            timeout_rate=0.0,
        )
    for index in range(2):  # links sent, never opened
        client.sessions.create(  # type: ignore[attr-defined]
            personas[index].id,
            consent_mode="integrator",
            candidate_ref=f"cand-open-{index + 1}",
            tags=["demo"],
        )


def _retime(sessions: pd.DataFrame) -> pd.DataFrame:
    """Realistic creation, start and end times (see the module docstring)."""
    frame = sessions.sort_values("created_at", kind="stable").reset_index(drop=True)
    n = len(frame)
    rng = np.random.default_rng(30)
    offsets = pd.to_timedelta([SPREAD_DAYS * (k - n + 1) / n for k in range(n)], unit="D")
    created = (END + offsets).astype("datetime64[us, UTC]")
    delay = pd.to_timedelta(rng.lognormal(np.log(18 * 3600), 0.9, n), unit="s")
    started = (created + delay).where(frame["started_at"].notna())
    length = pd.to_timedelta(frame["duration_sec"].astype("Float64").fillna(0), unit="s")
    completed = (started + length).where(frame["completed_at"].notna())
    return frame.assign(
        created_at=created,
        started_at=started.astype(created.dtype),
        completed_at=completed.astype(created.dtype),
    )


def _checked(cohort: object) -> list[str]:
    """The first completed sessions of each persona, plus the poor transcripts (so that the
    agreement chart has something to find)."""
    sessions = cohort.sessions.sort_values("created_at", kind="stable")  # type: ignore[attr-defined]
    done = sessions[sessions["status"] == "completed"]
    picked = done.groupby("persona_id", sort=False).head(CHECKED_PER_PERSONA)
    bad = {f"cand-{index + 1:03d}" for index in BAD_TRANSCRIPTS}
    picked = pd.concat([picked, done[done["candidate_ref"].isin(bad)]]).drop_duplicates(
        "session_id"
    )
    return [str(s) for s in picked["session_id"]]


def main() -> None:
    out = ROOT / "zenhire_nb" / "samples" / "data"
    with (
        tempfile.TemporaryDirectory() as cache,
        Sandbox(seed=10, failure_rate=0.0, timeout_rate=0.0) as sandbox,
        sandbox.client(max_retries=0) as client,
    ):
        _simulate(sandbox, client)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cohort = load_cohort(client, status=None, cache=cache, progress=False)
            check = check_cohort(
                cohort, session_ids=_checked(cohort), cache_dir=cache, progress=False, threads=2
            )
        cohort.sessions = _retime(cohort.sessions)
        created = cohort.sessions.set_index("session_id")["created_at"]
        cohort.summary = cohort.summary.assign(
            created_at=cohort.summary["session_id"].map(created).astype(created.dtype)
        )
        write_samples(out, cohort, check)
    print(f"wrote {len(cohort.sessions)} sessions, {len(cohort.turns)} turns to {out.name}/")


if __name__ == "__main__":
    main()
