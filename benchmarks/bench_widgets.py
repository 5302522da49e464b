"""The widgets in a real JupyterLab 4 in headless Chromium, over 5,000 sessions of a sandbox.

- ``browser_first_page_seconds``: a cell ``ResultsBrowser()`` runs -> its first page of rows is
  on the screen (the kernel lists the sessions from the sandbox over HTTP meanwhile); the
  median of three runs, the first one printed too.
- ``browser_filter_ms``: a filter typed into the browser's search box -> the new page of rows on
  the screen (kernel-side filter and page update, plus the trip through the browser); the
  median over several filters. The kernel-side part alone is printed as well.
- ``player_audio_start_seconds``: a click on a session with a 10-minute recording, never
  loaded before (cold cache) -> its audio element can play.

Seeding: 5,000 sessions are written straight into the sandbox's store (90 % completed, 5 %
failed, 5 % still open: the browser refreshes those), plus one interview simulated through the
admin API with a real 10-minute recording. Chromium is Debian's (``/usr/bin/chromium``).

Run: ``python benchmarks/bench_widgets.py [--sessions 5000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "widgets_browser"))

from lab import kernel_output, run_cell, start_lab, wait_idle  # noqa: E402

from zenhire_nb.sandbox import Sandbox  # noqa: E402

TARGET_FIRST_PAGE_SEC = 2.0
TARGET_FILTER_MS = 300.0
TARGET_AUDIO_START_SEC = 1.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
TEAMS = ("data", "platform", "growth", "support")


def seed(sandbox: Sandbox, n: int) -> tuple[str, str]:
    """``n`` sessions in the store; returns (persona id, id of the 10-minute interview)."""
    state = sandbox.state
    client_id = sandbox.client_id
    persona = state.personas.create(
        client_id,
        role_name="Data Analyst",
        language="en",
        system_prompt=None,
        base_prompt_override=None,
    )
    persona_id = str(persona["id"])
    rng = random.Random(7)
    finished = []
    for index in range(n):
        session_id, _token = state.sessions.create(
            client_id,
            persona_id,
            consent_mode="integrator",
            candidate_ref=f"cand-{index:05d}",
            tags=[f"wave-{index % 10}"],
            metadata={"team": TEAMS[index % len(TEAMS)]},
        )
        roll = rng.random()
        if roll < 0.95:
            finished.append((session_id, "completed" if roll < 0.9 else "failed"))
    with state.db.tx() as conn:
        for session_id, status in finished:
            duration = rng.randint(300, 1800)
            outcome = {
                "status": status,
                "duration_sec": duration if status == "completed" else None,
                "feedback": {"rating": rng.randint(1, 5)} if status == "completed" else None,
                "error_code": None if status == "completed" else "CANDIDATE_LEFT",
            }
            state.sessions.finish(conn, session_id, outcome, 5 * (duration // 60 + 1))
    with sandbox.client() as client:
        long_one = client.sessions.create(
            persona_id, consent_mode="integrator", candidate_ref="long-interview"
        ).id
    sandbox.admin.simulate(long_one, seed=1, target_minutes=10)
    return persona_id, long_one


_TIME_FIRST_PAGE = """async (index) => {
    const panel = window.zhPanel;
    panel.content.activeCellIndex = index;
    const cell = panel.content.widgets[index];
    const started = performance.now();
    window.jupyterapp.commands.execute('notebook:run-cell');
    return await new Promise((resolve) => {
        const tick = () => {
            const rows = cell.node.querySelectorAll('.zh-browser tbody tr[data-session]');
            const spent = performance.now() - started;
            if (rows.length >= 25 || spent > 60000) resolve(spent);
            else setTimeout(tick, 5);
        };
        tick();
    });
}"""

_TIME_FILTER = """async ([index, text]) => {
    const cell = window.zhPanel.content.widgets[index];
    const input = cell.node.querySelector("input[placeholder='candidate or session id']");
    const info = cell.node.querySelector('.zh-sessions .zh-info');
    const before = info.textContent;
    const started = performance.now();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return await new Promise((resolve) => {
        const tick = () => {
            const spent = performance.now() - started;
            if (info.textContent !== before || spent > 20000) resolve(spent);
            else setTimeout(tick, 2);
        };
        tick();
    });
}"""

_TIME_AUDIO = """async ([index, sid]) => {
    const cell = window.zhPanel.content.widgets[index];
    const row = cell.node.querySelector(`tr[data-session='${sid}']`);
    const started = performance.now();
    row.click();
    window.zhMarks = {}; // when the session's detail and the first audio message appeared
    return await new Promise((resolve) => {
        const tick = () => {
            const player = cell.node.querySelector('.zh-player');
            const now = performance.now() - started;
            if (player && !window.zhMarks.view) window.zhMarks.view = now;
            const heard = player && player.dataset.audioFor === sid;
            if (heard && !window.zhMarks.msg) window.zhMarks.msg = now;
            const spent = performance.now() - started;
            const ready = player && player.dataset.audioFor === sid
                && player.dataset.audioReady === '1';
            if (ready || spent > 60000) resolve(spent);
            else setTimeout(tick, 5);
        };
        tick();
    });
}"""


def verdict(name: str, measured: str, target: str, passed: bool) -> None:
    print(f"BENCH {name}: {measured} (target {target}) {'PASS' if passed else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with (
        Sandbox(credits=10_000_000, rate_limit_per_minute=10_000_000) as sandbox,
        tempfile.TemporaryDirectory() as tmp,
    ):
        started = time.perf_counter()
        _persona, long_one = seed(sandbox, args.sessions)
        print(f"setup: {args.sessions} sessions + a 10-min interview in ", end="")
        print(f"{time.perf_counter() - started:.1f}s")
        lab = start_lab(Path(tmp), api_key=sandbox.api_key, base_url=sandbox.base_url)
        try:
            cells = [
                "from zenhire_nb.widgets import ResultsBrowser",
                *[f"b{i} = ResultsBrowser()\nb{i}" for i in range(3)],
            ]
            lab.write_notebook("bench.ipynb", cells)
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
                )
                page = chromium.new_page(viewport={"width": 1280, "height": 1800})
                page.set_default_timeout(60_000)
                lab.open(page, "bench.ipynb")
                run_cell(page, 0)
                first_pages = []
                for index in (1, 2, 3):
                    first_pages.append(page.evaluate(_TIME_FIRST_PAGE, index) / 1000)
                    wait_idle(page)
                    loaded = kernel_output(
                        page, f"b{index - 1}.wait_loaded(120); print(len(b{index - 1}.table.frame))"
                    )
                    if index < 3:
                        kernel_output(page, f"b{index - 1}.close()")
                print(f"first page of rows (s): {', '.join(f'{x:.2f}' for x in first_pages)}")
                print(f"sessions loaded by the browser: {loaded.strip()}")

                filters = ["cand-0012", "cand-001", "", "long", "cand-04", "zzz-none", ""]
                round_trips = [page.evaluate(_TIME_FILTER, [3, text]) for text in filters]
                print(f"filter round trips (ms): {', '.join(f'{x:.0f}' for x in round_trips)}")
                kernel_side = json.loads(
                    kernel_output(
                        page,
                        "import json, time\nout = []\n"
                        f"for text in {filters!r}:\n"
                        "    t = time.perf_counter(); b2.search.value = text\n"
                        "    out.append(1000 * (time.perf_counter() - t))\n"
                        "print(json.dumps(out))",
                    )
                )
                print(f"kernel side only (ms): {', '.join(f'{x:.0f}' for x in kernel_side)}")

                page.evaluate(_TIME_FILTER, [3, "long-interview"])
                audio_cold = page.evaluate(_TIME_AUDIO, [3, long_one]) / 1000
                print(f"10-min recording, cold cache: {audio_cold:.2f}s")
                marks = page.evaluate("() => window.zhMarks")
                print(
                    f"  session shown {marks.get('view', 0) / 1000:.2f}s, "
                    f"first audio message {marks.get('msg', 0) / 1000:.2f}s, can play "
                    f"{audio_cold:.2f}s (a 60-s preview; the whole file follows)"
                )
                chromium.close()
        finally:
            lab.stop()

    loaded_all = loaded.strip() == str(args.sessions + 1)
    first_page = statistics.median(first_pages)
    verdict(
        "browser_first_page_seconds",
        f"{first_page:.2f}s",
        f"<{TARGET_FIRST_PAGE_SEC:g}s",
        first_page < TARGET_FIRST_PAGE_SEC and loaded_all,
    )
    filter_ms = statistics.median(round_trips)
    verdict(
        "browser_filter_ms",
        f"{filter_ms:.0f}ms",
        f"<{TARGET_FILTER_MS:g}ms",
        filter_ms < TARGET_FILTER_MS,
    )
    verdict(
        "player_audio_start_seconds",
        f"{audio_cold:.2f}s",
        f"<{TARGET_AUDIO_START_SEC:g}s",
        audio_cold < TARGET_AUDIO_START_SEC,
    )


if __name__ == "__main__":
    main()
