"""A small, realistic cohort to try every chart without a server (like ``plotly.express.data``).

::

    from zenhire_nb import samples, charts
    cohort = samples.cohort()              # a frames Cohort: sessions, turns, answers, ...
    charts.interview_length(cohort, by="role_name")
    charts.stt_agreement(samples.stt_check())

The data was generated once from the sandbox's simulated interviews (``scripts/make_samples.py``):
four personas whose candidates differ on purpose (the ``concise`` software engineers answer in
about 30 words, the ``verbose`` sales representatives in about 85), tagged ``demo`` plus their
profile name, with a few failed and two never-started sessions. Interviews last 5 to 19
minutes (one timed out at the 90-minute budget), links are opened hours to days after
creation, and creation times are spread over six weeks before 2026-11-30. The platform's
transcripts carry 1.5% word mistakes, two sessions 8% (a bad line); :func:`stt_check` is the
check of nine completed sessions (two per persona plus those two). Each call reads the files
again and returns new frames (yours to change).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from zenhire_nb.frames.schemas import apply_schema

from ._store import read_frame, write_frame

if TYPE_CHECKING:
    from zenhire_nb.frames import Cohort
    from zenhire_nb.stt import CohortCheck

__all__ = [
    "answers",
    "cohort",
    "recordings",
    "sessions",
    "stt_check",
    "summary",
    "turns",
    "write_samples",
]

DATA = Path(__file__).parent / "data"
_SCHEMA_OF = {
    "sessions": "sessions",
    "turns": "turns",
    "answers": "answers",
    "recordings": "recordings",
    "summary": "session_summary",
}
_STT_PARTS = ("sessions", "turns", "differences", "failures")


def _frame(name: str) -> pd.DataFrame:
    frame = read_frame(DATA, name)
    schema = _SCHEMA_OF.get(name)
    return apply_schema(frame, schema) if schema else frame


def sessions() -> pd.DataFrame:
    """The sample sessions frame (``SCHEMAS["sessions"]``), every status."""
    return _frame("sessions")


def turns() -> pd.DataFrame:
    """The sample turns frame (``SCHEMAS["turns"]``) of the completed sessions."""
    return _frame("turns")


def answers() -> pd.DataFrame:
    """The sample answers frame (``SCHEMAS["answers"]``)."""
    return _frame("answers")


def recordings() -> pd.DataFrame:
    """The sample recordings frame (``SCHEMAS["recordings"]``; ``path`` holds file names only,
    the recordings themselves are not shipped)."""
    return _frame("recordings")


def summary() -> pd.DataFrame:
    """The sample per-session summary (``SCHEMAS["session_summary"]``)."""
    return _frame("summary")


def cohort() -> Cohort:
    """All sample frames as a :class:`~zenhire_nb.frames.Cohort` (no cache folder or files)."""
    from zenhire_nb.frames import Cohort

    return Cohort(
        sessions=sessions(),
        turns=turns(),
        answers=answers(),
        recordings=recordings(),
        summary=summary(),
        failures=_frame("failures"),
    )


def stt_check() -> CohortCheck:
    """The speech-to-text check of nine sample sessions, as ``check_cohort`` returned it
    (tiny.en on the simulated recordings, with their injected transcript mistakes)."""
    from zenhire_nb.stt import CohortCheck

    parts = {part: read_frame(DATA, f"stt_{part}") for part in _STT_PARTS}
    return CohortCheck(**parts)


def write_samples(folder: Path, cohort: Cohort, check: CohortCheck | None = None) -> None:
    """Write a cohort (and its check) as sample files into ``folder`` (used by
    ``scripts/make_samples.py``). Recording paths are reduced to file names, so no path of
    the generating machine is shipped. Side effect: overwrites the files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    recordings_ = cohort.recordings.copy()
    recordings_["path"] = recordings_["path"].map(lambda p: Path(str(p)).name).astype("string")
    frames = {
        "sessions": cohort.sessions,
        "turns": cohort.turns,
        "answers": cohort.answers,
        "recordings": recordings_,
        "summary": cohort.summary,
        "failures": cohort.failures,
    }
    if check is not None:
        frames.update({f"stt_{part}": getattr(check, part) for part in _STT_PARTS})
    for name, frame in frames.items():
        write_frame(folder, name, frame)
