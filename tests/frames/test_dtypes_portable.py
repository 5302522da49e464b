"""Frames keep the same dtypes on pandas 2.2 and 3; errors sit under the client's root."""

from __future__ import annotations

import pandas as pd

from zenhire_nb import ZenHireError
from zenhire_nb.frames import (
    SCHEMAS,
    FramesError,
    RecordingFormatError,
    TranscriptFormatError,
    turns_frame,
)
from zenhire_nb.frames.schemas import STRING_DTYPE, empty_frame


def test_text_columns_are_python_backed_nullable_strings() -> None:
    frame = turns_frame({"s1": [{"speaker": "interviewer", "text": "Hi", "start": 0, "end": 1}]})
    for column in ("session_id", "candidate_ref", "role_name", "text"):
        assert frame[column].dtype == STRING_DTYPE
    # Missing context is NA, never the text "nan" (what astype(str) gives on pandas 2).
    assert frame["candidate_ref"].isna().all()


def test_every_schema_names_only_portable_dtypes() -> None:
    for name, schema in SCHEMAS.items():
        assert "str" not in {spec.dtype for spec in schema.values()}, name
        empty = empty_frame(name)
        assert [str(t) for t in empty.dtypes] == [spec.dtype for spec in schema.values()]


def test_frames_errors_are_zenhire_errors() -> None:
    assert issubclass(FramesError, ZenHireError)
    assert issubclass(TranscriptFormatError, ValueError)
    assert issubclass(RecordingFormatError, ValueError)
    assert isinstance(pd.NA, type(pd.NA))


def test_summary_of_nothing_is_an_empty_typed_frame() -> None:
    from zenhire_nb.frames import session_summary_frame, sessions_frame

    turns = turns_frame({})
    summary = session_summary_frame(turns, sessions=sessions_frame([]), recordings=None)
    assert summary.empty
    assert [str(t) for t in summary.dtypes] == [
        s.dtype for s in SCHEMAS["session_summary"].values()
    ]
