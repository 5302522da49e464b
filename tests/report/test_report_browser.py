"""The report in headless Chromium with every network request blocked: each figure is drawn and
the console stays clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zenhire_nb import samples
from zenhire_nb.report import write_report

pytestmark = pytest.mark.browser


def test_report_draws_offline(browser: Any, tmp_path: Path) -> None:
    path = write_report(tmp_path / "report.html", samples.cohort(), samples.stt_check())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(plot => plot.querySelector('.main-svg'))"
    )
    figures = page.evaluate("document.querySelectorAll('.js-plotly-plot').length")
    assert figures == 9
    assert problems == [] and outside == []
    out = Path(__file__).parent.parent.parent / "test-output"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "report.png"), full_page=False)
    context.close()
