"""A small cohort on a real sandbox (127.0.0.1) for the command line.

Four short completed demo interviews (one per persona), one failed interview, and one session
created through the client, whose candidate link the tests look for in every output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zenhire_nb.sandbox import Sandbox

sys.path.insert(0, str(Path(__file__).parent))

from _helpers import CliCohort  # noqa: E402


@pytest.fixture(scope="session")
def cli_cohort() -> Iterator[CliCohort]:
    with Sandbox(seed=5) as sandbox, sandbox.client() as client:
        demo = sandbox.seed_demo_cohort(4, target_minutes=0.2, failure_rate=0, timeout_rate=0)
        persona = demo.persona_ids[0]
        failed = client.sessions.create(persona, consent_mode="integrator", tags=["broken"])
        sandbox.admin.simulate(failed.id, seed=1, outcome="failed")
        linked = client.sessions.create(persona, consent_mode="integrator", tags=["linked"])
        token = linked.candidate_link.partition("#t=")[2]
        sandbox.admin.simulate(
            linked.id, seed=2, target_minutes=0.2, failure_rate=0.0, timeout_rate=0.0
        )
        yield CliCohort(sandbox, demo.completed, str(failed.id), str(linked.id), token)
