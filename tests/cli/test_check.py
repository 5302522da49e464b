"""`zenhire-nb check`: here, on a local Dask cluster (--workers) and on an existing one
(--scheduler); its frames written next to the export (real sandbox, real Whisper, real Dask)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from _helpers import CliCohort, run_cli

pytestmark = pytest.mark.stt

_FRAMES = ("sessions", "turns", "differences", "failures")


def _two(cli_cohort: CliCohort) -> list[str]:
    return [arg for sid in cli_cohort.completed[:2] for arg in ("--session-id", sid)]


def test_check_here_writes_its_frames(cli_cohort: CliCohort, tmp_path: Path) -> None:
    export = tmp_path / "export"
    env = cli_cohort.env(tmp_path / "cache")
    done = run_cli("check", *_two(cli_cohort), "--export", str(export), env=env)
    assert done.returncode == 0, done.stderr
    assert "checked 2 sessions" in done.stdout and "ran in 1 process" in done.stdout
    assert "checking" in done.stderr  # the progress bar
    sessions = pd.read_parquet(export / "stt_sessions.parquet")
    assert sorted(sessions["session_id"]) == sorted(cli_cohort.completed[:2])
    assert sessions["wer"].between(0, 1).all()
    turns = pd.read_parquet(export / "stt_turns.parquet")
    assert turns["flagged"].dtype == bool and len(turns) > 4
    for name in _FRAMES:
        assert (export / f"stt_{name}.parquet").is_file()
    # Cached: the same check again transcribes nothing (and says the same).
    again = run_cli("check", *_two(cli_cohort), env=env)
    assert again.returncode == 0, again.stderr
    assert re.search(r"mean word error rate [\d.]+%", again.stdout)
    wer = re.search(r"mean word error rate ([\d.]+%)", done.stdout)
    assert wer and wer[1] in again.stdout


@pytest.mark.slow
def test_check_on_a_local_dask_cluster(cli_cohort: CliCohort, tmp_path: Path) -> None:
    export = tmp_path / "export"
    done = run_cli(
        "check",
        *_two(cli_cohort),
        "--workers",
        "2",
        "--export",
        str(export),
        env=cli_cohort.env(tmp_path / "cache"),
    )
    assert done.returncode == 0, done.stderr
    assert "local Dask cluster: 2 workers" in done.stdout
    assert "checked 2 sessions" in done.stdout
    assert len(pd.read_parquet(export / "stt_sessions.parquet")) == 2


@pytest.mark.slow
def test_check_on_an_existing_dask_cluster(cli_cohort: CliCohort, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        done = run_cli(
            "check",
            "--session-id",
            cli_cohort.completed[0],
            "--scheduler",
            cluster.scheduler_address,
            env=cli_cohort.env(tmp_path / "cache"),
        )
    assert done.returncode == 0, done.stderr
    assert f"Dask scheduler {cluster.scheduler_address}: 1 workers" in done.stdout
    assert "checked 1 sessions" in done.stdout and "ran in 1 process" in done.stdout


def test_an_unreachable_scheduler_is_one_line(cli_cohort: CliCohort, tmp_path: Path) -> None:
    done = run_cli(
        "check",
        "--session-id",
        cli_cohort.completed[0],
        "--scheduler",
        "tcp://127.0.0.1:9",
        env=cli_cohort.env(tmp_path / "cache"),
        timeout=120,
    )
    assert done.returncode == 1
    assert "error: cannot reach the Dask scheduler tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
