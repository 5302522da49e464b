"""CohortQuery: checked when built, hashable, readable repr, and the same rows as the platform."""

from datetime import datetime, timezone

import pandas as pd
import pytest

from zenhire_nb.frames import CohortQuery
from zenhire_nb.frames.query import query_from_keywords


def _sessions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "session_id": ["s1", "s2", "s3"],
            "status": ["completed", "failed", "completed"],
            "persona_id": ["p1", "p1", "p2"],
            "candidate_ref": ["a", "b", pd.NA],
            "tags": [["x", "y"], None, ["y"]],
            "metadata": [{"region": "eu"}, {"region": "us"}, None],
            "created_at": pd.to_datetime(
                ["2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z"], utc=True
            ),
        }
    )


def test_fields_are_normalised_and_hashable():
    query = CohortQuery(tags=["x", "x", "y"], created_after="2026-11-01", metadata={"a": 1})
    assert query.tags == ("x", "y")
    assert query.created_after == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert hash(query) == hash(
        CohortQuery(tags=("x", "y"), created_after=query.created_after, metadata={"a": 1})
    )
    with pytest.raises(TypeError, match="read-only"):
        query.metadata["a"] = 2  # type: ignore[index]


def test_repr_shows_only_what_is_set():
    assert repr(CohortQuery()) == "CohortQuery()"
    assert repr(CohortQuery(persona_id="p1", tags=["x"], status=None)) == (
        "CohortQuery(status=None, persona_id='p1', tags=['x'])"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "done"}, "status must be one of"),
        ({"tags": "x"}, "tags must be a list"),
        ({"created_after": "yesterday"}, "created_after must be an ISO 8601"),
        ({"session_ids": ["s1"], "persona_id": "p1"}, "persona_id"),
        ({"metadata": {"a": [1]}}, "metadata filters"),
        ({"created_after": "2026-11-02", "created_before": "2026-11-01"}, "earlier"),
    ],
)
def test_bad_values_name_the_field(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        CohortQuery(**kwargs)


def test_mask_selects_like_the_list_filters():
    frame = _sessions()
    assert list(frame[CohortQuery().mask(frame)].session_id) == ["s1", "s3"]
    assert list(frame[CohortQuery(tags=["y"], status=None).mask(frame)].session_id) == ["s1", "s3"]
    query = CohortQuery(metadata={"region": "us"}, status=None)
    assert list(frame[query.mask(frame)].session_id) == ["s2"]
    query = CohortQuery(created_after="2026-11-02", status=None)
    assert list(frame[query.mask(frame)].session_id) == ["s2", "s3"]
    assert list(frame[CohortQuery(session_ids=["s3", "s2"]).mask(frame)].session_id) == ["s3"]
    with pytest.raises(KeyError, match="role_name|tags"):
        CohortQuery(tags=["x"]).mask(frame.drop(columns="tags"))


def test_keywords_resolve_in_one_place():
    base = CohortQuery(persona_id="p1")
    assert query_from_keywords(base, {"tags": ["x"]}, where="load_cohort") == CohortQuery(
        persona_id="p1", tags=["x"]
    )
    with pytest.raises(TypeError, match=r"load_cohort\(\) got unexpected keyword.*'persona'"):
        query_from_keywords(None, {"persona": "p1"}, where="load_cohort")
    assert CohortQuery().list_filters()["status"] == "completed"


def test_the_typed_shortcuts_are_exactly_the_query_fields():
    import dataclasses
    import inspect

    from zenhire_nb.frames import CohortFilters, aload_cohort, load_cohort

    fields = {f.name for f in dataclasses.fields(CohortQuery)}
    assert set(CohortFilters.__annotations__) == fields
    # The loaders' own keywords never shadow a filter.
    for loader in (load_cohort, aload_cohort):
        own = set(inspect.signature(loader).parameters) - {"filters"}
        assert not own & fields, loader.__name__
