"""Groups: every kind of ``by=`` resolves to the right sessions, counted, with stable colours."""

from __future__ import annotations

import pandas as pd
import pytest

from zenhire_nb.charts import PALETTE, Groups, group_colors
from zenhire_nb.charts.groups import MISSING
from zenhire_nb.frames import CohortQuery


@pytest.fixture
def table(make_sessions):
    return make_sessions(
        [
            {
                "role_name": "Analyst",
                "tags": ["a", "b"],
                "metadata": {"region": "EMEA"},
                "created_at": "2026-11-02T10:00:00Z",
            },
            {
                "role_name": "Analyst",
                "tags": ["a"],
                "metadata": {"region": "AMER"},
                "created_at": "2026-11-03T10:00:00Z",
            },
            {
                "role_name": "Engineer",
                "tags": None,
                "metadata": None,
                "created_at": "2026-11-10T10:00:00Z",
                "status": "failed",
            },
            {"role_name": None, "tags": ["b"], "metadata": {"region": "EMEA"}, "created_at": None},
        ]
    )


def members(membership, group):
    pairs = membership.pairs
    return sorted(pairs.loc[pairs["group"] == group, "session_id"])


def test_none_is_one_group_of_everything(table):
    groups = Groups().resolve(table)
    assert groups.order == ["All sessions"] and groups.counts == {"All sessions": 4}
    assert groups.label("All sessions") == "All sessions (n=4)"


def test_a_column_groups_by_value_and_counts_missing(table):
    groups = Groups("role_name").resolve(table)
    assert groups.order == ["Analyst", "Engineer", MISSING]
    assert groups.counts == {"Analyst": 2, "Engineer": 1, MISSING: 1}
    assert groups.title == "Role"


def test_a_session_with_two_tags_is_in_both_groups(table):
    groups = Groups("tags").resolve(table)
    assert members(groups, "a") == ["ses_0", "ses_1"]
    assert members(groups, "b") == ["ses_0", "ses_3"]
    assert members(groups, MISSING) == ["ses_2"]
    only = Groups("tag:b").resolve(table)
    assert only.order == ["b"] and only.counts == {"b": 2}


def test_metadata_key_and_time_bins(table):
    region = Groups("metadata.region").resolve(table)
    assert region.counts == {"AMER": 1, "EMEA": 2, MISSING: 1}
    weeks = Groups("created_at:week").resolve(table)
    assert weeks.counts == {"week of 2026-11-02": 2, "week of 2026-11-09": 1, MISSING: 1}


def test_explicit_mapping_of_ids_and_queries(table):
    groups = Groups(
        {
            "first two": ["ses_0", "ses_1"],
            "failed": CohortQuery(status="failed"),
            "tag b": CohortQuery(status=None, tags=["b"]),
        }
    ).resolve(table)
    assert members(groups, "first two") == ["ses_0", "ses_1"]
    assert members(groups, "failed") == ["ses_2"]
    assert members(groups, "tag b") == ["ses_0", "ses_3"]


def test_bad_by_names_the_column_and_the_options(table):
    with pytest.raises(ValueError, match=r"no column 'persona'.*'tags'"):
        Groups("persona").resolve(table)
    with pytest.raises(ValueError, match="time bins"):
        Groups("created_at:fortnight").resolve(table)
    with pytest.raises(TypeError, match="group 'x'"):
        Groups({"x": "ses_0"}).resolve(table)
    with pytest.raises(TypeError, match="by must be"):
        Groups(42)  # type: ignore[arg-type]


def test_status_groups_keep_the_lifecycle_order_and_fixed_colours(table):
    groups = Groups("status").resolve(table)
    assert groups.order == ["completed", "failed"]
    assert groups.colors["failed"] != groups.colors["completed"]


def test_colours_depend_on_the_name_not_on_the_other_groups():
    alone = group_colors(["Data Analyst"])
    crowded = group_colors(["Sales", "Data Analyst", "Support"])
    assert alone["Data Analyst"] == crowded["Data Analyst"]
    assert set(crowded.values()) <= set(PALETTE)


def test_colours_of_one_chart_are_distinct_while_the_palette_lasts():
    names = [f"group {i}" for i in range(len(PALETTE))]
    assert len(set(group_colors(names).values())) == len(PALETTE)


def test_caller_colours_win():
    assert group_colors(["x", "y"], colors={"x": "#000000"})["x"] == "#000000"


def test_resolving_does_not_touch_the_frame(table):
    before = table.copy(deep=True)
    Groups("tags").resolve(table)
    pd.testing.assert_frame_equal(table, before)
