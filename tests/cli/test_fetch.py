"""`zenhire-nb fetch`: the cache, the Parquet/WAV/JSON export, and resuming (real subprocesses
against a real sandbox)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from _helpers import CliCohort, run_cli

from zenhire_nb.frames import SCHEMAS, read_wav_info


@pytest.fixture(scope="module")
def fetched(cli_cohort: CliCohort, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The first fetch (with export) of every completed session into a fresh cache."""
    cache = tmp_path_factory.mktemp("fetch-cache")
    export = tmp_path_factory.mktemp("fetch-export") / "cohort"
    done = run_cli("fetch", "--export", str(export), env=cli_cohort.env(cache))
    return {"cache": cache, "export": export, "done": done}


def test_first_fetch_downloads_and_exports(fetched: dict, cli_cohort: CliCohort) -> None:
    done = fetched["done"]
    assert done.returncode == 0, done.stderr
    assert "5 sessions (5 completed): downloaded 5 transcripts and 5 recordings" in done.stdout
    assert "6 Parquet frames, 10 files copied, 0 already there" in done.stdout
    assert "ZenHire results" in done.stderr and "100%" in done.stderr  # the progress bar
    export: Path = fetched["export"]
    wavs = sorted(export.glob("recordings/*.wav"))
    transcripts = sorted(export.glob("transcripts/*.json"))
    assert len(wavs) == len(transcripts) == 5
    assert read_wav_info(wavs[0]).sample_rate == 16_000
    assert json.loads(transcripts[0].read_text())


def test_exported_parquet_reads_back_with_pandas(fetched: dict) -> None:
    export: Path = fetched["export"]
    sessions = pd.read_parquet(export / "sessions.parquet")
    assert len(sessions) == 5
    for column in ("created_at", "started_at", "completed_at"):
        assert isinstance(sessions[column].dtype, pd.DatetimeTZDtype), column
        assert str(sessions[column].dt.tz) == "UTC", column
    assert sessions["created_at"].min() < pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=7)
    assert str(sessions["duration_sec"].dtype) == str(SCHEMAS["sessions"]["duration_sec"].dtype)
    assert sessions["status"].dtype == "string"
    assert "demo" in list(sessions["tags"].iloc[-1])  # a list of strings

    turns = pd.read_parquet(export / "turns.parquet")
    assert isinstance(turns["speaker"].dtype, pd.CategoricalDtype)
    assert set(turns["speaker"].cat.categories) >= {"interviewer", "candidate"}
    assert turns["text"].dtype == "string"
    assert str(turns["start_sec"].dtype) == "float64"
    assert turns["session_id"].nunique() == 5
    recordings = pd.read_parquet(export / "recordings.parquet")
    assert len(recordings) >= 5 and (recordings["duration_sec"] > 5).all()


def test_a_rerun_fetches_nothing_and_copies_nothing(fetched: dict, cli_cohort: CliCohort) -> None:
    assert fetched["done"].returncode == 0
    # Any artifact request would now fail: a re-run that succeeds cannot have made one.
    cli_cohort.sandbox.set_faults(["get_transcript:500=1", "get_recording:500=1"])
    try:
        again = run_cli(
            "fetch", "--export", str(fetched["export"]), env=cli_cohort.env(fetched["cache"])
        )
    finally:
        cli_cohort.sandbox.set_faults([])
    assert again.returncode == 0, again.stderr
    assert (
        "downloaded 0 transcripts and 0 recordings, 5 sessions already in the cache" in again.stdout
    )
    assert "0 files copied, 10 already there" in again.stdout


def test_a_rerun_fetches_only_what_is_missing(
    fetched: dict, cli_cohort: CliCohort, tmp_path: Path
) -> None:
    assert fetched["done"].returncode == 0
    cache = tmp_path / "cache"
    shutil.copytree(fetched["cache"], cache)
    export = tmp_path / "export"
    shutil.copytree(fetched["export"], export)
    lost = sorted(cache.rglob("*.wav"))[0]
    lost.unlink()  # as if the first run had been interrupted before this download
    (export / "recordings" / f"{lost.stem}.wav").unlink(missing_ok=True)
    cli_cohort.sandbox.set_faults(["get_transcript:500=1"])
    try:
        again = run_cli("fetch", "--export", str(export), env=cli_cohort.env(cache))
    finally:
        cli_cohort.sandbox.set_faults([])
    assert again.returncode == 0, again.stderr
    assert "downloaded 0 transcripts and 1 recordings" in again.stdout
    assert re.search(r"\b1 files copied, 9 already there", again.stdout), again.stdout


def test_fetch_with_filters(fetched: dict, cli_cohort: CliCohort, tmp_path: Path) -> None:
    env = cli_cohort.env(fetched["cache"])
    steady = run_cli("fetch", "--persona", "data analyst", "--tag", "steady", env=env)
    assert steady.returncode == 0, steady.stderr
    assert "1 sessions (1 completed)" in steady.stdout
    every = run_cli("fetch", "--status", "any", "--no-recordings", env=env)
    assert every.returncode == 0, every.stderr
    assert "6 sessions (5 completed)" in every.stdout
    recent = run_cli(
        "fetch",
        "--tag",
        "demo",
        "--created-after",
        "2000-01-01",
        "--metadata",
        "cohort=verbose",
        env=env,
    )
    assert recent.returncode == 0, recent.stderr
    assert "1 sessions (1 completed)" in recent.stdout
    exact = run_cli("fetch", "--session-id", cli_cohort.completed[0], env=env)
    assert exact.returncode == 0 and "1 sessions (1 completed)" in exact.stdout
