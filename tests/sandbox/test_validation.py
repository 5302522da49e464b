"""Request validation and limits: bad input is 400 INVALID_INPUT naming the field, never 422."""

from __future__ import annotations

import httpx
import pytest

from zenhire_nb.contract import Limits
from zenhire_nb.sandbox.testing import API_PREFIX as API
from zenhire_nb.sandbox.testing import assert_error


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "en"}, "role_name"),
        ({"role_name": "", "language": "en"}, "role_name"),
        ({"role_name": "x" * (Limits.ROLE_NAME_MAX + 1), "language": "en"}, "role_name"),
        ({"role_name": 42, "language": "en"}, "role_name"),
        ({"role_name": "Analyst"}, "language"),
        ({"role_name": "Analyst", "language": ""}, "language"),
        ({"role_name": "Analyst", "language": "e" * (Limits.LANGUAGE_MAX + 1)}, "language"),
        (
            {
                "role_name": "Analyst",
                "language": "en",
                "system_prompt": "p" * (Limits.SYSTEM_PROMPT_MAX + 1),
            },
            "system_prompt",
        ),
        (
            {"role_name": "Analyst", "language": "en", "base_prompt_override": 3},
            "base_prompt_override",
        ),
    ],
)
def test_persona_limits(http: httpx.Client, body: dict, field: str) -> None:
    error = assert_error(http.post(f"{API}/personas", json=body), 400, "INVALID_INPUT")
    assert field in error["details"]["fields"]


def test_persona_limits_at_the_edge_are_accepted(http: httpx.Client) -> None:
    body = {
        "role_name": "r" * Limits.ROLE_NAME_MAX,
        "language": "l" * Limits.LANGUAGE_MAX,
        "system_prompt": "p" * Limits.SYSTEM_PROMPT_MAX,
    }
    created = http.post(f"{API}/personas", json=body)
    assert created.status_code == 201
    detail = http.get(f"{API}/personas/{created.json()['id']}").json()
    assert detail["system_prompt"] == body["system_prompt"]  # stored verbatim
    assert detail["updated_at"] is None


def test_persona_default_prompt_and_views(http: httpx.Client) -> None:
    created = http.post(f"{API}/personas", json={"role_name": "Nurse", "language": "de"}).json()
    assert created["base_prompt_override"] is None and created["status"] == "active"
    detail = http.get(f"{API}/personas/{created['id']}").json()
    assert "Nurse" in detail["system_prompt"] and "'de'" in detail["system_prompt"]
    listed = http.get(f"{API}/personas").json()["data"]
    assert [p["id"] for p in listed] == [created["id"]]
    assert "base_prompt_override" not in listed[0] and "system_prompt" not in listed[0]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        (b"", "body"),
        (b'{"role_name": NaN}', "role_name"),  # a problem inside a field names the field
    ],
)
def test_bad_json_bodies(http: httpx.Client, raw: bytes, field: str) -> None:
    response = http.post(
        f"{API}/personas", content=raw, headers={"Content-Type": "application/json"}
    )
    assert field in assert_error(response, 400, "INVALID_INPUT")["details"]["fields"]


def _session_error(http: httpx.Client, persona_id: str, body: dict) -> dict:
    response = http.post(f"{API}/personas/{persona_id}/sessions", json=body)
    return assert_error(response, 400, "INVALID_INPUT")["details"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "consent_mode"),
        ({"consent_mode": "implicit"}, "consent_mode"),
        ({"consent_mode": "explicit", "metadata": {f"k{i}": i for i in range(51)}}, "metadata"),
        ({"consent_mode": "explicit", "metadata": {"k" * 41: 1}}, "metadata"),
        ({"consent_mode": "explicit", "metadata": {"k": "v" * 501}}, "metadata"),
        ({"consent_mode": "explicit", "metadata": {"k": None}}, "metadata"),
        ({"consent_mode": "explicit", "metadata": {"k": [1]}}, "metadata"),
        ({"consent_mode": "explicit", "metadata": {"k": {"nested": 1}}}, "metadata"),
        (
            {"consent_mode": "explicit", "metadata": {f"k{i}": "v" * 400 for i in range(25)}},
            "metadata",
        ),  # each value fine, whole object over 8 KB
        ({"consent_mode": "explicit", "metadata": "not an object"}, "metadata"),
        ({"consent_mode": "explicit", "tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"consent_mode": "explicit", "tags": [""]}, "tags"),
        ({"consent_mode": "explicit", "tags": ["t" * 41]}, "tags"),
        ({"consent_mode": "explicit", "tags": ["a", "a"]}, "tags"),
        ({"consent_mode": "explicit", "tags": [1]}, "tags"),
        ({"consent_mode": "explicit", "candidate_ref": 12}, "candidate_ref"),
    ],
)
def test_session_limits(http: httpx.Client, make_persona, body: dict, field: str) -> None:
    assert field in _session_error(http, make_persona(), body)


def test_session_limits_at_the_edge_and_truncation(http: httpx.Client, make_persona) -> None:
    metadata = {f"{i:02d}" + "k" * 38: ("v" * 100 if i < 40 else i) for i in range(50)}
    metadata["00" + "k" * 38] = True
    body = {
        "consent_mode": "explicit",
        "candidate_ref": "r" * 300,
        "metadata": metadata,
        "tags": [f"{i:02d}" + "t" * 38 for i in range(20)],
    }
    created = http.post(f"{API}/personas/{make_persona()}/sessions", json=body)
    assert created.status_code == 201, created.text
    session = http.get(f"{API}/sessions/{created.json()['id']}").json()
    assert session["candidate_ref"] == "r" * 256  # truncated, not rejected
    assert session["metadata"] == metadata and session["tags"] == body["tags"]


def test_query_validation_is_400_not_422(http: httpx.Client) -> None:
    for params, field in [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"status": "done"}, "status"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"cursor": "!!"}, "cursor"),
        ({"cursor": "bm9wZQ"}, "cursor"),
    ]:
        error = assert_error(http.get(f"{API}/sessions", params=params), 400, "INVALID_INPUT")
        assert field in error["details"]["fields"]


def test_unknown_routes_and_ids_are_404_envelopes(http: httpx.Client) -> None:
    assert_error(http.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
    assert_error(http.get(f"{API}/sessions/00000000-0000-0000-0000-000000000000"), 404, "NOT_FOUND")
    assert_error(http.get(f"{API}/sessions/not-a-uuid/transcript"), 404, "NOT_FOUND")
    assert_error(http.get(f"{API}/personas/nope"), 404, "NOT_FOUND")
    missing = http.post(f"{API}/personas/nope/sessions", json={"consent_mode": "explicit"})
    assert_error(missing, 404, "NOT_FOUND")


def test_wrong_method_is_an_envelope(http: httpx.Client) -> None:
    response = http.delete(f"{API}/personas")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"]


def test_openapi_documents_the_contract_without_422(zenhire_sandbox) -> None:
    document = httpx.get(zenhire_sandbox.base_url + "/openapi.json").json()
    paths = document["paths"]
    assert f"{API}/sessions/{{sessionId}}/recording" in paths
    assert not [p for p in paths if p.startswith("/sandbox")]
    assert "422" not in str({k: v for p in paths.values() for k, v in p.items()})
    responses = paths[f"{API}/personas/{{personaId}}/sessions"]["post"]["responses"]
    assert {"201", "400", "401", "402", "403", "404", "429"} <= set(responses)
