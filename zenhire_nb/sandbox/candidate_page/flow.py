"""A candidate's way through a live interview, independent of HTTP: which page to show, the
live interview of an active session, answering the current line, and how the interview ends
(the recording mixed, the session completed through the core's signed webhook).

The routes in :mod:`.routes` only translate requests into these calls; the settings, the
live-interview registry and the concurrency gate are typed fields of the sandbox state.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zenhire_nb.sandbox.api.errors import ApiError, invalid_input
from zenhire_nb.sandbox.candidate_page.audio import (
    LIVE_RATE,
    UploadError,
    convert_upload,
    write_mix,
)
from zenhire_nb.sandbox.candidate_page.browser import claim_browser, held_elsewhere
from zenhire_nb.sandbox.candidate_page.live import CandidatePageSettings, LiveInterview
from zenhire_nb.sandbox.core.backend import InterviewResult
from zenhire_nb.sandbox.simulation.interview.shapes import render_transcript

if TYPE_CHECKING:  # the state imports the candidate page package
    from zenhire_nb.sandbox.core.state import SandboxState

__all__ = [
    "begin_interview",
    "check_turn",
    "finish_interview",
    "live_interview",
    "page_for",
    "start_for_candidate",
    "store_answer",
]


def page_for(state: SandboxState, row: sqlite3.Row, browser: str | None) -> str:
    """What the page shows for ``row`` (as :func:`~..core.lifecycle.settled` left it) in the
    browser with secret ``browser``: consent, start, interview, in_use (running in another
    browser), expired or ended."""
    if row["status"] in ("completed", "failed"):
        return "ended"
    if row["status"] == "active":
        return "in_use" if held_elsewhere(state, row, browser) else "interview"
    if state.sessions.link_expired(row):
        return "expired"
    return "consent" if row["consent_mode"] == "explicit" else "start"


def start_for_candidate(
    state: SandboxState, row: sqlite3.Row, consent: bool | None, browser: str | None
) -> dict[str, Any]:
    """Start ``row`` for the candidate in the browser with secret ``browser``, under the
    concurrency cap: the gate's answer (``active`` or ``waiting``). An active session binds
    to that browser; one another browser holds raises 409 ``SESSION_IN_USE``."""
    was_active = row["status"] == "active"
    if was_active:
        claim_browser(state, row, browser)  # before anything: a second browser gets nowhere
    answer = state.gate.admit(state, row, consent, state.candidate_page.concurrency_cap)
    if answer["status"] == "active" and not was_active:  # started now: bind it
        claim_browser(state, row, browser)
    return answer


def begin_interview(
    state: SandboxState, row: sqlite3.Row, consent: bool | None, browser: str | None
) -> dict[str, Any]:
    """:func:`start_for_candidate`, adding the current ``turn`` once the interview runs."""
    answer = start_for_candidate(state, row, consent, browser)
    if answer["status"] == "active":
        fresh = state.sessions.row(row["id"])
        assert fresh is not None
        answer["turn"] = live_interview(state, fresh).turn_view()
    return answer


def live_interview(state: SandboxState, row: sqlite3.Row) -> LiveInterview:
    """The live interview of an ``active`` session, created at its first turn.

    Raises :class:`ApiError` 409 ``SESSION_NOT_STARTED`` or ``SESSION_TERMINAL`` for any other
    status (a session ended elsewhere, by an admin fail or a timeout, frees its clips).
    """
    if row["status"] != "active":
        if row["status"] != "initiated":
            state.live.drop(row["id"])
        code = "SESSION_TERMINAL" if row["status"] != "initiated" else "SESSION_NOT_STARTED"
        raise ApiError(
            code,
            f"Session {row['id']} is {row['status']}.",
            status=409,
            details={"status": row["status"]},
        )
    return state.live.get(
        row["id"], row["p_role_name"] or "", row["p_language"] or "en", state.candidate_page
    )


def check_turn(live: LiveInterview, index: int) -> None:
    """Raise 409 ``TURN_MISMATCH`` unless line ``index`` is the one awaiting an answer."""
    if index != live.index or live.at_closing:
        raise ApiError(
            "TURN_MISMATCH",
            f"Session {live.session_id} awaits no answer to line {index}.",
            status=409,
            details={"current": live.index},
        )


def store_answer(
    live: LiveInterview, index: int, upload: Path, settings: CandidatePageSettings
) -> dict[str, object]:
    """Convert the uploaded WAV at ``upload`` into the answer to line ``index`` and advance;
    returns the next turn. Raises 409 ``TURN_MISMATCH``, or 400 ``INVALID_INPUT`` naming the
    session for an upload that is not an acceptable WAV."""
    with live.lock:
        check_turn(live, index)
        try:
            convert_upload(upload, live.answer_path(index), max_seconds=settings.max_answer_sec)
        except UploadError as exc:
            raise invalid_input({"body": f"answer of session {live.session_id}: {exc}"}) from None
        live.microphone_answered(live.answer_path(index))
        return live.turn_view()


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
    state.live.drop(live.session_id)
    return {"session_id": live.session_id, "status": status}


def _deliver_mix(state: SandboxState, live: LiveInterview, row: sqlite3.Row) -> dict[str, Any]:
    """Mix ``live``'s recording and deliver it (the core's ``{status, charged}``); a
    completion that won meanwhile makes this a no-op delivery."""
    target = live.folder / "recording.wav"
    turns, frames = write_mix(live.mix_parts(), target)
    result = InterviewResult(
        status="completed",
        duration_sec=max(1, round(frames / LIVE_RATE)),
        transcript=render_transcript(turns, state.simulation.transcript_shape),
        recording_path=target,
    )
    return state.completion.deliver_result(row, result)
