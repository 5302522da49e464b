"""load_cohort against the sandbox over real HTTP: cold, warm, refresh, failures, event loops."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

import pandas as pd
import pytest

from zenhire_nb import AsyncClient
from zenhire_nb.frames import (
    SCHEMAS,
    Cohort,
    CohortLoadWarning,
    CohortQuery,
    aload_cohort,
    load_cohort,
)


def _check_frames(cohort: Cohort, n: int) -> None:
    assert len(cohort.sessions) == n
    assert cohort.turns["session_id"].nunique() == n and len(cohort.turns) == 6 * n
    assert len(cohort.answers) == 3 * n and cohort.answers["answered"].all()
    assert len(cohort.recordings) == n and (cohort.recordings["duration_sec"] == 3.0).all()
    assert len(cohort.summary) == n and (cohort.summary["n_questions"] == 3).all()
    for name, frame in (
        ("sessions", cohort.sessions),
        ("turns", cohort.turns),
        ("recordings", cohort.recordings),
    ):
        assert list(frame.columns[: len(SCHEMAS[name])]) == list(SCHEMAS[name])
    assert cohort.failures.empty
    assert set(cohort.recording_paths) == set(cohort.sessions["session_id"])
    for path in cohort.recording_paths.values():
        assert path.is_file() and path.read_bytes()[:4] == b"RIFF"


def test_cold_then_warm_then_refresh(completed, counting, cache_dir: Path) -> None:
    ids = completed(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CohortLoadWarning)
        cold = load_cohort(counting.client, cache=cache_dir, progress=False)
    _check_frames(cold, 4)
    assert set(cold.sessions["session_id"]) == set(ids)
    assert counting.counts["transcript"] == 4 and counting.counts["recording"] == 4

    counting.counts.clear()
    warm = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.artifact_requests() == 0, counting.counts
    _check_frames(warm, 4)
    pd.testing.assert_frame_equal(warm.turns, cold.turns)
    pd.testing.assert_frame_equal(warm.recordings, cold.recordings)
    pd.testing.assert_frame_equal(warm.summary, cold.summary)

    counting.counts.clear()
    load_cohort(counting.client, cache=cache_dir, progress=False, refresh=True)
    assert counting.counts["transcript"] == 4 and counting.counts["recording"] == 4


def test_rerun_fetches_only_new_sessions(completed, counting, cache_dir) -> None:
    completed(2)
    load_cohort(counting.client, cache=cache_dir, progress=False)
    completed(1)
    counting.counts.clear()
    cohort = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert len(cohort.sessions) == 3
    assert counting.counts["transcript"] == 1 and counting.counts["recording"] == 1


def test_deleted_cache_file_is_fetched_again(completed, counting, cache_dir) -> None:
    completed(2)
    cohort = load_cohort(counting.client, cache=cache_dir, progress=False)
    next(iter(cohort.recording_paths.values())).unlink()
    counting.counts.clear()
    again = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.counts["recording"] == 1 and counting.counts["transcript"] == 0
    assert again.failures.empty and len(again.recordings) == 2


def test_partial_failure_reports_and_loads_the_rest(
    zenhire_sandbox, zenhire_tenant, completed, cache_dir, retry_policy
) -> None:
    ids = completed(3)
    with zenhire_tenant.client() as client:
        broken = client.sessions.get(ids[0])
        persona_id = broken.persona_id
        pending = client.sessions.create(persona_id, consent_mode="integrator").id
    # The platform lost one recording: its download fails, everything else still loads.
    zenhire_sandbox.state.artifacts.path(broken.recording_s3_key).unlink()
    with (
        zenhire_tenant.client(retry_policy=retry_policy) as client,
        pytest.warns(CohortLoadWarning, match="2 session"),
    ):
        cohort = load_cohort(
            client, session_ids=[*ids, pending, ids[1]], cache=cache_dir, progress=False
        )
    failures = cohort.failures.set_index("session_id")
    assert failures.loc[ids[0], "stage"] == "recording"
    assert failures.loc[pending, "stage"] == "status"
    assert "initiated" in failures.loc[pending, "message"]
    assert list(cohort.failures.columns) == ["session_id", "stage", "error_type", "message"]
    assert len(cohort.sessions) == 3  # the pending one is reported, not loaded
    assert cohort.turns["session_id"].nunique() == 3  # the broken one keeps its transcript
    assert set(cohort.recordings["session_id"]) == set(ids[1:])
    leftovers = [p for p in cache_dir.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_unknown_session_id_is_a_failure(zenhire_tenant, completed, cache_dir) -> None:
    ids = completed(1)
    missing = "00000000-0000-4000-8000-000000000000"
    with zenhire_tenant.client() as client, pytest.warns(CohortLoadWarning):
        cohort = load_cohort(client, session_ids=[ids[0], missing], cache=cache_dir, progress=False)
    assert cohort.failures.loc[0, "session_id"] == missing
    assert cohort.failures.loc[0, "error_type"] == "NotFoundError"
    assert len(cohort.sessions) == 1


def test_sync_api_inside_a_running_event_loop(zenhire_tenant, completed, cache_dir) -> None:
    completed(2)

    async def notebook_cell() -> Cohort:
        # What Jupyter does: plain sync code executed while the kernel's loop is running.
        asyncio.get_running_loop()
        with zenhire_tenant.client() as client:
            return load_cohort(client, cache=cache_dir, progress=False)

    _check_frames(asyncio.run(notebook_cell()), 2)


def test_async_variant_and_parity(zenhire_tenant, completed, cache_dir, tmp_path) -> None:
    completed(3)

    async def load(where: Path) -> Cohort:
        async with AsyncClient(zenhire_tenant.api_key, zenhire_tenant.base_url) as client:
            return await aload_cohort(client, cache=where, progress=False, max_concurrency=2)

    cohort = asyncio.run(load(cache_dir))
    _check_frames(cohort, 3)
    with zenhire_tenant.client() as client:
        sync = load_cohort(client, cache=tmp_path / "other", progress=False)
    for name in ("turns", "answers", "summary"):
        left = getattr(cohort, name).sort_values("session_id", kind="stable")
        right = getattr(sync, name).sort_values("session_id", kind="stable")
        pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))
    warm = asyncio.run(load(cache_dir))  # served from the cache written by the async run
    _check_frames(warm, 3)


def test_filters_and_transcripts_only(completed, counting, cache_dir) -> None:
    completed(2, tags=["batch-a"])
    completed(1, tags=["batch-b"])
    cohort = load_cohort(
        counting.client, tags=["batch-a"], recordings=False, cache=cache_dir, progress=False
    )
    assert len(cohort.sessions) == 2 and cohort.recordings.empty
    assert counting.counts["recording"] == 0 and counting.counts["transcript"] == 2
    assert list(cohort.recordings.columns) == list(SCHEMAS["recordings"])


def test_empty_cohort(zenhire_tenant, cache_dir) -> None:
    with zenhire_tenant.client() as client:
        cohort = load_cohort(client, cache=cache_dir, progress=False)
    assert cohort.sessions.empty and cohort.turns.empty and cohort.failures.empty
    assert cohort.cache_dir is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"session_ids": ["a"], "persona_id": "p"}, "cannot be combined"),
        ({"status": "done"}, "status must be one of"),
    ],
)
def test_bad_arguments_fail_before_any_request(counting, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        load_cohort(counting.client, progress=False, **kwargs)
    assert sum(counting.counts.values()) == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((), {"session_ids": "abc"}, "not one string"),
        ((), {"persona": "p"}, r"load_cohort\(\) got unexpected keyword argument\(s\) 'persona'"),
        (({"persona_id": "p"},), {}, "takes a CohortQuery, got dict"),
    ],
)
def test_wrong_kinds_are_type_errors_before_any_request(counting, args, kwargs, match) -> None:
    with pytest.raises(TypeError, match=match):
        load_cohort(counting.client, *args, progress=False, **kwargs)
    assert sum(counting.counts.values()) == 0


def test_a_query_is_loaded_and_recorded(completed, counting, cache_dir) -> None:
    batch_a = completed(2, tags=["batch-a"])
    completed(1, tags=["batch-b"])
    query = CohortQuery(tags=["batch-a"])
    cohort = load_cohort(counting.client, query, cache=cache_dir, progress=False)
    assert sorted(cohort.sessions["session_id"]) == sorted(batch_a)
    assert cohort.query == query
    # Keyword shortcuts change fields of the query (and the result says so).
    by_id = load_cohort(
        counting.client, query, session_ids=batch_a[:1], tags=None, cache=cache_dir, progress=False
    )
    assert list(by_id.sessions["session_id"]) == batch_a[:1]
    assert by_id.query == CohortQuery(session_ids=batch_a[:1])
    default = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert default.query == CohortQuery() and default.query.status == "completed"


def test_async_loader_takes_the_same_query(zenhire_tenant, completed, cache_dir) -> None:
    ids = completed(2, tags=["batch-a"])
    completed(1, tags=["batch-b"])

    async def load() -> Cohort:
        async with AsyncClient(zenhire_tenant.api_key, zenhire_tenant.base_url) as client:
            return await aload_cohort(
                client, CohortQuery(tags=["batch-a"]), cache=cache_dir, progress=False
            )

    cohort = asyncio.run(load())
    assert sorted(cohort.sessions["session_id"]) == sorted(ids)
    assert cohort.query == CohortQuery(tags=["batch-a"])
