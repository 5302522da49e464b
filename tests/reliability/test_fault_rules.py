"""Fault rules: text and JSON forms, matching, determinism under a seed, the admin routes,
and the admin namespace kept free of faults."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox, SandboxAdminError
from zenhire_nb.sandbox.faults.rules import FaultInjector, FaultRule, load_faults_file, parse_fault
from zenhire_nb.sandbox.testing import API_PREFIX as API


def test_text_form() -> None:
    rule = parse_fault("GET /api/v1/interview/sessions/*/recording:truncate=0.5,truncate_at=0.2")
    assert rule.route == "GET /api/v1/interview/sessions/*/recording"
    assert rule.probability("truncate") == 0.5 and rule.truncate_at == 0.2
    everything = parse_fault("*:latency_ms=50, jitter_ms=10, 429=0.1, retry_after=4")
    assert (everything.latency_ms, everything.jitter_ms, everything.retry_after) == (50, 10, 4)
    assert FaultRule.from_dict(everything.to_dict()) == everything


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("no colon here", "expected '<route>:<key>=<value>"),
        ("*:teapot=1", "unknown key"),
        ("*:429=0.7,500=0.7", "more than 1"),
        ("*:drop=abc", "numbers"),
        ("get_everything:drop=1", "unknown route name"),
        ("GET api/v1:drop=1", "METHOD] /path/pattern"),
        ("*:truncate_at=1", "truncate_at"),
        ("*:latency_ms", "not <key>=<value>"),
    ],
)
def test_bad_text_forms_are_named(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="fault") as info:
        parse_fault(text)
    assert complaint in str(info.value) and text in str(info.value)


@pytest.mark.parametrize(
    "route, method, path, hit",
    [
        ("*", "POST", "/api/v1/interview/personas", True),
        ("get_recording", "GET", "/api/v1/interview/sessions/abc/recording", True),
        ("get_recording", "GET", "/api/v1/interview/sessions/abc/transcript", False),
        ("get_session", "GET", "/api/v1/interview/sessions/abc/recording", False),
        ("GET /api/v1/interview/sessions/*", "GET", "/api/v1/interview/sessions/abc", True),
        ("GET /api/v1/interview/sessions/*", "POST", "/api/v1/interview/sessions/abc", False),
        ("/api/v1/interview/**", "POST", "/api/v1/interview/personas/p/sessions", True),
        ("/api/v1/credits", "GET", "/api/v1/credits", True),
    ],
)
def test_matching(route: str, method: str, path: str, hit: bool) -> None:
    injector = FaultInjector([FaultRule(route=route, probabilities={"500": 1.0})], seed=1)
    assert (injector.decide(method, path).fault == "500") is hit


def test_same_seed_same_faults_in_request_order() -> None:
    rules = ["*:429=0.2,500=0.2,503=0.2,latency_ms=1,jitter_ms=5", "credits:drop=0.3"]
    runs = []
    for seed in (7, 7, 8):
        injector = FaultInjector(rules, seed=seed)
        runs.append([injector.decide("GET", "/api/v1/credits") for _ in range(40)])
    assert runs[0] == runs[1] and runs[0] != runs[2]
    assert {d.fault for d in runs[0]} >= {"429", "500", "503", "drop", None}


def _statuses(sandbox: Sandbox, count: int) -> list[int]:
    with httpx.Client(base_url=sandbox.base_url, headers={"X-API-Key": sandbox.api_key}) as http:
        return [http.get("/api/v1/credits").status_code for _ in range(count)]


def test_seeded_sandboxes_inject_the_same_sequence_over_http() -> None:
    sequences = []
    for _ in range(2):
        with Sandbox(faults=["credits:429=0.3,500=0.3"], fault_seed=11) as sb:
            sequences.append(_statuses(sb, 20))
    assert sequences[0] == sequences[1]
    assert set(sequences[0]) == {200, 429, 500}


def test_admin_routes_read_and_replace_rules(sandbox: Sandbox) -> None:
    answer = sandbox.admin.set_faults(
        ["credits:503=1", {"route": "get_session", "drop": 0.5, "latency_ms": 5}], seed=9
    )
    assert answer["seed"] == 9 and [r["route"] for r in answer["rules"]] == [
        "credits",
        "get_session",
    ]
    assert answer["rules"][1]["drop"] == 0.5 and answer["injected"] == [{}, {}]
    assert _statuses(sandbox, 2) == [503, 503]
    assert sandbox.admin.faults()["injected"][0] == {"requests": 2, "503": 2}
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.set_faults(["credits:503=2"])
    assert info.value.status == 400 and "503" in info.value.details["fields"]["rules"]
    assert len(sandbox.admin.faults()["rules"]) == 2  # the bad rule set changed nothing
    sandbox.admin.set_faults([])
    assert _statuses(sandbox, 1) == [200]
    assert httpx.get(f"{sandbox.base_url}/sandbox/faults").status_code == 401


def test_faults_never_touch_the_admin_namespace(sandbox: Sandbox) -> None:
    sandbox.set_faults(["*:500=1"], seed=1)
    tenant = sandbox.new_tenant(name="unfaulted admin")  # /sandbox/clients still answers
    assert sandbox.admin.ledger(tenant.client_id)["balance"] == 10_000
    assert sandbox.admin.faults()["injected"] == [{}]
    with tenant.http() as http:
        response = http.get(f"{API}/personas")
    assert response.status_code == 500 and response.json()["error"]["details"] == {"injected": True}
    assert response.headers["x-request-id"] == response.json()["error"]["requestId"]


def test_faults_file(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    path.write_text(
        json.dumps(
            {"seed": 3, "rules": ["get_recording:truncate=0.5", {"route": "*", "latency_ms": 20}]}
        )
    )
    rules, seed = load_faults_file(path)
    assert seed == 3 and [r.route for r in rules] == ["get_recording", "*"]
    path.write_text('[{"route": "*", "drop": 3}]')
    with pytest.raises(ValueError, match="faults.json"):
        load_faults_file(path)
    with pytest.raises(ValueError, match="missing.json"):
        load_faults_file(tmp_path / "missing.json")
