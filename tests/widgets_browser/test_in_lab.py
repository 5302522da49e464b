"""The widgets in a real JupyterLab 4, in headless Chromium, against the sandbox.

One JupyterLab server for the module (see conftest.py). The kernel is the current
interpreter; it reaches the module's sandbox tenant through the environment.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.admin.client import Tenant

from .lab import Lab, kernel_output, run_cell, save_notebook, shot, wait_idle

pytestmark = pytest.mark.browser

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture(scope="module")
def lab_persona(lab_tenant: Tenant) -> str:
    with lab_tenant.client() as client:
        return client.personas.create(role_name="Data Analyst", language="en").id


def collapse_sidebar(page: Any) -> None:
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")


def launch_from_ui(page: Any, refs: list[str], *, tag: str) -> list[str]:
    """Fill the launcher on the page (pasted list, integrator consent, a tag), Check, Start;
    returns the started session ids in the order of ``refs``."""
    launcher = page.locator(".zh-launcher")
    launcher.get_by_role("button", name="Paste a list").click()
    launcher.locator("textarea[placeholder^='one per line']").fill("\n".join(refs))
    launcher.get_by_role("button", name=re.compile("^Integrator")).click()
    launcher.locator("input[placeholder^='comma separated']").fill(tag)
    launcher.get_by_role("button", name="Check").click()
    launcher.get_by_text(f"{len(refs)} session(s) will start").wait_for()
    launcher.get_by_role("button", name=f"Start {len(refs)} session(s)").click()
    page.wait_for_function(
        """(n) => document.querySelectorAll('.zh-links td.zh-state.zh-started').length === n""",
        arg=len(refs),
        timeout=30_000,
    )
    ids = []
    for ref in refs:
        row = launcher.locator(f"tr[data-candidate='{ref}']")
        ids.append(row.locator("td").nth(2).inner_text().strip())
    return ids


def readme_shot(locator: Any, name: str, max_height: int) -> None:
    """A small screenshot for the README: always in test-output/widgets/readme/, and copied to
    docs/images/ when ``ZENHIRE_DOCS_IMAGES=1`` (so an ordinary run leaves the tree clean)."""
    path = shot(locator, f"readme/{name}", max_height=max_height)
    if os.environ.get("ZENHIRE_DOCS_IMAGES") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMAGES / name)


def test_launch_complete_browse_play_and_chart(
    lab: Lab, lab_page: Any, lab_persona: str, lab_tenant: Tenant, zenhire_sandbox: Sandbox
) -> None:
    page = lab_page
    lab.write_notebook(
        "flow.ipynb",
        [
            "from zenhire_nb.widgets import CohortDashboard, ResultsBrowser, SessionLauncher",
            "launcher = SessionLauncher()\nlauncher",
            "browser = ResultsBrowser(refresh_seconds=1)\nbrowser",
            "dashboard = CohortDashboard()\ndashboard",
        ],
    )
    lab.open(page, "flow.ipynb")
    collapse_sidebar(page)
    run_cell(page, 0)
    run_cell(page, 1)

    # Start two sessions through the launcher, then reveal and read their links.
    refs = ["flow-ada", "flow-bo"]
    ids = launch_from_ui(page, refs, tag="flow")
    launcher = page.locator(".zh-launcher")
    readme_shot(launcher, "widget-launcher.png", 760)  # links masked, as a user first sees them
    links = {}
    for ref, session_id in zip(refs, ids, strict=True):
        row = launcher.locator(f"tr[data-candidate='{ref}']")
        masked = row.locator("td.zh-link").inner_text().strip()
        assert session_id and masked.endswith("#t=***"), masked  # no token on the page
        row.get_by_role("button", name="Reveal").click()
        row.get_by_role("button", name="Hide").wait_for()
        links[session_id] = row.locator("td.zh-link").inner_text().strip()
        assert links[session_id] != masked
    shot(launcher, "launcher-revealed.png")

    # The browser opens before the candidates answer: open sessions refresh by themselves.
    run_cell(page, 2)
    browser = page.locator(".zh-browser")
    browser.locator("input[placeholder='candidate or session id']").fill("flow-")
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-browser tbody tr[data-session]').length === 2"
    )

    # The candidates follow their links: the token in each link starts that very session.
    for session_id, link in links.items():
        token = link.partition("#t=")[2]
        assert token, link
        started = zenhire_sandbox.admin.candidate_start(token, consent=True)
        assert started["session_id"] == session_id, started
        zenhire_sandbox.admin.simulate(session_id, seed=3, target_minutes=0.5)
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-browser td.zh-status.zh-completed').length === 2",
        timeout=30_000,
    )

    # Open one: the transcript, an audio element that plays, a click on a turn seeks.
    browser.locator(f"tr[data-session='{ids[0]}']").click()
    player = browser.locator(".zh-player")
    page.wait_for_function(
        "() => document.querySelector('.zh-player')?.dataset.audioReady === '1'", timeout=30_000
    )
    turns = player.locator(".zh-turn")
    assert turns.count() >= 4
    assert player.locator(".zh-turn.zh-candidate").count() >= 1
    assert player.locator(".zh-turn.zh-interviewer").count() >= 1
    assert f"Session {ids[0]}" in player.locator(".zh-player-head").inner_text()
    audio = player.locator("audio")
    turns.nth(0).click()
    page.wait_for_function(
        "() => { const a = document.querySelector('.zh-player audio');"
        " return !a.paused && a.currentTime > 0.5; }",
        timeout=20_000,
    )
    assert player.locator(".zh-turn.zh-current").count() == 1
    target = turns.nth(3)
    start = float(target.get_attribute("data-start") or "nan")
    target.click()
    page.wait_for_function(
        "(t) => Math.abs(document.querySelector('.zh-player audio').currentTime - t) < 1.0",
        arg=start,
    )
    assert audio.evaluate("a => a.currentTime") >= start - 0.01
    page.wait_for_function(
        "() => document.querySelector('.zh-turn.zh-current')?.dataset.index === "
        f"'{target.get_attribute('data-index')}'"
    )
    audio.evaluate("a => a.pause()")
    shot(browser, "browser.png")
    shot(player, "player.png")
    readme_shot(player, "widget-player.png", 520)
    browser.locator("input[placeholder='candidate or session id']").fill("")
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-browser tbody tr[data-session]').length >= 2"
    )
    readme_shot(browser, "widget-browser.png", 640)

    # The dashboard: choose the persona, load, see a chart drawn.
    run_cell(page, 3)
    dashboard = page.locator(".zh-dashboard")
    dashboard.locator("select[multiple]").select_option(index=0)
    dashboard.get_by_role("button", name="Load groups").click()
    chart = dashboard.locator(".zh-chart .js-plotly-plot").first
    chart.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => { const charts = document.querySelectorAll('.zh-dashboard .zh-chart');"
        " return charts.length > 0 && Array.from(charts).every("
        "(c) => c.querySelector('.main-svg .gtitle')); }",
        timeout=30_000,
    )
    assert "Groups loaded" in dashboard.inner_text()
    wait_idle(page)
    dashboard.scroll_into_view_if_needed()
    shot(dashboard, "dashboard.png")
    readme_shot(dashboard, "widget-dashboard.png", 900)

    assert not lab.blocked, f"requests beyond 127.0.0.1: {lab.blocked[:5]}"


def completed_sessions(sandbox: Sandbox, tenant: Tenant, persona_id: str, n: int) -> dict[str, str]:
    """``n`` sessions the simulated candidate completed: ``{session_id: candidate link}``."""
    links = {}
    with tenant.client() as client:
        for index in range(n):
            created = client.sessions.create(
                persona_id,
                consent_mode="integrator",
                candidate_ref=f"size-{index:02d}",
                tags=["size"],
            )
            sandbox.admin.simulate(created.id, seed=index, target_minutes=0.4)
            links[created.id] = created.candidate_link
    return links


def test_saved_notebook_holds_no_secret_and_stays_small(
    lab: Lab, lab_page: Any, lab_persona: str, lab_tenant: Tenant, zenhire_sandbox: Sandbox
) -> None:
    page = lab_page
    links = completed_sessions(zenhire_sandbox, lab_tenant, lab_persona, 20)
    ids = list(links)
    lab.write_notebook(
        "saved.ipynb",
        [
            "from zenhire_nb.widgets import (\n"
            "    CohortDashboard, ResultsBrowser, SessionLauncher, TranscriptPlayer\n)",
            "launcher = SessionLauncher()\nlauncher",
            "browser = ResultsBrowser(refresh_seconds=0)\nbrowser",
            f"player = TranscriptPlayer(None, {ids[-1]!r})\nplayer",
            "dashboard = CohortDashboard()\ndashboard",
        ],
    )
    lab.open(page, "saved.ipynb")
    collapse_sidebar(page)
    for index in range(3):
        run_cell(page, index)

    # The launcher from an uploaded CSV; no link revealed.
    csv_bytes = (
        b"candidate_ref,tags,site\nsaved-ann,csv,upload-site-7f3a\nsaved-ben,csv,upload-site-7f3a\n"
    )
    launcher = page.locator(".zh-launcher")
    launcher.get_by_role("button", name="Upload a CSV").click()
    with page.expect_file_chooser() as chooser:  # ipywidgets keeps its <input> off the page
        launcher.get_by_role("button", name=re.compile("Choose CSV")).click()
    chooser.value.set_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": csv_bytes}]
    )
    launcher.get_by_text("people.csv: 2 candidate(s) read.").wait_for()
    launcher.get_by_role("button", name=re.compile("^Integrator")).click()
    launcher.get_by_role("button", name="Check").click()
    launcher.get_by_role("button", name="Start 2 session(s)").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-links td.zh-state.zh-started').length === 2"
    )
    browser = page.locator(".zh-browser")
    browser.get_by_label("Tag", exact=True).select_option(label="size")
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-browser tbody tr[data-session]').length === 20",
        timeout=30_000,
    )
    before = len(json.dumps(save_notebook(lab, page, "saved.ipynb")))

    # Browse the twenty sessions and play each recording.
    for session_id in ids:
        browser.locator(f"tr[data-session='{session_id}']").click()
        page.wait_for_function(
            "(sid) => { const p = document.querySelector('.zh-browser .zh-player');"
            " return p && p.dataset.audioReady === '1' && p.dataset.audioFor === sid; }",
            arg=session_id,
            timeout=30_000,
        )
        browser.locator(".zh-player .zh-turn").first.click()
        page.wait_for_function(
            "() => document.querySelector('.zh-browser .zh-player audio').currentTime > 0.2"
        )
        browser.locator(".zh-player audio").evaluate("a => a.pause()")
    run_cell(page, 3)  # the player on its own
    page.wait_for_function(
        "() => document.querySelectorAll('.zh-player')[1]?.dataset.audioReady === '1'"
    )
    alone = page.locator(".zh-player").nth(1)
    alone.locator(".zh-turn").nth(1).click()
    alone.locator("audio").evaluate("a => new Promise((ok) => setTimeout(ok, 300))")
    assert alone.locator("audio").evaluate("a => a.pause() || a.currentTime") > 0
    after = len(json.dumps(save_notebook(lab, page, "saved.ipynb")))
    print(f"saved notebook: {before:,} -> {after:,} bytes")
    assert after - before < 1_000_000, f"the notebook grew by {after - before:,} bytes"

    # The dashboard too, then the final save is searched for every secret.
    run_cell(page, 4)
    dashboard = page.locator(".zh-dashboard")
    dashboard.locator("select[multiple]").select_option(index=0)
    dashboard.get_by_role("button", name="Load groups").click()
    dashboard.locator(".zh-chart .main-svg .gtitle").first.wait_for(timeout=60_000)
    wait_idle(page)
    saved = save_notebook(lab, page, "saved.ipynb")
    text = (lab.root / "saved.ipynb").read_text("utf-8")
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(state) > 50  # the widget state was saved: the search below means something
    launched = kernel_output(page, "print(launcher.batch.csv_text())")
    launched_links = [line.split(",")[2] for line in launched.splitlines()[1:] if line]
    assert len(launched_links) == 2
    tokens = [link.partition("#t=")[2] for link in [*links.values(), *launched_links]]
    assert all(len(token) > 16 for token in tokens)
    assert lab_tenant.api_key not in text
    assert not [token for token in tokens if token in text]
    # The uploaded file: neither its text nor its bytes (widget buffers are base64).
    assert base64.b64encode(csv_bytes).decode() not in text
    assert "upload-site-7f3a" not in _state_of(state, "FileUploadModel")
    assert all(not model["state"].get("value") for model in _models(state, "FileUploadModel"))
    assert not lab.blocked, f"requests beyond 127.0.0.1: {lab.blocked[:5]}"


def _models(state: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [model for model in state.values() if model.get("model_name") == name]


def _state_of(state: dict[str, Any], name: str) -> str:
    return json.dumps(_models(state, name))


def test_a_long_recording_plays_from_its_preview_and_then_whole(
    lab: Lab, lab_page: Any, lab_persona: str, lab_tenant: Tenant, zenhire_sandbox: Sandbox
) -> None:
    page = lab_page
    with lab_tenant.client() as client:
        session_id = client.sessions.create(
            lab_persona, consent_mode="integrator", candidate_ref="long-one"
        ).id
    zenhire_sandbox.admin.simulate(session_id, seed=5, target_minutes=2.5)
    lab.write_notebook(
        "long.ipynb",
        [
            "from zenhire_nb.widgets import TranscriptPlayer",
            f"TranscriptPlayer(None, {session_id!r})",
        ],
    )
    lab.open(page, "long.ipynb")
    run_cell(page, 0)
    run_cell(page, 1)
    player = page.locator(".zh-player")
    # The first minute can play at once; the whole recording then replaces it.
    page.wait_for_function(
        "() => { const p = document.querySelector('.zh-player');"
        " return p.dataset.audioReady === '1' && p.dataset.audioPart; }"
    )
    page.wait_for_function(
        "() => document.querySelector('.zh-player').dataset.audioPart === 'full'"
        " && document.querySelector('.zh-player audio').duration > 90"
    )
    late = player.locator(".zh-turn[data-start]").last
    start = float(late.get_attribute("data-start") or "nan")
    assert start > 60  # beyond the preview
    late.click()
    page.wait_for_function(
        "(t) => { const a = document.querySelector('.zh-player audio');"
        " return !a.paused && a.currentTime >= t && a.currentTime < t + 5; }",
        arg=start,
    )
    player.locator("audio").evaluate("a => a.pause()")
    assert "Ready" in player.locator(".zh-player-status").inner_text()
