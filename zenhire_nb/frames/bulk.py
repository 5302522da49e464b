"""Load a whole cohort of interviews in one call: concurrent, cached, partial-failure safe.

::

    cohort = load_cohort(client, persona_id="p_123")          # plain notebook code
    cohort.turns, cohort.answers, cohort.summary, cohort.failures
    query = CohortQuery(tags=["batch-7"], created_after="2026-11-01")
    cohort = load_cohort(client, query)                        # a query passed around
    cohort = await aload_cohort(async_client, query)           # from async code
    cohort.query                                               # what was loaded

The cohort is a :class:`~zenhire_nb.frames.CohortQuery` (second argument), keyword shortcuts
(``persona_id=``, ``status=``, ``tags=``, ``session_ids=``, ...: the query's fields), or both:
the shortcuts then change those fields of the query. Either way it is resolved in one place,
:func:`~zenhire_nb.frames.query.query_from_keywords`.

What happens:

1. The sessions are listed with the query's filters (or fetched one by one for its
   ``session_ids``).
2. For every ``completed`` session the transcript and the recording are downloaded into the
   local results cache (:mod:`zenhire_nb.frames.cache`) unless already there; recordings
   stream to their files and are measured chunk-wise, so memory stays flat whatever the size.
   At most ``max_concurrency`` sessions are in flight at once.
3. The frames are built from the cache. Re-running fetches only sessions not yet cached;
   ``refresh=True`` downloads everything again.

Both loaders run the same steps (:mod:`._async_load`, and its sync twin generated from it by
``scripts/unasync.py``). The sync :func:`load_cohort` runs blocking requests in a thread pool:
it never touches asyncio, so it works inside Jupyter's running event loop without
``nest_asyncio``.

Failures never stop the load: each failed step lands in ``cohort.failures`` (session_id,
stage, error_type, message) and a :class:`CohortLoadWarning` summarises them; everything else
is loaded. Sessions that exist but are not in the requested ``status`` (when ``session_ids``
are given) are reported with stage ``status``.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections import Counter
from typing import TYPE_CHECKING

from zenhire_nb.client import AsyncClient, Client
from zenhire_nb.contract.limits import Limits
from zenhire_nb.frames._async_load import async_load
from zenhire_nb.frames._build import LoadOptions
from zenhire_nb.frames._cohort import Cohort, Failure, vad_key
from zenhire_nb.frames._sync_load import load
from zenhire_nb.frames.parsing import VadSettings
from zenhire_nb.frames.query import CohortFilters, CohortQuery, query_from_keywords

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Cohort", "CohortLoadWarning", "aload_cohort", "load_cohort"]

_PAGE_SIZE = Limits.LIST_LIMIT_MAX  # the contract's largest page: fewest round trips


class CohortLoadWarning(UserWarning):
    """Some sessions of a cohort failed to load; ``cohort.failures`` has the details."""


def load_cohort(
    client: Client,
    query: CohortQuery | None = None,
    *,
    recordings: bool = True,
    cache: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    max_concurrency: int = 8,
    progress: bool = True,
    vad_settings: VadSettings | None = None,
    **filters: Unpack[CohortFilters],
) -> Cohort:
    """Load the sessions of ``query`` (and/or keyword filters) with their results.

    Args:
        client: a sync :class:`~zenhire_nb.Client`.
        query: the :class:`~zenhire_nb.frames.CohortQuery` to load; default every completed
            session of the tenant.
        **filters: shortcuts for the query's fields (``status``, ``persona_id``,
            ``candidate_ref``, ``tags``, ``metadata``, ``created_after``, ``created_before``,
            ``session_ids``), overriding those of ``query``. ``status`` defaults to
            ``"completed"``; ``status=None`` lists every status (only completed sessions have
            results to fetch). With ``session_ids`` (no other filter but ``status``) exactly
            those sessions are loaded; those not in ``status`` are reported in ``failures``
            with stage ``status``, unknown ones with stage ``summary``.
        recordings: also download and measure recordings (``cohort.recordings``).
        cache: cache root folder; default ``$ZENHIRE_CACHE_DIR``, else the user cache dir.
        refresh: download again even what is cached.
        max_concurrency: sessions in flight at once (1..64).
        progress: show a ``tqdm.auto`` progress bar.
        vad_settings: voice-activity settings for the recordings frame.

    Returns:
        A :class:`Cohort`; ``cohort.query`` is the resolved query.

    Raises:
        TypeError: an unknown keyword, or a filter of the wrong type (before any request).
        InvalidArgumentError, ValueError: bad values (before any request).
        ZenHireError: listing the sessions failed (nothing to load without the list).
        CacheError: the cache folder cannot be used.

    Side effects: writes to the cache folder; warns (:class:`CohortLoadWarning`) on failures.
    """
    resolved, options = _arguments(
        "load_cohort",
        query,
        filters,
        recordings,
        cache,
        refresh,
        max_concurrency,
        progress,
        vad_settings,
    )
    failures: list[Failure] = []
    cohort, total = load(client, resolved, options, failures)
    _warn(failures, total)
    return dataclasses.replace(cohort, query=resolved)


async def aload_cohort(
    client: AsyncClient,
    query: CohortQuery | None = None,
    *,
    recordings: bool = True,
    cache: str | os.PathLike[str] | None = None,
    refresh: bool = False,
    max_concurrency: int = 8,
    progress: bool = True,
    vad_settings: VadSettings | None = None,
    **filters: Unpack[CohortFilters],
) -> Cohort:
    """:func:`load_cohort` for async code, with an :class:`~zenhire_nb.AsyncClient`.

    Same arguments, result, errors and side effects. Requests run as tasks on the caller's
    loop (at most ``max_concurrency`` in flight); disk writes and recording analysis run in
    worker threads so the loop stays responsive.
    """
    resolved, options = _arguments(
        "aload_cohort",
        query,
        filters,
        recordings,
        cache,
        refresh,
        max_concurrency,
        progress,
        vad_settings,
    )
    failures: list[Failure] = []
    cohort, total = await async_load(client, resolved, options, failures)
    _warn(failures, total)
    return dataclasses.replace(cohort, query=resolved)


def _arguments(
    where: str,
    query: CohortQuery | None,
    filters: CohortFilters,
    recordings: bool,
    cache: str | os.PathLike[str] | None,
    refresh: bool,
    max_concurrency: int,
    progress: bool,
    vad_settings: VadSettings | None,
) -> tuple[CohortQuery, LoadOptions]:
    """The resolved query and the options, checked before any request.

    Raises:
        TypeError: unknown keywords or wrongly typed filters (naming ``where``).
        ValueError: a bad ``max_concurrency`` or filter value.
    """
    if not isinstance(max_concurrency, int) or not 1 <= max_concurrency <= 64:
        raise ValueError(f"max_concurrency must be an integer in 1..64, got {max_concurrency!r}")
    resolved = query_from_keywords(query, filters, where=where)
    options = LoadOptions(
        recordings=recordings,
        cache=cache,
        refresh=refresh,
        max_concurrency=max_concurrency,
        progress=progress,
        vad_settings=vad_settings,
        vad=vad_key(vad_settings),
        page_size=_PAGE_SIZE,  # read at call time: tests shrink it to see slicing
    )
    return resolved, options


def _warn(failures: list[Failure], total: int) -> None:
    if not failures:
        return
    sessions = len({f.session_id for f in failures})
    stages = ", ".join(f"{stage}: {n}" for stage, n in Counter(f.stage for f in failures).items())
    message = (
        f"{sessions} session(s) had failures ({stages}) out of {total} loaded; "
        "the rest are loaded, see cohort.failures"
    )
    # stacklevel: _warn, the loader, its caller.
    warnings.warn(message, CohortLoadWarning, stacklevel=3)
