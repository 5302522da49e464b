"""Transcript shapes of docs/contract.md §6 and the errors for documents that cannot be read."""

from __future__ import annotations

import copy
import math

import pytest

from zenhire_nb.frames import FramesError, TranscriptFormatError, Turn, parse_transcript


def test_sandbox_shape(sandbox_transcript):
    turns = parse_transcript(sandbox_transcript)
    assert len(turns) == 7
    assert turns[0] == Turn("interviewer", "Hello, welcome.", 0.0, 1.5)
    assert turns[2].speaker == "candidate"


@pytest.mark.parametrize("key", ["turns", "segments", "utterances", "messages"])
def test_object_containers(key, sandbox_transcript):
    assert parse_transcript({key: sandbox_transcript, "meta": {"v": 1}}) == parse_transcript(
        sandbox_transcript
    )


def test_container_key_priority_skips_non_lists():
    doc = {"turns": "n/a", "segments": [{"speaker": "bot", "text": "hi"}]}
    (turn,) = parse_transcript(doc)
    assert (turn.speaker, turn.text) == ("interviewer", "hi")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("assistant", "interviewer"),
        ("Agent", "interviewer"),
        ("AI", "interviewer"),
        (" bot ", "interviewer"),
        ("INTERVIEWER", "interviewer"),
        ("user", "candidate"),
        ("Human", "candidate"),
        ("candidate", "candidate"),
    ],
)
@pytest.mark.parametrize("key", ["speaker", "role"])
def test_speaker_synonyms(key, value, expected):
    (turn,) = parse_transcript([{key: value, "text": "x"}])
    assert turn.speaker == expected


@pytest.mark.parametrize("key", ["text", "content", "transcript"])
def test_text_keys(key):
    (turn,) = parse_transcript([{"role": "user", key: "hello there"}])
    assert turn.text == "hello there"


def test_chat_content_parts_and_null_text():
    doc = [
        {"role": "assistant", "content": [{"type": "text", "text": "Hi"}, {"text": "there"}]},
        {"role": "user", "content": [{"type": "input_audio", "audio": "..."}, "ok"]},
        {"role": "user", "text": None},
    ]
    assert [t.text for t in parse_transcript(doc)] == ["Hi there", "ok", ""]


def test_times_seconds_milliseconds_and_absent():
    turns = parse_transcript(
        [
            {"speaker": "interviewer", "text": "a", "start": 1, "end": 2.5},
            {"speaker": "candidate", "text": "b", "start_ms": 3000, "end_ms": 4500},
            {"speaker": "candidate", "text": "c"},
            {"speaker": "candidate", "text": "d", "start": 5.0},
        ]
    )
    assert (turns[0].start_sec, turns[0].end_sec) == (1.0, 2.5)
    assert (turns[1].start_sec, turns[1].end_sec) == (3.0, 4.5)
    assert math.isnan(turns[2].start_sec) and math.isnan(turns[2].end_sec)
    assert turns[3].start_sec == 5.0 and math.isnan(turns[3].end_sec)


def test_system_messages_are_skipped():
    system = {"role": "system", "content": "Be kind"}
    doc = {"messages": [system, {"role": "user", "content": "hi"}]}
    (turn,) = parse_transcript(doc)
    assert (turn.speaker, turn.text) == ("candidate", "hi")


@pytest.mark.parametrize("doc", [[], {"turns": []}, {"messages": [], "other": 1}])
def test_empty_list_is_an_empty_transcript(doc):
    assert parse_transcript(doc) == []


def test_input_is_not_mutated(sandbox_transcript):
    before = copy.deepcopy(sandbox_transcript)
    parse_transcript({"turns": sandbox_transcript})
    assert sandbox_transcript == before


def test_object_without_known_keys_names_session_and_keys():
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript({"foo": 1, "bar": 2}, session_id="1234")
    assert str(caught.value) == (
        "session 1234: expected a list of turns or an object with one of "
        "turns/segments/utterances/messages; found object with keys ['bar', 'foo']"
    )
    assert isinstance(caught.value, FramesError) and isinstance(caught.value, ValueError)
    assert caught.value.subject == "session 1234"


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ("just text", "found str 'just text'"),
        (None, "found null"),
        (42, "found int 42"),
        ({}, "found empty object"),
        ({"turns": {"a": 1}}, "found object with keys ['turns']"),
    ],
)
def test_unreadable_documents(doc, fragment):
    with pytest.raises(TranscriptFormatError, match="session s-9: expected a list") as caught:
        parse_transcript(doc, session_id="s-9")
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("turn", "fragment"),
    [
        ("hello", "turn 1: expected an object, found str 'hello'"),
        ({"text": "x"}, "turn 1: no speaker (expected key 'speaker' or 'role'); found keys"),
        ({"speaker": "narrator", "text": "x"}, "turn 1: unknown speaker 'narrator'"),
        ({"speaker": ["user"], "text": "x"}, "turn 1: unknown speaker ['user']"),
        ({"speaker": "user"}, "turn 1: no text (expected one of text/content/transcript)"),
        ({"speaker": "user", "text": 5}, "turn 1: 'text' must be text, found int 5"),
        ({"speaker": "user", "text": "x", "start": "0:01"}, "turn 1: 'start' must be a number"),
        ({"speaker": "user", "text": "x", "start": True}, "turn 1: 'start' must be a number"),
        ({"speaker": "user", "text": "x", "end_ms": -5}, "turn 1: 'end_ms' must be finite and"),
        ({"speaker": "user", "text": "x", "start": float("nan")}, "'start' must be finite"),
        ({"speaker": "user", "text": "x", "start": 10**400}, "'start' must be finite"),
        ({"speaker": "user", "text": "x", "start": 3.0, "end": 2.0}, "end 2.0 s is before start"),
    ],
)
def test_bad_turns_name_session_turn_and_value(turn, fragment):
    doc = [{"speaker": "interviewer", "text": "ok", "start": 0.0, "end": 1.0}, turn]
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(doc, session_id="abc")
    assert str(caught.value).startswith("session abc: ")
    assert fragment in str(caught.value)


def test_error_without_session_id_says_transcript():
    with pytest.raises(TranscriptFormatError, match=r"^transcript: expected a list"):
        parse_transcript("nope")


def test_long_values_are_shortened_in_messages():
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript([{"speaker": "x" * 500, "text": "t"}], session_id=1)
    assert len(str(caught.value)) < 300
