"""Listing sessions: newest first, every filter, cursor pagination and its envelope."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error


def _ids(http: httpx.Client, **params) -> list[str]:
    response = http.get(f"{API}/sessions", params=params)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


@pytest.fixture
def population(http: httpx.Client, make_persona, make_session) -> dict[str, list[str]]:
    first, second = make_persona(role_name="Nurse"), make_persona(role_name="Chef")
    made: dict[str, list[str]] = {"all": []}
    specs = [
        (
            first,
            {
                "tags": ["berlin", "senior"],
                "metadata": {"team": "icu", "level": 3},
                "candidate_ref": "ats-1",
            },
        ),
        (first, {"tags": ["berlin"], "metadata": {"team": "er", "remote": True}}),
        (
            second,
            {
                "tags": ["senior"],
                "metadata": {"team": "icu", "remote": False},
                "candidate_ref": "ats-1",
            },
        ),
        (second, {}),
    ]
    for persona, fields in specs:
        made["all"].append(make_session(persona, **fields)["id"])
    made["personas"] = [first, second]
    return made


def test_newest_first_with_envelope(http: httpx.Client, population) -> None:
    body = http.get(f"{API}/sessions").json()
    assert [row["id"] for row in body["data"]] == population["all"][::-1]
    assert body["pagination"] == {"limit": 20, "next_cursor": None, "has_more": False}
    row = body["data"][0]
    assert row["role_name"] == "Chef" and row["language"] == "en"
    assert "persona" not in row and "feedback" not in row
    assert row["status"] == "initiated" and row["source"] == "requests"


def test_filters(http: httpx.Client, population) -> None:
    s = population["all"]
    assert _ids(http, tag="berlin") == [s[1], s[0]]
    assert _ids(http, tag=["berlin", "senior"]) == [s[0]]  # all tags must match
    assert _ids(http, **{"metadata.team": "icu"}) == [s[2], s[0]]
    assert _ids(http, **{"metadata.team": "icu", "metadata.level": "3"}) == [s[0]]
    assert _ids(http, **{"metadata.remote": "true"}) == [s[1]]
    assert _ids(http, **{"metadata.remote": "false"}) == [s[2]]
    assert _ids(http, **{"metadata.missing": "x"}) == []
    assert _ids(http, candidate_ref="ats-1") == [s[2], s[0]]
    assert _ids(http, persona_id=population["personas"][1]) == [s[3], s[2]]
    assert _ids(http, status="initiated") == s[::-1]
    assert _ids(http, status="completed") == []
    assert _ids(
        http, tag="senior", candidate_ref="ats-1", persona_id=population["personas"][0]
    ) == [s[0]]


def test_created_window(http: httpx.Client, population) -> None:
    rows = http.get(f"{API}/sessions").json()["data"]
    created = sorted(datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")) for r in rows)
    before = (created[0] - timedelta(seconds=1)).isoformat()
    after = (created[-1] + timedelta(seconds=1)).isoformat()
    assert len(_ids(http, created_after=before)) == 4
    assert _ids(http, created_after=after) == []
    assert _ids(http, created_before=before) == []
    assert len(_ids(http, created_after=before, created_before=after)) == 4


def test_cursor_pagination(http: httpx.Client, make_persona, make_session) -> None:
    persona = make_persona()
    made = [make_session(persona, tags=["paged"])["id"] for _ in range(7)]
    make_session(persona)  # not tagged: filtered out on every page
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, "tag": "paged", **({"cursor": cursor} if cursor else {})}
        body = http.get(f"{API}/sessions", params=params).json()
        pages += 1
        seen += [row["id"] for row in body["data"]]
        assert body["pagination"]["limit"] == 3
        if not body["pagination"]["has_more"]:
            assert body["pagination"]["next_cursor"] is None
            break
        cursor = body["pagination"]["next_cursor"]
        assert isinstance(cursor, str) and cursor
    assert pages == 3 and seen == made[::-1]


def test_limit_bounds(http: httpx.Client, make_persona, make_session) -> None:
    persona = make_persona()
    for _ in range(3):
        make_session(persona)
    assert len(_ids(http, limit=100)) == 3
    body = http.get(f"{API}/sessions", params={"limit": 1}).json()
    assert len(body["data"]) == 1 and body["pagination"]["has_more"] is True


def _first_cursor(http: httpx.Client) -> str:
    body = http.get(f"{API}/sessions", params={"limit": 1}).json()
    assert body["pagination"]["has_more"], body
    return str(body["pagination"]["next_cursor"])


def test_cursor_reveals_nothing_of_the_platform(zenhire_sandbox) -> None:
    """A fresh tenant's cursor is the same whatever the rest of the platform holds: it is
    made of the tenant's own rows, never of a platform-wide position."""

    def fresh_tenant_cursor() -> tuple[str, list[str]]:
        tenant = zenhire_sandbox.new_tenant()
        with tenant.http() as http:
            persona = http.post(f"{API}/personas", json={"role_name": "QA", "language": "en"})
            ids = [
                http.post(
                    f"{API}/personas/{persona.json()['id']}/sessions",
                    json={"consent_mode": "integrator"},
                ).json()["id"]
                for _ in range(2)
            ]
            return _first_cursor(http), ids

    first, first_ids = fresh_tenant_cursor()
    busy = zenhire_sandbox.new_tenant()  # the platform grows by 30 sessions meanwhile
    with busy.http() as http:
        persona = http.post(f"{API}/personas", json={"role_name": "QA", "language": "en"})
        for _ in range(30):
            http.post(
                f"{API}/personas/{persona.json()['id']}/sessions",
                json={"consent_mode": "integrator"},
            )
    second, second_ids = fresh_tenant_cursor()
    # Same shape, and nothing in it but what the tenant already knows: its newest session id.
    assert len(first) == len(second)
    for cursor, ids in ((first, first_ids), (second, second_ids)):
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        assert raw[2:] == uuid.UUID(ids[-1]).bytes, raw


def test_another_tenants_cursor_is_refused(
    zenhire_sandbox, http: httpx.Client, make_session
) -> None:
    make_session(), make_session()
    cursor = _first_cursor(http)
    other = zenhire_sandbox.new_tenant()
    with other.http() as other_http:
        answer = other_http.get(f"{API}/sessions", params={"cursor": cursor})
    assert "cursor" in assert_error(answer, 400, "INVALID_INPUT")["details"]["fields"]
