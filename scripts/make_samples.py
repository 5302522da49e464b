"""Regenerate the sample cohort shipped in ``zenhire_nb/samples/data`` (run from the repo root).

    python scripts/make_samples.py            # about two to four minutes on two cores

What it does: starts a local :class:`zenhire_nb.Sandbox` with its demo cohort (four personas whose
simulated candidates differ on purpose: concise engineers, verbose sales people, ...), leaves two
sessions initiated, loads every session with :func:`zenhire_nb.frames.load_cohort`, runs the
speech-to-text check on the completed ones, and writes the frames as gzipped JSON lines.

The sandbox creates every session within a few seconds of each other. So that the charts over
time have something to show, the script spreads the sessions' creation over the six weeks before
``2026-11-30`` (session ``k`` of ``n`` is moved back by ``42 * (n - k) / n`` days; start and end
move with it, so link-to-start and durations are unchanged). Nothing else is edited.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zenhire_nb import Sandbox  # noqa: E402
from zenhire_nb.frames import load_cohort  # noqa: E402
from zenhire_nb.samples import write_samples  # noqa: E402
from zenhire_nb.stt import check_cohort  # noqa: E402

COMPLETED = 24
MINUTES = 1.2
END = pd.Timestamp("2026-11-30T17:00:00Z")
SPREAD_DAYS = 42
TIME_COLUMNS = ("created_at", "started_at", "completed_at")


def _spread(sessions: pd.DataFrame) -> dict[str, pd.Timedelta]:
    """A shift per session so that creation times span SPREAD_DAYS, in creation order."""
    order = sessions.sort_values("created_at")["session_id"].tolist()
    n = len(order)
    latest = sessions["created_at"].max()
    return {
        sid: (END - latest) - pd.Timedelta(days=SPREAD_DAYS * (n - 1 - k) / max(n, 1))
        for k, sid in enumerate(order)
    }


def _shift(frame: pd.DataFrame, shifts: dict[str, pd.Timedelta]) -> pd.DataFrame:
    frame = frame.copy()
    offsets = frame["session_id"].map(shifts)
    for column in TIME_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column] + offsets.astype("timedelta64[us]")
    return frame


def main() -> None:
    out = ROOT / "zenhire_nb" / "samples" / "data"
    with (
        tempfile.TemporaryDirectory() as cache,
        Sandbox(seed=10, demo_cohort=COMPLETED, demo_minutes=MINUTES) as sandbox,
        sandbox.client(max_retries=0) as client,
    ):
        personas = client.personas.list()
        for index, persona in enumerate(list(personas)[:2]):  # links sent, never opened
            client.sessions.create(
                persona.id,
                consent_mode="integrator",
                candidate_ref=f"demo-open-{index + 1}",
                tags=["demo"],
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cohort = load_cohort(client, status=None, cache=cache, progress=False)
            check = check_cohort(cohort, cache_dir=cache, progress=False, threads=2)
        shifts = _spread(cohort.sessions)
        cohort.sessions = _shift(cohort.sessions, shifts)
        cohort.summary = _shift(cohort.summary, shifts)
        write_samples(out, cohort, check)
    print(f"wrote {len(cohort.sessions)} sessions, {len(cohort.turns)} turns to {out.name}/")


if __name__ == "__main__":
    main()
