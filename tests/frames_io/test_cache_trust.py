"""The cache uses only what it wrote: replaced files are fetched again, rows are never dropped,
a read-only folder is still read and a garbage index is rebuilt from the files."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from zenhire_nb.frames import Cohort, CohortLoadWarning, ResultsCache, load_cohort
from zenhire_nb.frames._index import SessionIndex

FRAMES = ("sessions", "turns", "answers", "recordings", "summary", "failures")


def _load(client: object, cache_dir: Path) -> Cohort:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CohortLoadWarning)
        return load_cohort(client, cache=cache_dir, progress=False)  # type: ignore[arg-type]


def _assert_same(left: Cohort, right: Cohort) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


def _forget_memos(cohort: Cohort) -> None:
    # Frames memoised by an earlier load would answer before the files are looked at.
    assert cohort.cache_dir is not None
    shutil.rmtree(cohort.cache_dir / "frames", ignore_errors=True)


@pytest.mark.parametrize("replacement", ["empty", "same size, other words"])
def test_a_replaced_transcript_is_fetched_again(
    completed, counting, cache_dir: Path, replacement: str
) -> None:
    ids = completed(2)
    cold = _load(counting.client, cache_dir)
    target = cold.transcript_paths[ids[0]]
    if replacement == "empty":
        target.write_text("[]")
    else:  # what another session's answers would look like, byte for byte as long
        data = target.read_bytes()
        target.write_bytes(data.replace(b"answer number 0", b"answer number 7"))
        assert len(target.read_bytes()) == len(data)
    counting.counts.clear()
    healed = _load(counting.client, cache_dir)
    assert counting.counts["transcript"] == 1 and counting.counts["recording"] == 0
    _assert_same(cold, healed)


def test_a_same_size_overwritten_recording_is_fetched_again(
    completed, counting, cache_dir: Path
) -> None:
    ids = completed(2)
    cold = _load(counting.client, cache_dir)
    target = cold.recording_paths[ids[0]]
    data = bytearray(target.read_bytes())
    # A valid header over other samples: only the content says it is not what was cached.
    data[44:] = bytes(len(data) - 44)
    target.write_bytes(bytes(data))
    counting.counts.clear()
    healed = _load(counting.client, cache_dir)
    assert counting.counts["recording"] == 1 and counting.counts["transcript"] == 0
    _assert_same(cold, healed)
    assert target.read_bytes() != bytes(data)


def test_a_second_record_of_the_same_download_keeps_the_measured_rows(
    completed, counting, cache_dir: Path
) -> None:
    ids = completed(3)
    cold = _load(counting.client, cache_dir)
    # What another kernel does after downloading the same recording: same bytes, recorded again.
    with ResultsCache(
        counting.client.base_url, cold.sessions["client_id"][0], directory=cache_dir
    ) as cache:
        cache.recorded(ids[1])
        assert cache.entries([ids[1]])[ids[1]].recording_rows is not None
    _forget_memos(cold)
    _assert_same(cold, _load(counting.client, cache_dir))


def test_recording_rows_missing_from_the_index_are_measured_not_dropped(
    completed, counting, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows that never reach the index between measuring and building (another kernel's write
    # in between, a failing write) once dropped the recording's row without a word.
    ids = completed(3)
    monkeypatch.setattr(ResultsCache, "store_recording_rows", lambda *args: None)
    cohort = _load(counting.client, cache_dir)
    assert sorted(cohort.recordings["session_id"]) == sorted(ids)
    assert cohort.failures.empty


def test_a_garbage_index_is_rebuilt_from_the_files(completed, counting, cache_dir: Path) -> None:
    completed(3)
    cold = _load(counting.client, cache_dir)
    index = next(cache_dir.rglob("index.sqlite3"))
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"this is not a database " * 100)
    counting.counts.clear()
    rebuilt = _load(counting.client, cache_dir)
    assert counting.artifact_requests() == 0, counting.counts
    _assert_same(cold, rebuilt)
    assert index.with_name("index.sqlite3.damaged").read_bytes().startswith(b"this is not")


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` cannot be written for the block: a read-only bind mount as root (who ignores
    permission bits), else the write bits removed."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
            yield
        finally:
            # Lazy: a connection left open by a failing test must not keep the mount alive.
            subprocess.run(["umount", "--lazy", str(folder)], check=True)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")]}
    for path in modes:
        path.chmod(modes[path] & ~0o222)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_a_read_only_cache_is_still_read(completed, counting, cache_dir: Path) -> None:
    completed(2)
    cold = _load(counting.client, cache_dir)
    _forget_memos(cold)
    # The last connection closing checkpoints the WAL, as when a kernel has ended.
    with _read_only(cache_dir):
        with pytest.raises(OSError):
            (cache_dir / "probe").write_text("x")
        counting.counts.clear()
        warm = _load(counting.client, cache_dir)
    assert counting.artifact_requests() == 0
    _assert_same(cold, warm)


def test_an_index_in_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "tenant"
    folder.mkdir()
    index = SessionIndex(folder / "index.sqlite3")
    index.put_transcript("s-1", True, "abc")
    index.close()
    with _read_only(folder):
        reader = SessionIndex(folder / "index.sqlite3")
        assert reader.read_only and reader.rows()["s-1"].transcript_digest == "abc"
        reader.close()


def test_an_unexpected_error_of_one_session_is_its_failure_not_an_aborted_load(
    completed, counting, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zenhire_nb.frames import _cohort

    ids = completed(3)
    real = _cohort.recording_rows

    def measure(session_id: str, *args: object, **kwargs: object) -> object:
        if session_id == ids[1]:
            raise RuntimeError("a bug met by this recording only")
        return real(session_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_cohort, "recording_rows", measure)
    with pytest.warns(CohortLoadWarning, match="1 session"):
        cohort = load_cohort(counting.client, cache=cache_dir, progress=False)
    assert cohort.failures[["session_id", "stage", "error_type"]].values.tolist() == [
        [ids[1], "recording_analysis", "RuntimeError"]
    ]
    assert sorted(cohort.recordings["session_id"]) == sorted([ids[0], ids[2]])
    assert len(cohort.sessions) == 3 and cohort.turns["session_id"].nunique() == 3
