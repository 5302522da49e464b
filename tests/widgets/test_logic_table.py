"""The session table's filters, sort and pages over thousands of sessions (no widget)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from zenhire_nb.frames import sessions_frame
from zenhire_nb.widgets.logic.table import SessionTable, parse_metadata_filter

STATUSES = ("initiated", "active", "completed", "failed")


def summaries(n: int) -> list[dict]:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return [
        {
            "id": f"s-{i:05d}",
            "client_id": "c",
            "persona_id": f"p-{i % 3}",
            "role_name": f"Role {i % 3}",
            "candidate_ref": f"Cand-{i:05d}",
            "status": STATUSES[i % 4],
            "consent_mode": "explicit",
            "tags": ["wave-1"] if i % 2 else ["wave-2", "eu"],
            "metadata": {"team": "data" if i % 5 == 0 else "ops", "level": i % 3},
            "created_at": start + timedelta(hours=i),
            "duration_sec": 60 + i if i % 4 == 2 else None,
        }
        for i in range(n)
    ]


@pytest.fixture
def table():
    return SessionTable(sessions_frame(summaries(5000)), page_size=25)


def test_filters_combine(table):
    table.update_filter(statuses=("completed",), tags=("eu",), metadata={"team": "data"})
    view = table.view()
    assert len(view) > 0
    assert set(view["status"]) == {"completed"}
    assert all("eu" in tags for tags in view["tags"])
    assert all(meta["team"] == "data" for meta in view["metadata"])


def test_metadata_numbers_match_their_text(table):
    table.update_filter(metadata={"level": "2"})
    assert set(m["level"] for m in table.view()["metadata"]) == {2}


def test_date_range_includes_both_days_and_search_ignores_case(table):
    table.update_filter(created_from=date(2026, 11, 2), created_to=date(2026, 11, 2))
    assert table.matching == 24
    table.update_filter(created_from=None, created_to=None, search="cand-0001")
    assert table.matching == 10  # Cand-00010 .. Cand-00019
    table.update_filter(search="S-04999")
    assert list(table.view()["session_id"]) == ["s-04999"]


def test_empty_date_range_is_refused(table):
    with pytest.raises(ValueError, match="'from' 2026-11-03 is after 'to' 2026-11-02"):
        table.update_filter(created_from=date(2026, 11, 3), created_to=date(2026, 11, 2))


def test_sort_and_pages(table):
    rows = table.rows()
    assert len(rows) == 25 and rows[0]["session_id"] == "s-04999"  # newest first
    table.set_sort("candidate_ref")
    assert table.rows()[0]["candidate_ref"] == "Cand-00000"
    table.set_sort("candidate_ref")
    assert table.rows()[0]["candidate_ref"] == "Cand-04999"
    assert table.pages == 200
    table.set_page(500)
    assert table.page == 199 and len(table.rows()) == 25
    table.update_filter(statuses=("failed",))
    assert table.page == 0


def test_sorting_by_an_unknown_column_names_it(table):
    with pytest.raises(ValueError, match="cannot sort by 'nope'"):
        table.set_sort("nope")


def test_upsert_replaces_changed_sessions():
    table = SessionTable(sessions_frame(summaries(10)))
    changed = dict(summaries(10)[0], status="completed", duration_sec=90)
    assert table.upsert([changed]) == 1
    row = table.frame.set_index("session_id").loc["s-00000"]
    assert row["status"] == "completed" and len(table.frame) == 10
    assert "s-00000" not in table.open_session_ids()


def test_display_rows_are_strings():
    table = SessionTable(sessions_frame(summaries(3)))
    table.set_sort("session_id", ascending=True)
    first, _, third = table.rows()
    assert first["duration_sec"] == "" and third["duration_sec"] == "1:02"
    assert first["tags"] == "wave-2, eu" and first["created_at"] == "2026-11-01 00:00"


def test_metadata_filter_text():
    assert parse_metadata_filter(" team = data , level=2,") == {"team": "data", "level": "2"}
    with pytest.raises(ValueError, match="metadata filter 'team': write key=value"):
        parse_metadata_filter("team")
