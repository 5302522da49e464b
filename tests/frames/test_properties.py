"""Property-based tests: generated transcript documents and corrupted WAV bytes.

Whatever the input, the only exceptions that may escape are this package's own typed errors.
"""

from __future__ import annotations

import math
import struct

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zenhire_nb.frames import (
    FramesError,
    RecordingFormatError,
    TranscriptFormatError,
    iter_wav_blocks,
    parse_transcript,
    read_wav_info,
    turns_frame,
)

from .conftest import build_wav

_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- transcripts -------------------------------------------------------------------------------

_SPEAKER_WORDS = ["interviewer", "Assistant", "agent", "AI", "bot", "user", "HUMAN", "candidate"]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(_SPEAKER_WORDS + ["system", "narrator"]),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
_turn_keys = st.sampled_from(
    ["speaker", "role", "text", "content", "transcript", "start", "end", "start_ms", "end_ms"]
)
_messy_turn = st.dictionaries(_turn_keys, _json, max_size=6)
_messy_turns = st.lists(st.one_of(_messy_turn, _json), max_size=5)
_messy_document = st.one_of(
    _json,
    _messy_turns,
    st.dictionaries(
        st.sampled_from(["turns", "segments", "utterances", "messages", "other"]),
        st.one_of(_messy_turns, _json),
        max_size=3,
    ),
)


@_FAST
@given(_messy_document)
def test_any_document_parses_or_raises_transcript_error(document):
    try:
        turns = parse_transcript(document, session_id="fuzz")
    except TranscriptFormatError as error:
        assert str(error).startswith("session fuzz: ")
        return
    for turn in turns:
        assert turn.speaker in ("interviewer", "candidate")
        assert isinstance(turn.text, str)
        for value in (turn.start_sec, turn.end_sec):
            assert isinstance(value, float) and (math.isnan(value) or 0 <= value < math.inf)


_good_turn = st.fixed_dictionaries(
    {
        "speaker": st.sampled_from(_SPEAKER_WORDS),
        "text": st.text(max_size=30),
        "start": st.floats(min_value=0, max_value=5_000),
        "duration": st.floats(min_value=0, max_value=60),
    }
)


def _reshape(turn: dict, speaker_key: str, text_key: str, millis: bool) -> dict:
    start, end = turn["start"], turn["start"] + turn["duration"]
    if millis:
        times = {"start_ms": start * 1000, "end_ms": end * 1000}
    else:
        times = {"start": start, "end": end}
    return {speaker_key: turn["speaker"], text_key: turn["text"], **times}


@_FAST
@given(
    st.lists(_good_turn, max_size=8),
    st.sampled_from([None, "turns", "segments", "utterances", "messages"]),
    st.sampled_from(["speaker", "role"]),
    st.sampled_from(["text", "content", "transcript"]),
    st.booleans(),
)
def test_every_valid_shape_gives_the_same_turns(turns, container, speaker_key, text_key, millis):
    items = [_reshape(t, speaker_key, text_key, millis) for t in turns]
    document = items if container is None else {container: items}
    parsed = parse_transcript(document)
    assert [p.text for p in parsed] == [t["text"] for t in turns]
    expected = [
        "candidate" if t["speaker"].lower() in ("user", "human", "candidate") else "interviewer"
        for t in turns
    ]
    assert [p.speaker for p in parsed] == expected
    for p, t in zip(parsed, turns, strict=True):
        assert math.isclose(p.start_sec, t["start"], rel_tol=1e-9, abs_tol=1e-9)


@_FAST
@given(st.dictionaries(st.text(max_size=4), _messy_document, max_size=4))
def test_turns_frame_never_leaks_foreign_errors(transcripts):
    try:
        frame = turns_frame(transcripts)
    except FramesError:
        return
    assert len(frame) == sum(1 for _ in frame.itertuples())
    report = turns_frame(transcripts, errors="report")
    assert set(report.attrs["errors"]) <= set(transcripts)


# --- WAV bytes ---------------------------------------------------------------------------------

_FORMAT_CHOICES = [("pcm", 8), ("pcm", 16), ("pcm", 24), ("pcm", 32), ("float", 32), ("float", 64)]


@st.composite
def _valid_wavs(draw) -> bytes:
    fmt, bits = draw(st.sampled_from(_FORMAT_CHOICES))
    channels = draw(st.sampled_from([1, 2]))
    frames = draw(st.integers(min_value=0, max_value=64))
    rate = draw(st.sampled_from([8_000, 16_000, 44_100, 48_000]))
    samples = np.linspace(-0.8, 0.8, frames * channels).reshape(frames, channels)
    return build_wav(samples, rate, bits=bits, fmt=fmt, extensible=draw(st.booleans()))


@st.composite
def _corrupted_wavs(draw) -> bytes:
    data = bytearray(draw(_valid_wavs()))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["truncate", "flip", "field", "insert"]))
        if action == "truncate" and data:
            del data[draw(st.integers(min_value=0, max_value=len(data) - 1)) :]
        elif action == "flip" and data:
            index = draw(st.integers(min_value=0, max_value=len(data) - 1))
            data[index] = draw(st.integers(min_value=0, max_value=255))
        elif action == "field" and len(data) >= 48:
            offset = draw(st.sampled_from([4, 16, 20, 22, 24, 32, 34, 40, 44]))
            data[offset : offset + 4] = struct.pack("<I", draw(st.integers(0, 2**32 - 1)))
        elif action == "insert":
            index = draw(st.integers(min_value=0, max_value=len(data)))
            data[index:index] = draw(st.binary(max_size=12))
    return bytes(data)


@_FAST
@given(st.one_of(_corrupted_wavs(), st.binary(max_size=80)))
def test_corrupted_wav_bytes_raise_only_recording_errors(data):
    try:
        info = read_wav_info(data, session_id="fuzz", max_bytes=1_000_000)
        blocks = list(iter_wav_blocks(data, frames_per_block=16, max_bytes=1_000_000))
    except RecordingFormatError as error:
        assert str(error).startswith(("session fuzz: ", "recording: "))
        return
    assert sum(len(b) for b in blocks) == info.n_frames
    assert info.data_offset + info.data_bytes <= len(data)
    assert all(b.dtype == np.float32 and b.shape[1] == info.channels for b in blocks)


@_FAST
@given(_valid_wavs())
def test_valid_wavs_always_read(data):
    info = read_wav_info(data)
    assert sum(len(b) for b in iter_wav_blocks(data, frames_per_block=7)) == info.n_frames
