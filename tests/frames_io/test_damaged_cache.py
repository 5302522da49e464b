"""Damaged cache files are cache misses: fetched again over real HTTP, frames as cold ones."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

import pandas as pd
import pytest

from zenhire_nb import AsyncClient
from zenhire_nb.frames import Cohort, CohortLoadWarning, aload_cohort, load_cohort

FRAMES = ("sessions", "turns", "answers", "recordings", "summary", "failures")


def _assert_same(left: Cohort, right: Cohort) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)
    assert left.transcript_paths == right.transcript_paths
    assert left.recording_paths == right.recording_paths


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _break_header(path: Path) -> None:
    # Same size, so the index's recorded size still matches: only the header says it is bad.
    data = bytearray(path.read_bytes())
    data[0:4] = b"JUNK"
    path.write_bytes(bytes(data))


def _load(client: object, cache_dir: Path) -> Cohort:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CohortLoadWarning)
        return load_cohort(client, cache=cache_dir, progress=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("damage_recording", [_break_header, _truncate])
def test_damaged_files_are_fetched_again(
    completed, counting, cache_dir: Path, damage_recording
) -> None:
    ids = completed(3)
    cold = _load(counting.client, cache_dir)
    transcript_file = cold.transcript_paths[ids[0]]
    recording_file = cold.recording_paths[ids[1]]
    _truncate(transcript_file)
    damage_recording(recording_file)

    counting.counts.clear()
    healed = _load(counting.client, cache_dir)
    assert counting.counts["transcript"] == 1 and counting.counts["recording"] == 1
    assert healed.failures.empty
    _assert_same(cold, healed)
    assert transcript_file.read_bytes()[:1] == b"[" and recording_file.read_bytes()[:4] == b"RIFF"
    assert not [p for p in cache_dir.rglob("*") if p.name.endswith(".part")]

    # The healed frames are memoised under the new files; nothing is requested any more.
    counting.counts.clear()
    warm = _load(counting.client, cache_dir)
    assert counting.artifact_requests() == 0, counting.counts
    _assert_same(cold, warm)


def test_damage_after_a_warm_load_invalidates_the_memo(completed, counting, cache_dir) -> None:
    ids = completed(2)
    cold = _load(counting.client, cache_dir)
    _load(counting.client, cache_dir)  # warm: read from the memo
    cold.transcript_paths[ids[1]].write_bytes(b'[{"speaker": "interv')
    counting.counts.clear()
    healed = _load(counting.client, cache_dir)
    assert counting.counts["transcript"] == 1 and counting.counts["recording"] == 0
    _assert_same(cold, healed)


def test_async_loader_heals_too(zenhire_tenant, completed, cache_dir: Path) -> None:
    ids = completed(2)

    async def load() -> Cohort:
        async with AsyncClient(zenhire_tenant.api_key, zenhire_tenant.base_url) as client:
            return await aload_cohort(client, cache=cache_dir, progress=False)

    cold = asyncio.run(load())
    _truncate(cold.transcript_paths[ids[0]])
    _break_header(cold.recording_paths[ids[0]])
    healed = asyncio.run(load())
    assert healed.failures.empty
    _assert_same(cold, healed)


def test_a_failed_refetch_is_reported_once(
    zenhire_sandbox, zenhire_tenant, completed, counting, cache_dir
) -> None:
    ids = completed(2)
    cold = _load(counting.client, cache_dir)
    _break_header(cold.recording_paths[ids[0]])
    with zenhire_tenant.client() as client:
        key = client.sessions.get(ids[0]).recording_s3_key
    zenhire_sandbox.state.artifacts.path(key).unlink()  # the platform lost it meanwhile

    with pytest.warns(CohortLoadWarning, match="1 session"):
        cohort = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert cohort.failures[["session_id", "stage"]].values.tolist() == [[ids[0], "recording"]]
    assert list(cohort.recordings["session_id"]) == [ids[1]]
    pd.testing.assert_frame_equal(cohort.turns, cold.turns)

    # Still damaged, so the next load tries again (and still reports it, never silently).
    counting.counts.clear()
    with pytest.warns(CohortLoadWarning):
        again = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert counting.counts["recording"] >= 1
    assert again.failures["stage"].tolist() == ["recording"]
