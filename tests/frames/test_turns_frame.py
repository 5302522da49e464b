"""The turns frame: schema, values, session context, error modes, attrs."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from zenhire_nb.frames import (
    SCHEMAS,
    RawDocuments,
    TranscriptFormatError,
    parse_transcript,
    sessions_frame,
    turns_frame,
)


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {col: str(dtype) for col, dtype in frame.dtypes.items()}


def _schema_dtypes(name: str) -> dict[str, str]:
    return {col: spec.dtype for col, spec in SCHEMAS[name].items()}


def test_schema_and_values(sandbox_transcript):
    frame = turns_frame({"s1": sandbox_transcript})
    assert _dtypes(frame) == _schema_dtypes("turns")
    assert list(frame["turn_index"]) == list(range(7))
    assert list(frame["speaker"].cat.categories) == ["interviewer", "candidate"]
    row = frame.iloc[2]
    assert (row.speaker, row.text, row.words) == ("candidate", "I led a data pipeline rewrite", 6)
    assert row.duration_sec == pytest.approx(2.2)
    assert row.words_per_minute == pytest.approx(6 / 2.2 * 60)


def test_many_sessions_keep_order_and_restart_indices(sandbox_transcript):
    docs = {"b": sandbox_transcript, "a": {"turns": sandbox_transcript[:2]}, "c": []}
    frame = turns_frame(docs)
    assert list(frame["session_id"]) == ["b"] * 7 + ["a"] * 2
    assert list(frame["turn_index"]) == list(range(7)) + [0, 1]


def test_session_context_from_summaries_and_frames(sandbox_transcript, summary_factory):
    summaries = [summary_factory("s1"), summary_factory("s2", candidate_ref=None)]
    docs = {"s1": sandbox_transcript, "s2": sandbox_transcript, "s3": sandbox_transcript[:1]}
    for source in (summaries, {s.id: s for s in summaries}, sessions_frame(summaries)):
        frame = turns_frame(docs, sessions=source)
        by_session = frame.groupby("session_id", sort=False).first()
        assert by_session.loc["s1", "candidate_ref"] == "ats-s1"
        assert by_session.loc["s1", "role_name"] == "Data engineer"
        assert pd.isna(by_session.loc["s2", "candidate_ref"])
        assert pd.isna(by_session.loc["s3", "role_name"])


def test_persona_fills_role_for_single_session_reads(sandbox_transcript, summary_factory):
    summary = summary_factory("s1", role_name=None, persona={"id": "p-1", "role_name": "QA"})
    frame = turns_frame({"s1": sandbox_transcript}, sessions=[summary])
    assert set(frame["role_name"]) == {"QA"}


def test_parsed_turns_are_accepted(sandbox_transcript):
    parsed = parse_transcript(sandbox_transcript)
    left = turns_frame({"s": parsed})
    right = turns_frame({"s": sandbox_transcript})
    pd.testing.assert_frame_equal(left, right)


def test_missing_times_give_nan_rates():
    frame = turns_frame({"s": [{"role": "user", "content": "one two"}]})
    assert math.isnan(frame.loc[0, "duration_sec"]) and math.isnan(frame.loc[0, "words_per_minute"])
    assert frame.loc[0, "words"] == 2


def test_zero_length_turn_has_nan_rate():
    frame = turns_frame({"s": [{"speaker": "candidate", "text": "x", "start": 1.0, "end": 1.0}]})
    assert frame.loc[0, "duration_sec"] == 0.0 and math.isnan(frame.loc[0, "words_per_minute"])


def test_unicode_word_counts():
    texts = ["Grüße\u00a0aus Köln", "  ", "naïve   café\tau\u3000lait", "plain words"]
    doc = [{"speaker": "candidate", "text": t} for t in texts]
    assert list(turns_frame({"s": doc})["words"]) == [len(t.split()) for t in texts]


def test_empty_input_gives_typed_empty_frame():
    for docs in ({}, {"s": []}):
        frame = turns_frame(docs)
        assert frame.empty and _dtypes(frame) == _schema_dtypes("turns")


def test_bad_transcript_raises_naming_the_session(sandbox_transcript):
    with pytest.raises(TranscriptFormatError, match="^session bad: expected a list"):
        turns_frame({"ok": sandbox_transcript, "bad": {"foo": 1}})


def test_report_mode_keeps_good_sessions_and_lists_bad_ones(sandbox_transcript):
    bad_turn = [*sandbox_transcript[:3], {"speaker": "ghost", "text": "boo"}]
    frame = turns_frame({"ok": sandbox_transcript, "bad": bad_turn}, errors="report")
    assert set(frame["session_id"]) == {"ok"} and len(frame) == 7
    assert "turn 3: unknown speaker 'ghost'" in frame.attrs["errors"]["bad"]


def test_error_mode_is_validated():
    with pytest.raises(ValueError, match="errors must be"):
        turns_frame({}, errors="ignore")  # type: ignore[arg-type]


def test_raw_documents_reachable_and_not_copied(sandbox_transcript):
    docs = {"s1": sandbox_transcript}
    before = copy.deepcopy(docs)
    frame = turns_frame(docs)
    raw = frame.attrs["raw"]
    assert isinstance(raw, RawDocuments) and raw["s1"] is sandbox_transcript
    assert frame.head(2).attrs["raw"] is raw  # pandas' attrs deepcopy shares the view
    assert docs == before
    assert frame.attrs["frame"] == "turns" and frame.attrs["schema_version"] == 1


def test_large_cohort_columns_are_consistent():
    rng = np.random.default_rng(0)
    docs = {
        f"s{i}": [
            {
                "speaker": "interviewer" if j % 2 == 0 else "candidate",
                "text": "a b c"[: j % 6],
                "start": float(j),
                "end": float(j) + 0.5,
            }
            for j in range(int(rng.integers(0, 12)))
        ]
        for i in range(300)
    }
    frame = turns_frame(docs)
    assert len(frame) == sum(len(d) for d in docs.values())
    counts = frame.groupby("session_id", sort=False)["turn_index"].max() + 1
    assert all(counts[sid] == len(doc) for sid, doc in docs.items() if doc)
