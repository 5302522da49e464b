"""Warm re-loads over real HTTP: memoised frames equal to cold ones, and sliced listings."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pandas as pd
import pytest

from zenhire_nb import AsyncClient
from zenhire_nb.frames import Cohort, CohortLoadWarning, ResultsCache, aload_cohort, load_cohort

FRAMES = ("sessions", "turns", "answers", "recordings", "summary", "failures")


def _assert_same(left: Cohort, right: Cohort) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)
        assert getattr(left, name).attrs == getattr(right, name).attrs, name
    assert left.transcript_paths == right.transcript_paths
    assert left.recording_paths == right.recording_paths
    assert left.cache_dir == right.cache_dir


def _memos(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("frames/*.pickle"))


def test_warm_frames_equal_cold_frames(completed, counting, cache_dir: Path) -> None:
    completed(4)
    cold = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert len(_memos(cache_dir)) == 1  # the cold load memoises its frames
    counting.counts.clear()
    warm = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.artifact_requests() == 0
    _assert_same(cold, warm)
    for memo in _memos(cache_dir):
        memo.unlink()
    rebuilt = load_cohort(counting.client, cache=cache_dir, progress=False)
    _assert_same(cold, rebuilt)


def test_a_damaged_memo_is_rebuilt(completed, counting, cache_dir: Path) -> None:
    completed(2)
    cold = load_cohort(counting.client, cache=cache_dir, progress=False)
    (memo,) = _memos(cache_dir)
    memo.write_bytes(b"\x80\x05not a pickle")
    warm = load_cohort(counting.client, cache=cache_dir, progress=False)
    _assert_same(cold, warm)
    assert memo.read_bytes()[:2] == b"\x80\x05" and len(memo.read_bytes()) > 100  # replaced


def test_memo_follows_changes_behind_its_back(
    zenhire_tenant, completed, counting, cache_dir: Path
) -> None:
    ids = completed(3)
    cold = load_cohort(counting.client, cache=cache_dir, progress=False)
    with ResultsCache(
        zenhire_tenant.base_url, cold.sessions["client_id"][0], directory=cache_dir
    ) as c:
        short = [{"speaker": "interviewer", "text": "Only one question?", "start": 0, "end": 1}]
        c.store_transcript(ids[0], short)
    edited = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert (edited.turns["session_id"] == ids[0]).sum() == 1
    assert len(edited.turns) == len(cold.turns) - 5

    # A cached file deleted by hand is fetched again; the frames are those of the cold load.
    cold.transcript_paths[ids[0]].unlink()
    counting.counts.clear()
    healed = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.counts["transcript"] == 1 and counting.counts["recording"] == 0
    _assert_same(cold, healed)


def test_different_options_do_not_share_frames(completed, counting, cache_dir: Path) -> None:
    completed(2)
    with_recordings = load_cohort(counting.client, cache=cache_dir, progress=False)
    without = load_cohort(counting.client, cache=cache_dir, progress=False, recordings=False)
    assert len(with_recordings.recordings) == 2 and without.recordings.empty
    again = load_cohort(counting.client, cache=cache_dir, progress=False)
    _assert_same(with_recordings, again)


def test_sliced_listing_finds_new_sessions_in_order(
    monkeypatch: pytest.MonkeyPatch, zenhire_tenant, completed, counting, cache_dir: Path
) -> None:
    # Pages of 4 sessions: slices of 3, so 9 sessions give 3 slices listed at once.
    monkeypatch.setattr("zenhire_nb.frames.bulk._PAGE_SIZE", 4)
    completed(9)
    cold = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.counts["sessions"] == 3  # plain paging: 4 + 4 + 1
    (hints,) = cache_dir.rglob("listing/*.json")
    slices = json.loads(hints.read_text())["slices"]
    assert len(slices) == 3
    assert not any(sid in hints.read_text() for sid in cold.sessions["session_id"])

    new = completed(2)
    counting.counts.clear()
    warm = load_cohort(counting.client, cache=cache_dir, progress=False)
    # One request per slice, and the newest slice, grown to 3 + 2 sessions, pages on.
    assert counting.counts["sessions"] == 4
    assert counting.counts["transcript"] == 2 and counting.counts["recording"] == 2
    listed = [s.id for s in counting.client.sessions.list(status="completed")]
    assert list(warm.sessions["session_id"]) == listed and set(new) <= set(listed)
    assert len(json.loads(hints.read_text())["slices"]) == 4  # re-cut for 11 sessions

    async def load() -> Cohort:
        async with AsyncClient(zenhire_tenant.api_key, zenhire_tenant.base_url) as client:
            return await aload_cohort(client, cache=cache_dir, progress=False)

    _assert_same(warm, asyncio.run(load()))


def test_listing_with_a_time_filter_is_not_sliced(
    monkeypatch: pytest.MonkeyPatch, completed, counting, cache_dir: Path
) -> None:
    monkeypatch.setattr("zenhire_nb.frames.bulk._PAGE_SIZE", 2)
    completed(3)
    cohort = load_cohort(
        counting.client, created_after="2000-01-01T00:00:00Z", cache=cache_dir, progress=False
    )
    assert len(cohort.sessions) == 3
    assert list(cache_dir.rglob("listing/*.json")) == []


def _by_id_requests(counting, ids: list[str]) -> int:
    return sum(counting.counts[session_id] for session_id in ids)


def test_warm_reload_by_ids_does_not_ask_for_each_session(
    zenhire_tenant, completed, counting, cache_dir: Path
) -> None:
    ids = completed(4)
    cold = load_cohort(counting.client, session_ids=ids, cache=cache_dir, progress=False)
    assert _by_id_requests(counting, ids) == 4
    counting.counts.clear()
    warm = load_cohort(counting.client, session_ids=ids, cache=cache_dir, progress=False)
    # One summary asked for (it names the key's tenant); the others come from its cache.
    assert _by_id_requests(counting, ids) == 1 and counting.artifact_requests() == 0
    _assert_same(cold, warm)
    by_filters = load_cohort(counting.client, cache=cache_dir, progress=False)
    pd.testing.assert_frame_equal(
        warm.sessions.set_index("session_id").sort_index(),
        by_filters.sessions.set_index("session_id").sort_index(),
    )

    async def load() -> Cohort:
        async with AsyncClient(zenhire_tenant.api_key, zenhire_tenant.base_url) as client:
            return await aload_cohort(client, session_ids=ids, cache=cache_dir, progress=False)

    _assert_same(warm, asyncio.run(load()))
    # refresh= asks the platform for every summary again.
    counting.counts.clear()
    load_cohort(counting.client, session_ids=ids, cache=cache_dir, progress=False, refresh=True)
    assert _by_id_requests(counting, ids) == 4


def test_warm_reload_by_ids_still_asks_for_what_may_change(
    zenhire_tenant, completed, counting, cache_dir: Path
) -> None:
    ids = completed(2)
    with zenhire_tenant.client() as client:
        persona_id = client.sessions.get(ids[0]).persona_id
        pending = client.sessions.create(persona_id, consent_mode="integrator").id
    missing = "00000000-0000-4000-8000-000000000000"
    wanted = [missing, *ids, pending]
    with pytest.warns(CohortLoadWarning):
        load_cohort(counting.client, session_ids=wanted, cache=cache_dir, progress=False)
    counting.counts.clear()
    with pytest.warns(CohortLoadWarning):
        warm = load_cohort(counting.client, session_ids=wanted, cache=cache_dir, progress=False)
    # The unknown id and the pending session are asked for again; one completed names the tenant.
    assert counting.counts[missing] == 1 and counting.counts[pending] == 1
    assert _by_id_requests(counting, ids) == 1
    assert list(warm.failures["session_id"]) == [missing, pending]
    assert list(warm.sessions["session_id"]) == ids


def test_reload_by_ids_never_serves_another_tenants_cache(
    zenhire_sandbox, completed, completed_for, counting, cache_dir: Path
) -> None:
    theirs = completed(2)
    load_cohort(counting.client, session_ids=theirs, cache=cache_dir, progress=False)
    other = zenhire_sandbox.new_tenant(name="other")
    mine = completed_for(other, 1)
    with other.client() as client, pytest.warns(CohortLoadWarning, match="2 session"):
        cohort = load_cohort(client, session_ids=[*mine, *theirs], cache=cache_dir, progress=False)
    assert list(cohort.sessions["session_id"]) == mine
    assert set(cohort.failures["error_type"]) == {"NotFoundError"}
