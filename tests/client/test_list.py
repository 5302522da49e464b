"""sessions.list: every filter on the wire, lazy cursor paging, bare envelopes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from zenhire_nb.client import ResponseValidationError


def pages(h: Any, count: int, per_page: int = 2) -> Any:
    """A handler serving ``count`` pages chained by cursor ``c1``, ``c2``..."""

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        index = int(cursor[1:]) if cursor else 0
        rows = [h.session_json(f"ses-{index}-{n}") for n in range(per_page)]
        more = index + 1 < count
        return h.respond(
            200,
            {
                "data": rows,
                "pagination": {
                    "limit": per_page,
                    "has_more": more,
                    "next_cursor": f"c{index + 1}" if more else None,
                },
            },
        )

    return handler


def test_pages_until_has_more_is_false(driver: Any, h: Any) -> None:
    d = driver(pages(h, 3))
    rows = d.call("sessions.list")
    assert [r.id for r in rows] == [
        "ses-0-0",
        "ses-0-1",
        "ses-1-0",
        "ses-1-1",
        "ses-2-0",
        "ses-2-1",
    ]
    assert [r.url.params.get("cursor") for r in d.requests] == [None, "c1", "c2"]


def test_bare_data_envelope_is_one_complete_page(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"data": [h.session_json("a"), h.session_json("b")]}))
    assert [r.id for r in d.call("sessions.list")] == ["a", "b"]
    assert len(d.requests) == 1


def test_has_more_without_cursor_is_an_error_not_silent(driver: Any, h: Any) -> None:
    body = {"data": [h.session_json()], "pagination": {"has_more": True, "next_cursor": None}}
    d = driver(lambda r: h.respond(200, body))
    with pytest.raises(ResponseValidationError, match="has_more"):
        d.call("sessions.list")


def test_repeated_cursor_stops_with_an_error(driver: Any, h: Any) -> None:
    body = {"data": [], "pagination": {"has_more": True, "next_cursor": "same"}}
    d = driver(lambda r: h.respond(200, body))
    with pytest.raises(ResponseValidationError):
        d.call("sessions.list", cursor="same")


def test_not_an_envelope(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, [h.session_json()]))
    with pytest.raises(ResponseValidationError, match="data"):
        d.call("sessions.list")


def test_every_filter_is_sent(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"data": []}))
    after = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    d.call(
        "sessions.list",
        status="completed",
        persona_id="per-1",
        candidate_ref="ats 1&2",
        tags=["senior", "backend"],
        metadata={"team": "data", "round": 2, "remote": True},
        created_after=after,
        created_before="2026-02-01T00:00:00Z",
        page_size=50,
        cursor="c7",
    )
    params = d.requests[0].url.params
    assert params["status"] == "completed"
    assert params["persona_id"] == "per-1"
    assert params["candidate_ref"] == "ats 1&2"
    assert params.get_list("tag") == ["senior", "backend"]
    assert params["metadata.team"] == "data"
    assert params["metadata.round"] == "2"
    assert params["metadata.remote"] == "true"
    assert params["created_after"] == "2026-01-02T01:04:05Z"
    assert params["created_before"] == "2026-02-01T00:00:00Z"
    assert params["limit"] == "50"
    assert params["cursor"] == "c7"
    assert d.requests[0].url.path == "/api/v1/interview/sessions"


def test_naive_datetime_is_taken_as_utc(driver: Any, h: Any) -> None:
    d = driver(lambda r: h.respond(200, {"data": []}))
    d.call("sessions.list", created_after=datetime(2026, 1, 1, 12, 0))
    assert d.requests[0].url.params["created_after"] == "2026-01-01T12:00:00Z"


def test_sync_list_is_lazy(h: Any, clock: Any) -> None:
    from zenhire_nb.client import Client

    d = h.Driver("sync", pages(h, 5), clock)
    client = Client(
        http_client=httpx.Client(transport=httpx.MockTransport(d._record)), **d._kwargs()
    )
    rows = client.sessions.list(page_size=2)
    assert d.requests == []
    first = next(rows)
    assert first.id == "ses-0-0" and len(d.requests) == 1
    next(rows), next(rows)
    assert len(d.requests) == 2
