"""What the command-line tests share: the cohort they run on, and running ``zenhire-nb``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from zenhire_nb.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CliCohort:
    sandbox: Sandbox
    completed: list[str]
    failed: str
    linked: str  # the session created through the client
    link_token: str  # its candidate link's raw token (must never be printed)

    def env(self, cache: Path, **changes: str | None) -> dict[str, str]:
        env = {
            **os.environ,
            "ZENHIRE_API_KEY": self.sandbox.api_key,
            "ZENHIRE_BASE_URL": self.sandbox.base_url,
            "ZENHIRE_CACHE_DIR": str(cache),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        for name, value in changes.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zenhire_nb.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
