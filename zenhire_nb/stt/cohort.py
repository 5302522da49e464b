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
from .check_settings import FIELDS, CheckSettings, settings_from_keywords

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from zenhire_nb.client import Client
    from zenhire_nb.frames import Cohort, CohortQuery

    from .check_settings import CheckKeywords

__all__ = [
    "CohortCheck",
    "CohortCheckWarning",
    "SessionCheckError",
    "check_cohort",
    "check_session",
]


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


def _recorded(settings: CheckSettings, cache: bool) -> dict[str, Any]:
    """The settings a cohort check records: as asked, plus the engine as resolved here (which
    also fails on an engine or model that is not there, before any request)."""
    return {**settings.as_dict(), "cache": cache, **settings.transcription().as_dict()}


def _stt_root(cache_dir: str | os.PathLike[str] | None) -> str:
    from zenhire_nb.frames import default_cache_root

    return os.fspath(default_cache_root(cache_dir) / "stt")


def _load(
    client: Client, query: CohortQuery, cache_dir: Any, progress: bool, quiet: bool
) -> Cohort:
    from zenhire_nb.frames import CohortLoadWarning, load_cohort

    # Keywords, not the query object: load_cohort takes these whichever version is installed.
    if query.session_ids is not None:
        filters: dict[str, Any] = {"status": query.status, "session_ids": list(query.session_ids)}
    else:
        filters = query.list_filters()
    with warnings.catch_warnings():
        if quiet:  # check_session raises on a failure instead
            warnings.simplefilter("ignore", CohortLoadWarning)
        return load_cohort(client, cache=cache_dir, progress=progress, **filters)


def _failure_rows(cohort: Cohort) -> list[tuple[str, str, str, str]]:
    return [
        (str(row.session_id), str(row.stage), str(row.error_type), str(row.message))
        for row in cohort.failures.itertuples(index=False)
    ]


def _plan(
    cohort: Cohort, wanted: Sequence[str] | None, settings: CheckSettings, cache: bool, root: str
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
        turns = records.get(session_id, [])
        args = (os.fspath(recording), turns, session_id, settings, cache, root)
        jobs.append((session_id, args))
    return jobs, failures


def check_session(
    client: Client,
    session_id: str,
    *,
    settings: CheckSettings | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    cache: bool = True,
    **shortcuts: Unpack[CheckKeywords],
) -> CheckResult:
    """Check one completed session: its recording and transcript from the frames cache
    (downloaded through ``client`` when missing), then :func:`~zenhire_nb.stt.check_recording`.

    ``settings``: a :class:`~zenhire_nb.stt.CheckSettings`; keyword ``shortcuts`` override its
    fields. ``cache_dir``: the cache root shared with the frames cache (default
    ``$ZENHIRE_CACHE_DIR``, else the user cache dir); check results go to ``<root>/stt``.
    ``cache``: reuse and store check results.

    Raises:
        SessionCheckError: the session is not completed (the message names its status), or
            its transcript or recording could not be loaded.
        TypeError: an unknown keyword.
        EngineUnavailableError, ModelUnavailableError, ValueError: bad settings (before any
            request); errors of the check itself, naming the session.

    Side effects: downloads into the frames cache; loads the engine once per process.
    """
    from zenhire_nb.frames import CohortQuery

    chosen = settings_from_keywords(settings, shortcuts, where="check_session")
    _recorded(chosen, cache)  # an engine or model that is not there fails before any request
    cohort = _load(client, CohortQuery(session_ids=[session_id]), cache_dir, False, quiet=True)
    jobs, failures = _plan(cohort, None, chosen, cache, _stt_root(cache_dir))
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
    query: CohortQuery | None = None,
    *,
    settings: CheckSettings | None = None,
    session_ids: Sequence[str] | None = None,
    executor: Executor | None = None,
    progress: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    cache: bool = True,
    **shortcuts: Any,
) -> CohortCheck:
    """Check every completed session of a cohort; failures are reported, not raised.

    Args:
        source: a sync client (the cohort is loaded with
            :func:`~zenhire_nb.frames.load_cohort`) or an already loaded
            :class:`~zenhire_nb.frames.Cohort` (then no ``query``).
        query: which sessions, a :class:`~zenhire_nb.frames.CohortQuery` (default: every
            completed session).
        settings: a :class:`~zenhire_nb.stt.CheckSettings` (default: the defaults); its
            ``threads`` are per task (use 1 when the workers of one machine share its cores).
        session_ids: only these sessions (with a client: loaded exactly, as
            ``CohortQuery(session_ids=...)``; with a cohort: a subset of it, else
            ``ValueError``).
        executor: None checks here, one session after the other, with one engine loaded
            once. Otherwise anything with ``submit(fn, *args)`` returning futures:
            ``concurrent.futures`` executors, or ``distributed.Client(cluster)`` to spread
            the sessions over a Dask cluster (one task per session; each worker process loads
            the model once).
        progress: ``tqdm.auto`` bars (loading, then checking).
        cache_dir, cache: the cache root shared with the frames cache (results under
            ``<root>/stt``) and whether to reuse/store check results.
        shortcuts: keywords for notebooks: fields of ``CheckSettings`` (``threads=1``,
            ``forced=False``, ...) override ``settings``; fields of ``CohortQuery``
            (``persona_id=...``, ``tags=[...]``) override ``query``.

    Returns:
        A :class:`CohortCheck`; sessions in cohort order, identical whatever the executor.

    Raises:
        TypeError: an unknown keyword (naming it), a query or filters with a loaded cohort,
            a source that is neither a client nor a cohort.
        EngineUnavailableError, ModelUnavailableError, ValueError: bad settings or query,
            before any request or task.
        ValueError: nothing to check (no completed session matched and nothing failed).
        ZenHireError, CacheError: as ``load_cohort`` (listing the sessions failed).

    Side effects: downloads into the frames cache; reads and writes ``<root>/stt``; warns
    (:class:`CohortCheckWarning`) when some sessions failed.
    """
    chosen, query = _split(settings, query, shortcuts)
    recorded = _recorded(chosen, cache)
    cohort, subset = _cohort_of(source, query, session_ids, cache_dir, progress)
    jobs, failures = _plan(cohort, subset, chosen, cache, _stt_root(cache_dir))
    if not jobs and not failures:
        raise ValueError(f"nothing to check: no completed session matches {query or 'the cohort'}")
    outcomes, errors = run_tasks(check_file, jobs, executor=executor, progress=progress)
    failures += [(s, "check", type(e).__name__, str(e)) for s, e in errors.items()]
    order = [session_id for session_id, _ in jobs]
    _warn(failures, len(jobs) + len({row[0] for row in failures} - set(order)))
    return _result(outcomes, order, failures, recorded)


def _split(
    settings: CheckSettings | None, query: CohortQuery | None, shortcuts: dict[str, Any]
) -> tuple[CheckSettings, CohortQuery | None]:
    """Keyword shortcuts into the settings and the query (each resolved in its one place)."""
    from zenhire_nb.frames.query import query_from_keywords

    mine = {name: value for name, value in shortcuts.items() if name in FIELDS}
    cohort_keywords = {name: value for name, value in shortcuts.items() if name not in FIELDS}
    chosen = settings_from_keywords(settings, mine, where="check_cohort")
    if query is None and not cohort_keywords:
        return chosen, None
    try:
        return chosen, query_from_keywords(query, cohort_keywords, where="check_cohort")
    except TypeError as error:
        raise TypeError(f"{error}; settings keywords are {', '.join(sorted(FIELDS))}") from None


def _cohort_of(
    source: Any,
    query: CohortQuery | None,
    session_ids: Sequence[str] | None,
    cache_dir: Any,
    progress: bool,
) -> tuple[Cohort, Sequence[str] | None]:
    """The cohort to check, and the subset of it to check (None: all of it)."""
    from zenhire_nb.frames import Cohort, CohortQuery

    if isinstance(source, Cohort):
        if query is not None:
            raise TypeError(
                f"a query applies when loading; a loaded Cohort takes none, got {query!r}"
            )
        return source, session_ids
    if not hasattr(source, "sessions"):
        raise TypeError(
            f"source must be a zenhire_nb Client or a Cohort, got {type(source).__name__}"
        )
    if session_ids is not None:
        query = (query or CohortQuery()).replace(session_ids=session_ids)
    return _load(source, query or CohortQuery(), cache_dir, progress, quiet=False), None
