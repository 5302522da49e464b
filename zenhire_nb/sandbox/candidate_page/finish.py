"""Where the candidate page keeps its parts in a sandbox, and how a live interview ends.

Settings, the live-interview registry and the concurrency gate sit in
``state.extensions`` under the keys below, created on first use, so the page works in every
sandbox without changing the core; :func:`configure_candidate_page` (public, in
:mod:`zenhire_nb.sandbox.candidate_page`) sets the settings as a plugin.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from zenhire_nb.sandbox.candidate_page.audio import LIVE_RATE, write_mix
from zenhire_nb.sandbox.candidate_page.gate import ConcurrencyGate
from zenhire_nb.sandbox.candidate_page.live import (
    CandidatePageSettings,
    LiveInterview,
    LiveInterviews,
)
from zenhire_nb.sandbox.core.backend import InterviewResult
from zenhire_nb.sandbox.core.state import SandboxState
from zenhire_nb.sandbox.simulation.interview.shapes import render_transcript
from zenhire_nb.sandbox.simulation.routes import settings_of as simulation_settings

__all__ = [
    "GATE_KEY",
    "LIVE_KEY",
    "SETTINGS_KEY",
    "finish_interview",
    "gate_of",
    "live_of",
    "settings_of",
]

SETTINGS_KEY = "candidate_page.settings"
LIVE_KEY = "candidate_page.live"
GATE_KEY = "candidate_page.gate"


def settings_of(state: SandboxState) -> CandidatePageSettings:
    """The page's settings (defaults unless a plugin set them)."""
    settings = state.extensions.get(SETTINGS_KEY)
    return settings if isinstance(settings, CandidatePageSettings) else CandidatePageSettings()


def live_of(state: SandboxState) -> LiveInterviews:
    # dict.setdefault is atomic: two first requests racing still share one registry.
    registry: LiveInterviews = state.extensions.setdefault(
        LIVE_KEY, LiveInterviews(state.artifacts.root / "live")
    )
    return registry


def gate_of(state: SandboxState) -> ConcurrencyGate:
    gate: ConcurrencyGate = state.extensions.setdefault(GATE_KEY, ConcurrencyGate())
    return gate


def finish_interview(state: SandboxState, live: LiveInterview) -> dict[str, Any]:
    """Mix the recording, then complete the session through the core's signed webhook.

    The transcript is written in the sandbox's transcript shape (the simulation setting
    ``transcript_shape``), as simulated interviews are. Returns ``{session_id, status}``.
    Idempotent: a second call for a session that has ended
    answers its status. Side effects: the session's artifacts and credit charge (by the
    core), the live interview's clips deleted.
    """
    with live.lock:
        row = state.sessions.row(live.session_id)
        assert row is not None
        status = row["status"]
        if status == "active":
            status = _deliver_mix(state, live, row)["status"]
    # Also when another request ended the session: a racing request may have re-created the
    # live interview (and its folder) from a stale row after the winner dropped it.
    live_of(state).drop(live.session_id)
    return {"session_id": live.session_id, "status": status}


def _deliver_mix(state: SandboxState, live: LiveInterview, row: sqlite3.Row) -> dict[str, Any]:
    """Mix ``live``'s recording and deliver it (the core's ``{status, charged}``); a
    completion that won meanwhile makes this a no-op delivery."""
    target = live.folder / "recording.wav"
    turns, frames = write_mix(live.mix_parts(), target)
    shape = simulation_settings(state).transcript_shape
    result = InterviewResult(
        status="completed",
        duration_sec=max(1, round(frames / LIVE_RATE)),
        transcript=render_transcript(turns, shape),
        recording_path=target,
    )
    return state.completion.deliver_result(row, result)
