"""The recordings frame (per channel, from files) and the per-session summary joining all frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zenhire_nb.frames import (
    SCHEMAS,
    FramesError,
    RecordingFormatError,
    answers_frame,
    recordings_frame,
    session_summary_frame,
    sessions_frame,
    turns_frame,
)

RATE = 16_000


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {col: str(dtype) for col, dtype in frame.dtypes.items()}


def _schema(name: str) -> dict[str, str]:
    return {col: spec.dtype for col, spec in SCHEMAS[name].items()}


@pytest.fixture
def recordings(tmp_path, wav_bytes, make_tone):
    mono = np.concatenate([make_tone(1.0, RATE, level=0.3), np.zeros(RATE)])
    stereo = np.stack([mono, np.zeros_like(mono)], axis=1)
    paths = {"s1": tmp_path / "s1.wav", "s2": tmp_path / "s2.wav"}
    paths["s1"].write_bytes(wav_bytes(mono))
    paths["s2"].write_bytes(wav_bytes(stereo, 48_000 // 3, bits=24))
    return paths


def test_recordings_frame_rows_per_channel(recordings):
    frame = recordings_frame(recordings)
    assert _dtypes(frame) == _schema("recordings")
    assert list(zip(frame.session_id, frame.channel, strict=True)) == [
        ("s1", 0),
        ("s2", 0),
        ("s2", 1),
    ]
    s1 = frame.iloc[0]
    assert (s1.sample_rate, s1.channels, s1.bit_depth, s1.sample_format) == (RATE, 1, 16, "pcm")
    assert s1.duration_sec == pytest.approx(2.0) and s1.bytes == 44 + 2 * RATE * 2
    assert s1.speech_sec == pytest.approx(1.0, abs=0.04)
    assert s1.silence_ratio == pytest.approx(0.5, abs=0.02)
    assert frame.iloc[2].rms_dbfs == -120.0 and frame.iloc[2].speech_sec == 0.0
    assert frame.iloc[1].bit_depth == 24


def test_corrupt_recording_names_the_session(recordings, tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(recordings["s1"].read_bytes()[:1000])
    with pytest.raises(RecordingFormatError, match="^session s3: truncated"):
        recordings_frame({**recordings, "s3": bad})
    report = recordings_frame({**recordings, "s3": bad}, errors="report")
    assert set(report.session_id) == {"s1", "s2"} and list(report.attrs["errors"]) == ["s3"]


def test_missing_file_names_the_session(tmp_path):
    with pytest.raises(FramesError, match="^session s9: cannot read recording .*gone.wav"):
        recordings_frame({"s9": tmp_path / "gone.wav"})


def test_empty_recordings_frame():
    frame = recordings_frame({})
    assert frame.empty and _dtypes(frame) == _schema("recordings")


def test_summary_from_turns_only(sandbox_transcript):
    summary = session_summary_frame(turns_frame({"s1": sandbox_transcript}))
    assert _dtypes(summary) == _schema("session_summary")
    row = summary.iloc[0]
    assert (row.n_turns, row.n_questions, row.n_answered) == (7, 3, 2)
    assert row.candidate_speaking_sec == pytest.approx(2.2 + 1.6 + 2.0)
    assert row.interviewer_speaking_sec == pytest.approx(1.5 + 2.4 + 1.0 + 1.5)
    assert row.talk_ratio == pytest.approx(5.8 / (5.8 + 6.4))
    assert row.candidate_words == 15
    assert row.mean_answer_words == pytest.approx(7.5)
    assert row.mean_latency_sec == pytest.approx((0.8 + 0.5) / 2)
    assert row.mean_words_per_minute == pytest.approx(15 / 5.8 * 60)
    assert pd.isna(row.status) and pd.isna(row.recording_duration_sec)


def test_summary_joins_sessions_answers_and_recordings(
    sandbox_transcript, summary_factory, recordings
):
    sessions = sessions_frame([summary_factory(s) for s in ("s1", "s2", "s4")])
    docs = {"s1": sandbox_transcript, "s2": sandbox_transcript[:3], "s5": sandbox_transcript}
    turns = turns_frame(docs, sessions=sessions)
    measured = recordings_frame(recordings)
    summary = session_summary_frame(
        turns, answers=answers_frame(turns), sessions=sessions, recordings=measured
    )
    assert _dtypes(summary) == _schema("session_summary")
    assert list(summary.session_id) == ["s1", "s2", "s4", "s5"]
    s5 = summary.set_index("session_id").loc["s5"]
    assert s5.n_turns == 7 and pd.isna(s5.status)
    s4 = summary.set_index("session_id").loc["s4"]
    assert s4.n_turns == 0 and pd.isna(s4.talk_ratio) and s4.candidate_ref == "ats-s4"
    s1 = summary.set_index("session_id").loc["s1"]
    assert s1.status == "completed" and s1.credit_charged == 65
    assert s1.created_at == pd.Timestamp("2026-01-05T09:30Z")
    assert s1.recording_duration_sec == pytest.approx(2.0)
    assert s1.recording_silence_ratio == pytest.approx(0.5, abs=0.02)
    s2 = summary.set_index("session_id").loc["s2"]
    # One silent channel: the power mean is the tone's level minus 3 dB.
    assert s2.recording_rms_dbfs == pytest.approx(
        summary.set_index("session_id").loc["s1", "recording_rms_dbfs"] - 3.01, abs=0.05
    )
    assert (s2.n_questions, s2.n_answered) == (1, 1)


def test_summary_rejects_wrong_frames(sandbox_transcript):
    turns = turns_frame({"s1": sandbox_transcript})
    with pytest.raises(ValueError, match="expected a turns frame"):
        session_summary_frame(turns.drop(columns=["words"]))
    with pytest.raises(ValueError, match="expected a sessions frame"):
        session_summary_frame(turns, sessions=pd.DataFrame({"session_id": ["s1"]}))
