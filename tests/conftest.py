"""Suite-wide rules, and the headless Chromium every browser test uses (Debian's, driven by
Playwright; never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[Any, Any, None]:
    """In CI a skipped test is a failure: CI installs everything, so a skip means something it
    needs is missing, and a green run must not hide it."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI (everything a test needs is installed there): {report.longrepr}"
        )


def chromium_path() -> str:
    """Debian's chromium; skips the test when it is missing, unless ``CI`` is set (fails)."""
    path = shutil.which("chromium")
    if path is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; it is required when CI is set")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def launch_chromium() -> Iterator[Callable[..., Any]]:
    """``launch_chromium(extra_args=())``: a headless Debian Chromium (the caller closes it).

    One Playwright driver per module, not per run: the sync API keeps an event loop running on
    the main thread while its driver lives, which would break every later test that calls
    ``asyncio.run`` (as the async client's tests do).
    """
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:

        def launch(extra_args: Sequence[str] = ()) -> Any:
            return playwright.chromium.launch(
                executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
            )

        yield launch


@pytest.fixture(scope="module")
def browser(launch_chromium: Callable[..., Any]) -> Iterator[Any]:
    """A headless Chromium shared by a module's tests (a fresh context per page)."""
    launched = launch_chromium()
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
