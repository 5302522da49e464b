"""The transcript player: recording beside its transcript, turns clickable and highlighted.

The audio comes from the results cache (downloaded once through the frames' loader) and is
sent to the browser as a custom message when a view asks for it, so it never becomes saved
widget state: a notebook that played twenty recordings stays small. A long recording goes in
two parts: its first ``PREVIEW_SECONDS`` as a WAV of their own (playable at once: a 10-minute
WAV is 19 MB, which took about a second to arrive and decode), then, when the view asks after
the preview can play, the whole file, which replaces the preview where it is playing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import anywidget
import pandas as pd
import traitlets as t

from zenhire_nb.client import Client
from zenhire_nb.frames import Cohort, load_cohort
from zenhire_nb.widgets._views import STATIC
from zenhire_nb.widgets.logic.messages import describe_error
from zenhire_nb.widgets.logic.player import check_flags, player_turns, wav_preview

__all__ = ["PREVIEW_SECONDS", "TranscriptPlayer"]

PREVIEW_SECONDS = 60.0


class TranscriptPlayer(anywidget.AnyWidget):
    """Play one completed session with its transcript.

    ``TranscriptPlayer(client, session_id)`` loads the session through the results cache;
    ``TranscriptPlayer.from_cohort(cohort, session_id, check=...)`` uses a loaded cohort (and
    optionally an STT check result to mark flagged turns). ``client`` may be omitted to read
    the environment like ``Client()``.

    Raises:
        ValueError: the session is not completed or its transcript could not be loaded (the
            message names the session and what failed). ``from_cohort`` raises KeyError when
            the cohort does not hold the session.
    """

    _esm = STATIC / "player.js"
    _css = STATIC / "widgets.css"
    session_id = t.Unicode("").tag(sync=True)
    title = t.Unicode("").tag(sync=True)
    turns = t.List(t.Dict()).tag(sync=True)
    audio_status = t.Unicode("").tag(sync=True)
    audio_key = t.Int(0).tag(sync=True)  # bumped when the recording changes: views re-ask

    def __init__(
        self,
        client: Client | None = None,
        session_id: str | None = None,
        *,
        cohort: Cohort | None = None,
        check: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._client = client
        self._recording: Path | None = None
        self._lock = threading.Lock()
        self.on_msg(self._message)
        if session_id:
            self.show_session(session_id, cohort=cohort, check=check)

    @classmethod
    def from_cohort(cls, cohort: Cohort, session_id: str, *, check: Any = None) -> TranscriptPlayer:
        """A player for a session of an already loaded cohort (no request)."""
        return cls(None, session_id, cohort=cohort, check=check)

    def show_session(
        self, session_id: str, *, cohort: Cohort | None = None, check: Any = None
    ) -> None:
        """Switch to ``session_id`` (loading it through the cache unless ``cohort`` has it)."""
        if cohort is None:
            cohort = self._load(session_id)
        turns = player_turns(cohort.turns, session_id, flags=_flags(check, session_id))
        with self._lock:
            self._recording = cohort.recording_paths.get(session_id)
        self.session_id = session_id
        ref = _candidate_of(cohort.sessions, session_id)
        self.title = f"Session {session_id}" + (f" · candidate {ref}" if ref else "")
        self.turns = turns
        self.audio_status = "Loading audio…" if self._recording else "No recording in the cache."
        self.audio_key += 1

    def mark_flags(self, check: Any) -> None:
        """Mark the turns an STT check flagged (``CheckResult`` or ``CohortCheck``)."""
        flags = _flags(check, self.session_id)
        self.turns = [
            {**turn, "flagged": turn["index"] in flags, "heard": flags.get(turn["index"], "")}
            for turn in self.turns
        ]

    def _load(self, session_id: str) -> Cohort:
        client = self._client if self._client is not None else Client()
        self._client = client
        cohort = load_cohort(client, session_ids=[session_id], progress=False, status=None)
        problems = cohort.failures[cohort.failures["session_id"] == session_id]
        if cohort.turns.empty or not (cohort.turns["session_id"] == session_id).any():
            why = "; ".join(problems["message"].astype(str)) or "it has no transcript yet"
            raise ValueError(f"session {session_id!r} cannot be played: {why}")
        return cohort

    def _message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        kind = content.get("type")
        if kind not in ("audio?", "audio-rest?"):
            return
        with self._lock:
            path, session_id = self._recording, self.session_id
        if path is None:
            return
        head = {"type": "audio", "mime": "audio/wav", "session_id": session_id}
        try:
            preview = wav_preview(path, PREVIEW_SECONDS) if kind == "audio?" else None
            if preview is not None:
                data, seconds = preview
                self.send({**head, "part": "preview", "seconds": seconds}, [data])
                return
            data = path.read_bytes()
        except Exception as error:  # shown in the player, never lost in the comm handler
            self.audio_status = describe_error(error, subject=f"recording of {session_id}")
            return
        self.send({**head, "part": "full"}, [data])


def _flags(check: Any, session_id: str) -> dict[int, str]:
    if check is None:
        return {}
    frame = getattr(check, "turns", check)
    return check_flags(frame, session_id) if isinstance(frame, pd.DataFrame) else {}


def _candidate_of(sessions: pd.DataFrame, session_id: str) -> str:
    rows = sessions.loc[sessions["session_id"] == session_id, "candidate_ref"]
    return "" if rows.empty or pd.isna(rows.iloc[0]) else str(rows.iloc[0])
