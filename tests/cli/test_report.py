"""`zenhire-nb report` for a chosen cohort, through `main()` in this process (real sandbox)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _helpers import CliCohort

from zenhire_nb.cli import main


def test_report_of_one_persona_with_the_stt_check(
    cli_cohort: CliCohort,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in cli_cohort.env(tmp_path / "cache").items():
        if name.startswith("ZENHIRE_"):
            monkeypatch.setenv(name, value)
    out = tmp_path / "reports" / "analysts.html"
    code = main(["report", "--persona", "Software Engineer", "--out", str(out), "--by", "tags"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "[1/4] loading CohortQuery(persona_id=" in printed.out
    assert "checked 1 sessions" in printed.out
    assert f"[4/4] report written: {out}" in printed.out
    page = out.read_text(encoding="utf-8")
    assert 'id="stt"' in page and page.count("plotly.js v") == 1
    assert not re.search(r"<script[^>]+src=", page)
    assert "concise" in page and "verbose" not in page  # that persona's tag, only
    assert cli_cohort.sandbox.api_key not in printed.out + printed.err + page


def test_report_of_every_status_without_the_check(
    cli_cohort: CliCohort,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in cli_cohort.env(tmp_path / "cache").items():
        if name.startswith("ZENHIRE_"):
            monkeypatch.setenv(name, value)
    out = tmp_path / "all.html"
    assert main(["report", "--status", "any", "--no-stt", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="stt"' not in page
    assert "6 sessions" in page and "failed" in page
    assert "[3/3] report written" in capsys.readouterr().out
