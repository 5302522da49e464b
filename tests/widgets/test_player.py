"""The transcript player: turns with speakers and times, flags, audio only as a message."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb.frames import load_cohort, read_wav_info
from zenhire_nb.widgets import TranscriptPlayer


def recorder(widget):
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers))
    return sent


def test_alone_with_a_client(client, completed):
    [sid] = completed(1)
    player = TranscriptPlayer(client, sid)
    assert player.title == f"Session {sid} · candidate cand-000"
    turns = player.turns
    assert turns[0]["speaker"] == "interviewer" and turns[0]["label"] == "Interviewer"
    assert all(t["start"] is not None and t["end"] >= t["start"] for t in turns)
    sent = recorder(player)
    player._handle_custom_msg({"type": "audio?"}, [])
    [(content, buffers)] = sent
    assert content["type"] == "audio" and content["mime"] == "audio/wav"
    assert buffers[0][:4] == b"RIFF"
    state = player.get_state()
    assert all(not isinstance(v, (bytes, memoryview)) for v in state.values())
    assert len(str(state)) < 50_000


def test_a_long_recording_goes_as_a_preview_then_whole(client, completed, tmp_path):
    [sid] = completed(1, minutes=2.5)
    player = TranscriptPlayer(client, sid)
    sent = recorder(player)
    player._handle_custom_msg({"type": "audio?"}, [])
    [(preview, [first])] = sent
    assert preview["part"] == "preview" and preview["seconds"] == pytest.approx(60.0)
    (tmp_path / "preview.wav").write_bytes(first)
    assert read_wav_info(tmp_path / "preview.wav").duration_sec == pytest.approx(60.0)
    player._handle_custom_msg({"type": "audio-rest?"}, [])
    whole, [data] = sent[1]
    assert whole["part"] == "full" and whole["session_id"] == sid
    (tmp_path / "whole.wav").write_bytes(data)
    info = read_wav_info(tmp_path / "whole.wav")
    assert info.duration_sec > 90
    # The preview is the whole file's beginning, sample for sample.
    assert first[44:] == data[info.data_offset : info.data_offset + len(first) - 44]


def test_from_a_cohort_with_flags_of_a_check(client, completed):
    [sid] = completed(1)
    cohort = load_cohort(client, session_ids=[sid], progress=False)
    check = pd.DataFrame(
        {
            "session_id": [sid, sid],
            "turn_index": [1, 2],
            "flagged": [True, False],
            "hypothesis": ["what it heard", "fine"],
        }
    )
    player = TranscriptPlayer.from_cohort(cohort, sid, check=check)
    flagged = [t for t in player.turns if t["flagged"]]
    assert [(t["index"], t["heard"]) for t in flagged] == [(1, "what it heard")]
    player.mark_flags(check.assign(flagged=[False, True]))
    assert [t["index"] for t in player.turns if t["flagged"]] == [2]


def test_a_session_without_results_cannot_be_played(client, persona):
    waiting = client.sessions.create(persona.id, consent_mode="explicit").id
    with pytest.raises(ValueError, match=f"session '{waiting}' cannot be played"):
        TranscriptPlayer(client, waiting)


def test_from_a_cohort_without_the_session(client, completed):
    [sid] = completed(1)
    cohort = load_cohort(client, session_ids=[sid], progress=False)
    with pytest.raises(KeyError, match="no transcript turns for session 'other'"):
        TranscriptPlayer.from_cohort(cohort, "other")
