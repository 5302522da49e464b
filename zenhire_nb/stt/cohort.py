"""Check one session or a whole cohort, here or on a Dask cluster.

::

    from zenhire_nb.stt import check_cohort, check_session
    result = check_session(client, "ses_123")             # a CheckResult
    checked = check_cohort(client, persona_id="p_1")      # a CohortCheck, in this process
    checked.sessions.sort_values("wer"), checked.turns[checked.turns.flagged]

    from distributed import Client as DaskClient, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, DaskClient(cluster) as dask:
        checked = check_cohort(client, executor=dask, threads=1, persona_id="p_1")

Recordings and transcripts come through the frames cache (:func:`~zenhire_nb.frames.
load_cohort`), turns through its transcript parser (any transcript shape). Each session is one
task (:func:`zenhire_nb.stt._worker.check_file`) that gets plain data (a recording path, turn
dicts, an options dict, the cache folder; never the client or its API key). A worker loads the
model once and keeps it (:func:`~zenhire_nb.stt.shared_engine`). Workers must see the cache
folder: one machine, or a shared filesystem. On a machine whose workers share cores, pass
``threads=1`` (each worker process otherwise uses every core). Results are cached per session,
settings, audio and turns under ``<cache root>/stt``, so a re-run reads files and calls no
engine.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _cohort_frames as frames
from ._tasks import Executor, run_tasks
from ._worker import SessionOutcome, check_file, run_check
from .check import CheckResult
from .compare import (
    DEFAULT_LOGPROB_THRESHOLD,
    DEFAULT_MARGIN_SEC,
    DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    DEFAULT_WER_THRESHOLD,
)
from .engines import settings_for

if TYPE_CHECKING:
    from zenhire_nb.client import Client
    from zenhire_nb.frames import Cohort

__all__ = [
    "CohortCheck",
    "CohortCheckWarning",
    "SessionCheckError",
    "check_cohort",
    "check_session",
]

_ALIGNMENTS = ("auto", "time", "sequence")


class SessionCheckError(RuntimeError):
    """A session could not be checked (not completed, not loadable); names the session and
    the ``stage`` that failed."""

    def __init__(self, session_id: str, stage: str, message: str):
        super().__init__(f"session {session_id}: {stage}: {message}")
        self.session_id, self.stage = session_id, stage


class CohortCheckWarning(UserWarning):
    """Some sessions of a cohort check failed; ``CohortCheck.failures`` has the details."""


@dataclass(frozen=True)
class CohortCheck:
    """The check of a cohort.

    Attributes:
        sessions: one row per checked session (``session_id``, ``wer``, ``wer_raw``,
            ``turns``, ``flagged_turns``, ``untranscribed_words``, ..., ``engine``,
            ``model``, ``compute_type``, ``beam_size``, ``threads``, ``audio_sec``), in cohort
            order.
        turns, differences: the per-session frames of :class:`CheckResult` one after the
            other, with a leading ``session_id``.
        failures: ``session_id``, ``stage`` (a load stage of ``load_cohort``, ``missing`` or
            ``check``), ``error_type``, ``message``; empty when everything was checked.
        settings: the engine settings as resolved here and the check options.
        tasks: how each session ran (``pid``, ``engine_loads``, ``engine_used``,
            ``audio_sec``, ``elapsed_sec``); differs between runs, unlike the results.
    """

    sessions: pd.DataFrame
    turns: pd.DataFrame
    differences: pd.DataFrame
    failures: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __repr__(self) -> str:
        return (
            f"CohortCheck(sessions={len(self.sessions)}, turns={len(self.turns)}, "
            f"flagged_turns={int(self.turns['flagged'].sum()) if len(self.turns) else 0}, "
            f"failures={len(self.failures)})"
        )


def _options(**options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The options a task gets and the settings to record; fails before any work starts."""
    if options["alignment"] not in _ALIGNMENTS:
        raise ValueError(f"alignment must be one of {_ALIGNMENTS}, got {options['alignment']!r}")
    resolved = settings_for(
        options["engine"],
        model=options["model"],
        compute_type=options["compute_type"],
        beam_size=options["beam_size"],
        threads=options["threads"],
    )
    if options["model"] is not None:
        options["model"] = os.fspath(options["model"])
    return options, {**options, **resolved.as_dict()}


def _stt_root(cache_dir: str | os.PathLike[str] | None) -> str:
    from zenhire_nb.frames import default_cache_root

    return os.fspath(default_cache_root(cache_dir) / "stt")


def _load(
    client: Client,
    session_ids: Sequence[str] | None,
    cache_dir: Any,
    progress: bool,
    filters: dict[str, Any],
    quiet: bool,
) -> Cohort:
    from zenhire_nb.frames import CohortLoadWarning, load_cohort

    with warnings.catch_warnings():
        if quiet:  # check_session raises on a failure instead
            warnings.simplefilter("ignore", CohortLoadWarning)
        return load_cohort(
            client, session_ids=session_ids, cache=cache_dir, progress=progress, **filters
        )


def _failure_rows(cohort: Cohort) -> list[tuple[str, str, str, str]]:
    return [
        (str(row.session_id), str(row.stage), str(row.error_type), str(row.message))
        for row in cohort.failures.itertuples(index=False)
    ]


def _plan(
    cohort: Cohort, wanted: Sequence[str] | None, options: dict[str, Any], root: str
) -> tuple[list[tuple[str, tuple[Any, ...]]], list[tuple[str, str, str, str]]]:
    """One job per checkable session (cohort order) and the failures of the others."""
    ids = [str(s) for s in cohort.sessions["session_id"]]
    failures = _failure_rows(cohort)
    if wanted is not None:  # a subset of a loaded cohort
        chosen = set(wanted)
        unknown = sorted(chosen - set(ids))
        if unknown:
            raise ValueError(f"sessions not in the cohort: {', '.join(unknown)}")
        ids = [s for s in ids if s in chosen]
        failures = [row for row in failures if row[0] in chosen]
    failed = {row[0] for row in failures}
    records = frames.turn_records(cohort.turns)
    jobs = []
    for session_id in ids:
        recording = cohort.recording_paths.get(session_id)
        if session_id in failed:
            continue
        if recording is None or session_id not in cohort.transcript_paths:
            what = "recording" if recording is None else "transcript"
            failures.append(
                (
                    session_id,
                    "missing",
                    "SessionCheckError",
                    f"session {session_id}: no {what} in the cohort (a completed "
                    "session loaded with recordings=True is needed)",
                )
            )
            continue
        args = (os.fspath(recording), records.get(session_id, []), session_id, options, root)
        jobs.append((session_id, args))
    return jobs, failures


def check_session(
    client: Client,
    session_id: str,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    cache: bool = True,
    forced: bool = True,
    logprob_threshold: float = DEFAULT_LOGPROB_THRESHOLD,
    threshold: float = DEFAULT_WER_THRESHOLD,
    alignment: str = "auto",
    margin_sec: float = DEFAULT_MARGIN_SEC,
    min_untranscribed_words: int = DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    engine: str = "auto",
    model: str | os.PathLike[str] | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    threads: int | None = None,
    channel: int | None = None,
) -> CheckResult:
    """Check one completed session: its recording and transcript from the frames cache
    (downloaded through ``client`` when missing), then :func:`~zenhire_nb.stt.check_recording`.

    ``cache_dir``: the cache root shared with the frames cache (default ``$ZENHIRE_CACHE_DIR``,
    else the user cache dir); check results go to ``<root>/stt``. ``cache``: reuse and store
    check results. Other options as ``check_recording``.

    Raises:
        SessionCheckError: the session is not completed (the message names its status), or
            its transcript or recording could not be loaded.
        EngineUnavailableError, ModelUnavailableError, ValueError: bad options (before any
            request); errors of the check itself, naming the session.

    Side effects: downloads into the frames cache; loads the engine once per process.
    """
    options, _settings = _options(
        forced=forced,
        logprob_threshold=logprob_threshold,
        threshold=threshold,
        alignment=alignment,
        margin_sec=margin_sec,
        min_untranscribed_words=min_untranscribed_words,
        engine=engine,
        model=model,
        compute_type=compute_type,
        beam_size=beam_size,
        threads=threads,
        channel=channel,
        cache=cache,
    )
    cohort = _load(client, [session_id], cache_dir, False, {}, quiet=True)
    jobs, failures = _plan(cohort, None, options, _stt_root(cache_dir))
    if failures:
        _, stage, error_type, message = failures[0]
        raise SessionCheckError(session_id, stage, f"{error_type}: {message}")
    if not jobs:
        raise SessionCheckError(session_id, "summary", "the platform returned no such session")
    return run_check(*jobs[0][1])


def _result(
    outcomes: dict[str, SessionOutcome],
    order: list[str],
    failures: list[tuple[str, str, str, str]],
    settings: dict[str, Any],
) -> CohortCheck:
    done = [outcomes[s] for s in order if s in outcomes]
    parts = {
        "sessions": frames.sessions_frame(done),
        "turns": frames.concat_frames(done, "turns"),
        "differences": frames.concat_frames(done, "differences"),
        "failures": frames.failures_frame(failures),
    }
    for frame in parts.values():
        frames.with_attrs(frame, settings)
    return CohortCheck(**parts, settings=settings, tasks=frames.tasks_frame(done))


def _warn(failures: list[tuple[str, str, str, str]], total: int) -> None:
    if failures:
        stages = ", ".join(f"{k}: {n}" for k, n in Counter(row[1] for row in failures).items())
        count = len({row[0] for row in failures})
        warnings.warn(
            f"{count} of {total} sessions not checked ({stages}); see CohortCheck.failures",
            CohortCheckWarning,
            stacklevel=3,
        )


def check_cohort(
    source: Client | Cohort,
    *,
    session_ids: Sequence[str] | None = None,
    executor: Executor | None = None,
    progress: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    cache: bool = True,
    forced: bool = True,
    logprob_threshold: float = DEFAULT_LOGPROB_THRESHOLD,
    threshold: float = DEFAULT_WER_THRESHOLD,
    alignment: str = "auto",
    margin_sec: float = DEFAULT_MARGIN_SEC,
    min_untranscribed_words: int = DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    engine: str = "auto",
    model: str | os.PathLike[str] | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    threads: int | None = None,
    channel: int | None = None,
    **filters: Any,
) -> CohortCheck:
    """Check every completed session of a cohort; failures are reported, not raised.

    Args:
        source: a sync client (the cohort is loaded with
            :func:`~zenhire_nb.frames.load_cohort` and ``filters``, e.g. ``persona_id``,
            ``tags``) or an already loaded :class:`~zenhire_nb.frames.Cohort` (no filters).
        session_ids: only these sessions (with a client: loaded exactly; with a cohort: a
            subset of it, else ``ValueError``).
        executor: None checks here, one session after the other, with one engine loaded
            once. Otherwise anything with ``submit(fn, *args)`` returning futures:
            ``concurrent.futures`` executors, or ``distributed.Client(cluster)`` to spread
            the sessions over a Dask cluster (one task per session; each worker process loads
            the model once).
        progress: ``tqdm.auto`` bars (loading, then checking).
        cache_dir, cache: the cache root shared with the frames cache (results under
            ``<root>/stt``) and whether to reuse/store check results.
        forced ... channel: as :func:`~zenhire_nb.stt.check_recording`; ``threads`` is per
            task (use 1 when the workers of one machine share its cores).

    Returns:
        A :class:`CohortCheck`; sessions in cohort order, identical whatever the executor.

    Raises:
        EngineUnavailableError, ModelUnavailableError, ValueError, TypeError: bad options or
            arguments, before any request or task.
        ValueError: nothing to check (no completed session matched and nothing failed).
        ZenHireError, CacheError: as ``load_cohort`` (listing the sessions failed).

    Side effects: downloads into the frames cache; reads and writes ``<root>/stt``; warns
    (:class:`CohortCheckWarning`) when some sessions failed.
    """
    options, settings = _options(
        forced=forced,
        logprob_threshold=logprob_threshold,
        threshold=threshold,
        alignment=alignment,
        margin_sec=margin_sec,
        min_untranscribed_words=min_untranscribed_words,
        engine=engine,
        model=model,
        compute_type=compute_type,
        beam_size=beam_size,
        threads=threads,
        channel=channel,
        cache=cache,
    )
    cohort, subset = _cohort_of(source, session_ids, cache_dir, progress, filters)
    jobs, failures = _plan(cohort, subset, options, _stt_root(cache_dir))
    if not jobs and not failures:
        raise ValueError(
            "nothing to check: no completed session matches "
            f"{filters or session_ids or 'the cohort'}"
        )
    outcomes, errors = run_tasks(check_file, jobs, executor=executor, progress=progress)
    failures += [(s, "check", type(e).__name__, str(e)) for s, e in errors.items()]
    order = [session_id for session_id, _ in jobs]
    _warn(failures, len(jobs) + len({row[0] for row in failures} - set(order)))
    return _result(outcomes, order, failures, settings)


def _cohort_of(
    source: Any,
    session_ids: Sequence[str] | None,
    cache_dir: Any,
    progress: bool,
    filters: dict[str, Any],
) -> tuple[Cohort, Sequence[str] | None]:
    """The cohort to check, and the subset of it to check (None: all of it)."""
    from zenhire_nb.frames import Cohort

    if isinstance(source, Cohort):
        if filters:
            raise TypeError(
                f"filters apply when loading; a loaded Cohort takes none, got "
                f"{', '.join(sorted(filters))}"
            )
        return source, session_ids
    if not hasattr(source, "sessions"):
        raise TypeError(
            f"source must be a zenhire_nb Client or a Cohort, got {type(source).__name__}"
        )
    return _load(source, session_ids, cache_dir, progress, filters, quiet=False), None
