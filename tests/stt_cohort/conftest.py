"""A tiny simulated cohort on a local sandbox (real HTTP on 127.0.0.1), checked once here.

Three interviews of about a minute, mistakes injected at 5% per word. Everything is
session-scoped: simulating, downloading and the first (uncached) check are paid once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.stt import CohortCheck, check_cohort

sys.path.insert(0, str(Path(__file__).parent))

from _simulated import MINUTES, MISTAKE_RATE, ROLES, THREADS, SimulatedCohort  # noqa: E402


@pytest.fixture(scope="session")
def simulated() -> Iterator[SimulatedCohort]:
    with (
        Sandbox(seed=11, mistake_rate=MISTAKE_RATE) as sandbox,
        sandbox.client(max_retries=0) as client,
    ):
        ids, mistaken = [], {}
        for index, role in enumerate(ROLES):
            persona = client.personas.create(role_name=role, language="en")
            session = client.sessions.create(persona.id, consent_mode="integrator")
            sandbox.admin.simulate(
                session.id,
                seed=300 + index,
                target_minutes=MINUTES,
                mistake_rate=MISTAKE_RATE,
                failure_rate=0.0,
                timeout_rate=0.0,
            )
            truth = sandbox.admin.ground_truth(session.id)
            ids.append(str(session.id))
            mistaken[str(session.id)] = {int(m["turn"]) for m in truth["mistakes"]}
        yield SimulatedCohort(sandbox, client, ids, mistaken)


@pytest.fixture(scope="session")
def local_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cache root (frames and stt) of the in-process run."""
    return tmp_path_factory.mktemp("cohort-local")


@pytest.fixture(scope="session")
def local_check(simulated: SimulatedCohort, local_root: Path) -> CohortCheck:
    """The first, uncached, in-process check of the whole cohort."""
    return check_cohort(simulated.client, cache_dir=local_root, threads=THREADS, progress=False)
