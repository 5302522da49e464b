"""The public surface is deliberate: every exported name exists, and nothing else leaks out."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import zenhire_nb

PUBLIC_PACKAGES = [
    "zenhire_nb",
    "zenhire_nb.client",
    "zenhire_nb.client.errors",
    "zenhire_nb.contract",
    "zenhire_nb.sandbox",
    "zenhire_nb.frames",
    "zenhire_nb.stt",
]


@pytest.mark.parametrize("name", PUBLIC_PACKAGES)
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__, f"{name} has an empty __all__"
    assert len(set(module.__all__)) == len(module.__all__), f"{name} exports a name twice"
    for exported in module.__all__:
        assert getattr(module, exported, None) is not None, f"{name}.{exported} is missing"


def test_top_level_exports_only_what_all_names() -> None:
    public = {n for n in vars(zenhire_nb) if not n.startswith(("_", "@"))}
    # Sub-packages become attributes once imported; they are reached by their module path.
    public -= {"client", "contract", "sandbox", "frames", "stt", "cli", "demo", "annotations"}
    public -= {"charts", "report", "samples", "widgets"}
    public -= {"TYPE_CHECKING", "Any"}
    assert public <= set(zenhire_nb.__all__), sorted(public - set(zenhire_nb.__all__))


def test_importing_the_package_stays_light() -> None:
    # Notebooks import zenhire_nb first thing: it must not drag in the sandbox server or pandas.
    code = (
        "import sys, zenhire_nb; "
        "heavy = [m for m in ('fastapi', 'uvicorn', 'pandas', 'torch') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_typed_marker_ships() -> None:
    from importlib.resources import files

    assert files("zenhire_nb").joinpath("py.typed").is_file()
