"""The transcript endpoint serves the sandbox's configured shape (rendered at completion)."""

from __future__ import annotations

import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.simulation.interview import SHAPES
from zenhire_nb.sandbox.simulation.interview.shapes import canonical_turns

from .conftest import SHORT, new_session

_KEYS = {
    "turns": {"speaker", "text", "start", "end"},
    "segments": {"speaker", "text", "start_ms", "end_ms"},
    "utterances": {"role", "content", "start", "end"},
    "messages": {"role", "transcript"},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_sandbox_shape_is_served(shape: str) -> None:
    with Sandbox(transcript_shape=shape) as sb, sb.client() as client:
        session_id = new_session(client)
        sb.admin.simulate(session_id, seed=8, target_minutes=SHORT)
        document = client.sessions.transcript(session_id)
        truth = sb.admin.ground_truth(session_id)
    assert truth["transcript_shape"] == shape
    if shape == "array":
        assert isinstance(document, list)
        items = document
    else:
        assert list(document) == [shape]
        items = document[shape]
        assert set(items[0]) == _KEYS[shape]
    texts = [turn["text"] for turn in canonical_turns(document)]
    assert texts == [turn["text"] for turn in truth["served_turns"]] and len(items) >= 3


def test_shape_can_be_chosen_per_simulation(sandbox: Sandbox) -> None:
    with sandbox.client() as client:
        session_id = new_session(client)
        sandbox.admin.simulate(
            session_id, seed=8, target_minutes=SHORT, transcript_shape="utterances"
        )
        assert list(client.sessions.transcript(session_id)) == ["utterances"]


def test_unknown_shape_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="transcript_shape"):
        Sandbox(transcript_shape="xml")
