"""The sessions frame: every SessionSummary field, tz-aware UTC times, metadata expansion."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from zenhire_nb.frames import SCHEMAS, FramesError, sessions_frame


def test_schema_dtypes_and_utc(summary_factory):
    frame = sessions_frame([summary_factory("s1"), summary_factory("s2", started_at=None)])
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        c: spec.dtype for c, spec in SCHEMAS["sessions"].items()
    }
    assert str(frame["created_at"].dt.tz) == "UTC"
    assert frame.loc[0, "completed_at"] == pd.Timestamp("2026-01-05T09:43:22Z")
    assert pd.isna(frame.loc[1, "started_at"])
    assert frame.loc[0, "duration_min"] == pytest.approx(742 / 60)
    assert frame.loc[0, "credit_charged"] == 65
    assert frame.loc[0, "tags"] == ["berlin", "senior"]


def test_every_summary_field_has_a_column(summary_factory):
    from zenhire_nb.contract import SessionSummary

    frame = sessions_frame([summary_factory("s1")])
    flattened = {"id": "session_id", "persona": "role_name", "feedback": "feedback_rating"}
    for field in SessionSummary.model_fields:
        assert flattened.get(field, field) in frame.columns, field


def test_naive_and_offset_times_become_utc(summary_factory):
    frame = sessions_frame(
        [
            summary_factory("s1", created_at="2026-01-05T10:30:00+01:00"),
            summary_factory("s2", created_at="2026-01-05T09:30:00"),
        ]
    )
    assert list(frame["created_at"]) == [pd.Timestamp("2026-01-05T09:30:00Z")] * 2


def test_single_session_form_persona_and_feedback(summary_factory):
    summary = summary_factory(
        "s1",
        role_name=None,
        language=None,
        persona={"id": "p-1", "role_name": "QA lead", "language": "de"},
        feedback={"rating": 2, "negative": True, "comment": "too long"},
    )
    row = sessions_frame([summary]).iloc[0]
    assert (row.role_name, row.language) == ("QA lead", "de")
    feedback = (row.feedback_rating, row.feedback_negative, row.feedback_comment)
    assert feedback == (2, True, "too long")


def test_nulls_are_typed_missing_values(summary_factory):
    row = sessions_frame(
        [
            summary_factory(
                "s1",
                status="initiated",
                duration_sec=None,
                credit_charged=None,
                tags=None,
                metadata=None,
                candidate_ref=None,
            )
        ]
    ).iloc[0]
    assert row.duration_sec is pd.NA and row.credit_charged is pd.NA
    assert pd.isna(row.duration_min) and pd.isna(row.candidate_ref)
    assert row.tags is None and row.metadata is None


def test_expand_metadata(summary_factory):
    frame = sessions_frame(
        [
            summary_factory("s1"),
            summary_factory("s2", metadata={"team": "ops", "remote": True}),
            summary_factory("s3", metadata=None),
        ],
        expand_metadata=True,
    )
    extra = [c for c in frame.columns if c.startswith("metadata.")]
    assert extra == ["metadata.level", "metadata.remote", "metadata.team"]
    assert list(frame.columns[: len(SCHEMAS["sessions"])]) == list(SCHEMAS["sessions"])
    assert list(frame["metadata.team"].iloc[:2]) == ["billing", "ops"]
    assert pd.isna(frame["metadata.team"].iloc[2])


def test_dicts_are_accepted_and_not_mutated(summary_factory):
    raw = summary_factory("s1").model_dump(mode="json")
    before = copy.deepcopy(raw)
    frame = sessions_frame([raw])
    frame.loc[0, "tags"].append("changed")
    assert raw == before
    assert frame.attrs["raw"]["s1"]["candidate_ref"] == "ats-s1"


def test_unknown_platform_fields_stay_in_raw(summary_factory):
    raw = {**summary_factory("s1").model_dump(mode="json"), "new_field": 7}
    frame = sessions_frame([raw])
    assert "new_field" not in frame.columns and frame.attrs["raw"]["s1"]["new_field"] == 7


def test_invalid_dict_names_the_session_and_fields(summary_factory):
    raw = summary_factory("s1").model_dump(mode="json")
    del raw["status"]
    raw["created_at"] = "yesterday"
    with pytest.raises(FramesError, match=r"^session s1: invalid .* \['created_at', 'status'\]"):
        sessions_frame([raw])
    with pytest.raises(FramesError, match="session summary 0: expected SessionSummary"):
        sessions_frame(["nope"])  # type: ignore[list-item]


def test_empty(summary_factory):
    frame = sessions_frame([])
    assert frame.empty and list(frame.columns) == list(SCHEMAS["sessions"])
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
