"""Every command: --help with examples, one-line errors with a non-zero exit, and never the API
key or a raw candidate link in what it prints or writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import CliCohort, run_cli

from zenhire_nb.cli import main


@pytest.mark.parametrize("command", ["demo", "lab", "report", "fetch", "check"])
def test_help_has_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"zenhire-nb {command}" in out


def _one_line_error(done, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert done.returncode == 1, (done.stdout, done.stderr)
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def test_missing_key(cli_cohort: CliCohort, tmp_path: Path) -> None:
    env = cli_cohort.env(tmp_path, ZENHIRE_API_KEY=None)
    for command in (["fetch"], ["report", "--out", str(tmp_path / "r.html")], ["check"]):
        done = run_cli(*command, env=env)
        _one_line_error(done, f"zenhire-nb {command[0]}: error: no API key", "ZENHIRE_API_KEY")


def test_wrong_key_is_named_but_not_shown(cli_cohort: CliCohort, tmp_path: Path) -> None:
    wrong = "zh_api_not_a_real_key_1234567890"
    done = run_cli("fetch", env=cli_cohort.env(tmp_path, ZENHIRE_API_KEY=wrong))
    _one_line_error(done, "Error")
    assert wrong not in done.stdout + done.stderr


def test_unknown_persona_lists_the_known_ones(cli_cohort: CliCohort, tmp_path: Path) -> None:
    done = run_cli("fetch", "--persona", "Astronaut", env=cli_cohort.env(tmp_path))
    _one_line_error(done, "unknown persona 'Astronaut'", "'Data Analyst'", "'Customer Support'")


def test_nothing_matches(cli_cohort: CliCohort, tmp_path: Path) -> None:
    done = run_cli(
        "report",
        "--tag",
        "no-such-tag",
        "--out",
        str(tmp_path / "r.html"),
        env=cli_cohort.env(tmp_path),
    )
    _one_line_error(done, "no session matches", "no-such-tag")
    assert not (tmp_path / "r.html").exists()


def test_bad_filters_are_named(cli_cohort: CliCohort, tmp_path: Path) -> None:
    env = cli_cohort.env(tmp_path)
    _one_line_error(run_cli("fetch", "--created-after", "last tuesday", env=env), "--created-after")
    _one_line_error(run_cli("fetch", "--metadata", "cohort", env=env), "--metadata", "KEY=VALUE")
    _one_line_error(
        run_cli("fetch", "--session-id", cli_cohort.completed[0], "--tag", "demo", env=env),
        "--session-id",
    )
    _one_line_error(run_cli("check", "--workers", "0", env=env), "--workers")
    _one_line_error(
        run_cli(
            "report",
            "--no-stt",
            "--by",
            "no_such_column",
            "--out",
            str(tmp_path / "r.html"),
            env=env,
        ),
        "no_such_column",
    )
    unknown = run_cli("fetch", "--status", "happy", env=env)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


def test_unreachable_platform(cli_cohort: CliCohort, tmp_path: Path) -> None:
    done = run_cli("fetch", env=cli_cohort.env(tmp_path, ZENHIRE_BASE_URL="http://127.0.0.1:9"))
    _one_line_error(done, "Error")


def test_the_key_and_the_link_never_appear(cli_cohort: CliCohort, tmp_path: Path) -> None:
    key, token = cli_cohort.sandbox.api_key, cli_cohort.link_token
    env = cli_cohort.env(tmp_path / "cache")
    export = tmp_path / "export"
    report = tmp_path / "report.html"
    runs = [
        run_cli("fetch", "--status", "any", "--export", str(export), env=env),
        run_cli("report", "--no-stt", "--status", "any", "--out", str(report), env=env),
        run_cli("fetch", "--persona", "Astronaut", env=env),  # an error path too
    ]
    for done in runs:
        assert key not in done.stdout + done.stderr
        assert token not in done.stdout + done.stderr
    assert runs[0].returncode == 0 and runs[1].returncode == 0, runs[1].stderr
    written = [*export.rglob("*"), report]
    assert len(written) > 10
    for path in written:
        if path.is_file():
            data = path.read_bytes()
            assert key.encode() not in data and token.encode() not in data, path
