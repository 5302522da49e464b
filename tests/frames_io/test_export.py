"""A cohort exported as Parquet + files reads back with its dtypes and UTC times; re-runs copy
only what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from zenhire_nb.frames import export_cohort, load_cohort, read_export
from zenhire_nb.frames.export import FRAME_NAMES


@pytest.fixture
def cohort(completed, counting, cache_dir: Path, zenhire_tenant):
    completed(3, tags=["batch-7", "eu"])
    return load_cohort(counting.client, cache=cache_dir, progress=False)


def test_parquet_keeps_dtypes_and_utc_times(cohort, tmp_path: Path) -> None:
    out = tmp_path / "export"
    summary = export_cohort(cohort, out)
    assert summary.copied == 6 and summary.already_there == 0
    sessions = pd.read_parquet(out / "sessions.parquet")  # plain pandas, as a user would
    assert str(sessions["created_at"].dtype) == "datetime64[us, UTC]"
    assert str(sessions["duration_sec"].dtype) == "Int64"
    assert str(sessions["feedback_negative"].dtype) == "boolean"
    assert sessions["session_id"].dtype == "string"
    assert list(sessions["tags"][0]) == ["batch-7", "eu"]
    turns = pd.read_parquet(out / "turns.parquet")
    assert isinstance(turns["speaker"].dtype, pd.CategoricalDtype)
    assert list(turns["speaker"].cat.categories) == ["interviewer", "candidate"]
    assert len(turns) == len(cohort.turns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["frames"]["turns"] == len(cohort.turns) and manifest["artifacts"] == 6
    for sid in cohort.sessions["session_id"]:
        assert (out / "recordings" / f"{sid}.wav").read_bytes()[:4] == b"RIFF"
        json.loads((out / "transcripts" / f"{sid}.json").read_text())
    assert not list(out.rglob("*.part"))


def test_read_export_restores_the_schemas(cohort, tmp_path: Path) -> None:
    export_cohort(cohort, tmp_path / "export", artifacts=False)
    frames = read_export(tmp_path / "export")
    for name in FRAME_NAMES:
        expected = getattr(cohort, name).copy()
        expected.attrs = {}
        pd.testing.assert_frame_equal(frames[name], expected, obj=name)


def test_a_rerun_copies_only_what_is_missing(cohort, tmp_path: Path) -> None:
    out = tmp_path / "export"
    export_cohort(cohort, out)
    sid = cohort.sessions["session_id"][0]
    (out / "recordings" / f"{sid}.wav").unlink()
    (out / "transcripts" / f"{sid}.json").write_text("[")  # cut short by an earlier crash
    again = export_cohort(cohort, out)
    assert (again.copied, again.already_there) == (2, 4)
    assert (out / "recordings" / f"{sid}.wav").stat().st_size == cohort.recording_paths[
        sid
    ].stat().st_size


def test_no_raw_documents_in_the_files(cohort, tmp_path: Path) -> None:
    export_cohort(cohort, tmp_path / "export", artifacts=False)
    import pyarrow.parquet as pq

    meta = pq.read_schema(tmp_path / "export" / "turns.parquet").metadata
    assert b"raw" not in json.loads(meta[b"pandas"]).get("attributes", {}).__repr__().encode()
