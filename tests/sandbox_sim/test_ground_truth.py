"""Ground truth: reachable through the admin namespace only, and consistent with what the
contract serves."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from zenhire_nb.sandbox import Sandbox, SandboxAdminError
from zenhire_nb.sandbox.simulation.interview.mistakes import Mistake, apply_mistakes
from zenhire_nb.sandbox.testing import API_PREFIX as API

from .conftest import SHORT


@pytest.fixture(scope="module")
def simulated(sandbox: Sandbox, client: Any) -> tuple[str, dict[str, Any]]:
    persona = client.personas.create(role_name="Customer Support", language="en")
    session_id = str(client.sessions.create(persona.id, consent_mode="integrator").id)
    sandbox.admin.simulate(session_id, seed=21, target_minutes=SHORT, mistake_rate=0.15)
    return session_id, sandbox.admin.ground_truth(session_id)


def test_ground_truth_lists_turns_and_mistakes(
    simulated: tuple[str, dict[str, Any]], client: Any
) -> None:
    session_id, truth = simulated
    assert truth["session_id"] == session_id and truth["outcome"] == "completed"
    assert truth["mistakes"], "15% of words should give some mistakes"
    for mistake in truth["mistakes"]:
        assert set(mistake) == {"turn", "kind", "position", "original", "replacement"}
        assert mistake["kind"] in ("substitution", "drop")
    served = client.sessions.transcript(session_id)
    assert served == truth["served_turns"]
    assert [t["text"] for t in served] != [t["text"] for t in truth["true_turns"]]
    rebuilt = apply_mistakes(
        [t["text"] for t in truth["true_turns"]], [Mistake(**m) for m in truth["mistakes"]]
    )
    assert rebuilt == [t["text"] for t in served]


def test_contract_responses_never_carry_ground_truth(
    sandbox: Sandbox, simulated: tuple[str, dict[str, Any]]
) -> None:
    session_id, truth = simulated
    true_only = {m["original"] for m in truth["mistakes"]}
    with httpx.Client(base_url=sandbox.base_url, headers={"X-API-Key": sandbox.api_key}) as http:
        bodies = [
            http.get(f"{API}/sessions/{session_id}").text,
            http.get(f"{API}/sessions", params={"limit": 100}).text,
            http.get(f"{API}/sessions/{session_id}/transcript").text,
        ]
        assert http.get(f"{API}/sessions/{session_id}/ground-truth").status_code == 404
    for body in bodies:
        for marker in ("ground_truth", "true_turns", "mistakes", "served_turns", "voices"):
            assert marker not in body
    whole_true_text = json.dumps(truth["true_turns"])
    assert whole_true_text not in bodies[2]
    assert true_only  # at least one word only the truth knows about
    assert "/ground-truth" not in json.dumps(httpx.get(f"{sandbox.base_url}/openapi.json").json())


def test_ground_truth_needs_admin_and_a_simulation(
    sandbox: Sandbox, make_session: Callable[..., str]
) -> None:
    session_id = make_session()
    with pytest.raises(SandboxAdminError) as info:
        sandbox.admin.ground_truth(session_id)
    assert (info.value.status, info.value.code) == (409, "GROUND_TRUTH_UNAVAILABLE")
    answer = httpx.get(f"{sandbox.base_url}/sandbox/sessions/{session_id}/ground-truth")
    assert answer.status_code == 401
