"""Shared names of the cohort tests (conftest itself is not importable by the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zenhire_nb.sandbox import Sandbox

ROLES = ("Data Analyst", "Software Engineer", "Customer Support")
MINUTES = 0.75
MISTAKE_RATE = 0.05
# One thread per engine: the tests compare an in-process run with a 2-worker cluster on the
# same settings, and the machine has 2 cores.
THREADS = 1


@dataclass
class SimulatedCohort:
    sandbox: Sandbox
    client: Any
    session_ids: list[str]
    mistaken_turns: dict[str, set[int]]
