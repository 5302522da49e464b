"""The task a cohort check runs per session, in this process or on a cluster worker.

Everything here takes and returns plain, picklable data (paths, turn dicts, option dicts,
frames): never a client and never an API key, so a task can travel to a Dask worker. The model
is not pickled either: :func:`check_file` reaches it through
:func:`~zenhire_nb.stt.engines.shared_engine`, a memo in an importable module, so each worker
process loads it once and keeps it for every later task (a function defined in a notebook
would be shipped by value and reload the model on every task).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .check import CheckResult, check_recording
from .check_settings import CheckSettings
from .engines import engine_stats, shared_engine

__all__ = [
    "SessionOutcome",
    "check_file",
    "load_model",
    "run_check",
    "worker_stats",
]


@dataclass(frozen=True)
class SessionOutcome:
    """What one task sends back: the session's ``summary`` (dict, as
    :attr:`CheckResult.summary`), its ``turns`` and ``differences`` frames, and how it ran:
    ``pid`` of the process, ``engine_loads`` (models that process has loaded so far),
    ``engine_used`` (whether this task needed the engine, False when everything came from
    the cache), ``audio_sec`` (seconds of audio) and ``elapsed_sec`` (wall clock)."""

    session_id: str
    summary: dict[str, Any]
    turns: pd.DataFrame
    differences: pd.DataFrame
    pid: int
    engine_loads: int
    engine_used: bool
    audio_sec: float
    elapsed_sec: float


def run_check(
    recording_path: str | os.PathLike[str],
    turns_records: Sequence[Mapping[str, Any]],
    session_id: str,
    settings: CheckSettings,
    cache: bool,
    cache_dir: str | os.PathLike[str] | None,
) -> CheckResult:
    """:func:`~zenhire_nb.stt.check_recording` of one session's recording file and turns.

    ``settings``: the check's settings (frozen, picklable); ``cache``: reuse/store results;
    ``cache_dir``: the speech-to-text cache folder (None: the default). Raises as
    ``check_recording``.
    """
    return check_recording(
        recording_path,
        list(turns_records),
        settings=settings,
        session_id=session_id,
        cache=cache,
        cache_dir=cache_dir,
    )


def check_file(
    recording_path: str | os.PathLike[str],
    turns_records: Sequence[Mapping[str, Any]],
    session_id: str,
    settings: CheckSettings,
    cache: bool,
    cache_dir: str | os.PathLike[str] | None,
) -> SessionOutcome:
    """Check one session and return a :class:`SessionOutcome` (the task of a cohort check).

    Arguments as :func:`run_check`. Side effects: loads the engine once per process when a
    result is not cached; reads and writes the cache folder. Raises as :func:`run_check`.
    """
    started, before = time.perf_counter(), engine_stats()
    result = run_check(recording_path, turns_records, session_id, settings, cache, cache_dir)
    after = engine_stats()
    return SessionOutcome(
        session_id=session_id,
        summary=result.summary,
        turns=result.turns,
        differences=result.differences,
        pid=after["pid"],
        engine_loads=after["loads"],
        # Counted per process: with several threads per process another task's use can show.
        engine_used=after["uses"] > before["uses"],
        audio_sec=float(result.transcription.audio["duration_sec"]),
        elapsed_sec=time.perf_counter() - started,
    )


def worker_stats() -> dict[str, int]:
    """This process's engine use (``pid``, ``loads``, ``uses``); run it on every worker with
    ``distributed.Client.run(worker_stats)``."""
    return engine_stats()


def load_model(
    settings: CheckSettings | None, cache_dir: str | os.PathLike[str] | None
) -> dict[str, int]:
    """Load (once per process) the engine the check ``settings`` describe (None: the
    defaults), e.g. on every worker before timing: ``dask_client.run(load_model, settings,
    cache_dir)``. Returns :func:`worker_stats`. Raises as :func:`~zenhire_nb.stt.load_engine`."""
    chosen = settings if settings is not None else CheckSettings()
    shared_engine(chosen.transcription(), cache_dir=cache_dir)
    return worker_stats()
