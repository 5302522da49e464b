"""The cohort report: every section, plotly.js once, nothing from the network, data escaped."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from zenhire_nb import samples
from zenhire_nb.report import ReportWarning, build_report, write_report


@pytest.fixture(scope="module")
def cohort():
    return samples.cohort()


@pytest.fixture(scope="module")
def check():
    return samples.stt_check()


def test_every_section_and_chart_is_there(cohort, check) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReportWarning)  # every chart draws
        page = build_report(cohort, check, by="role_name", note="Simulated interviews.")
    for anchor in ("overview", "charts", "answers", "stt", "sessions"):
        assert f'id="{anchor}"' in page
    # Nine charts: seven in "Charts", STT agreement, and the answers' distributions.
    assert page.count('class="plotly-graph-div"') == 9
    assert "Simulated interviews." in page
    for candidate in cohort.sessions["candidate_ref"].dropna():
        assert candidate in page


def test_self_contained(cohort, check) -> None:
    page = build_report(cohort, check)
    assert page.count("plotly.js v") == 1  # the library's banner: embedded once
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    # Outside the library's own source (which names its CDN in strings), no address at all.
    library_end = page.index("</script>")
    assert "http://" not in page[library_end:] and "https://" not in page[library_end:]


def test_without_a_check_the_stt_section_is_left_out(cohort) -> None:
    page = build_report(cohort)
    assert 'id="stt"' not in page and page.count('class="plotly-graph-div"') == 8


def test_data_is_escaped(cohort) -> None:
    hostile = cohort.sessions.copy()
    hostile.loc[0, "candidate_ref"] = "<script>alert(1)</script>"
    summary = cohort.summary.copy()
    summary.loc[summary["session_id"] == hostile.loc[0, "session_id"], "candidate_ref"] = (
        "<script>alert(1)</script>"
    )
    from dataclasses import replace

    page = build_report(replace(cohort, sessions=hostile, summary=summary))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_bad_grouping_is_a_clear_error(cohort) -> None:
    with pytest.raises(ValueError, match="no_such_column"):
        build_report(cohort, by="no_such_column")


def test_a_chart_that_cannot_be_drawn_is_said_in_its_place(
    cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zenhire_nb import charts

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("talk time exploded")

    monkeypatch.setattr(charts, "talk_time", broken)
    with pytest.warns(ReportWarning, match="cannot draw 'Talk time'"):
        page = build_report(cohort)
    assert "Cannot draw this chart: talk time exploded" in page
    assert page.count('class="plotly-graph-div"') == 7


def test_write_report_is_atomic(cohort, tmp_path: Path) -> None:
    target = write_report(tmp_path / "out" / "report.html", cohort)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_the_lead_is_escaped_once_and_the_cards_sit_in_a_row(cohort) -> None:
    from dataclasses import replace

    from zenhire_nb.frames import CohortQuery

    page = build_report(replace(cohort, query=CohortQuery(tags=["o'neil"])))
    assert "o&#x27;neil" in page
    assert "&amp;#x27;" not in page and "&amp;quot;" not in page
    assert '<div class="cards"><div class=card>' in page


def test_the_lead_says_the_cohort_query_in_plain_words(cohort) -> None:
    from dataclasses import replace

    from zenhire_nb.frames import CohortQuery

    query = CohortQuery(status=None, tags=["demo"], metadata={"region": "emea"})
    page = build_report(replace(cohort, query=query))
    assert "every status; tag demo; region = emea" in page
    assert "CohortQuery(" not in page
