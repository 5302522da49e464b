"""Tests import what users import: a name a public package exports is not taken from a private
module (``zenhire_nb.frames._wav``) or a deeper path, so a test breaks when the public surface
does, and an internal move does not break tests for nothing.

Private modules stay importable for what has no public name (internal helpers tested on their
own, fault injection). The sandbox's own tests are left out: the sandbox is being reorganised
and its tests follow its files.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PUBLIC_PACKAGES = [
    "zenhire_nb",
    "zenhire_nb.client",
    "zenhire_nb.contract",
    "zenhire_nb.frames",
    "zenhire_nb.stt",
    "zenhire_nb.sandbox",
]
SKIPPED_FOLDERS = ("sandbox", "sandbox_sim", "candidate_page", "interview")


def _better_import(module_name: str, name: str) -> str | None:
    """The public package to import ``name`` from instead of ``module_name``, if there is one:
    the deepest package above ``module_name`` that exports the very same object."""
    module = importlib.import_module(module_name)
    target = getattr(module, name, None)
    if target is None:
        return None
    for package_name in sorted(PUBLIC_PACKAGES, key=len, reverse=True):
        if not module_name.startswith(package_name + ".") or package_name == module_name:
            continue
        package = importlib.import_module(package_name)
        if name in getattr(package, "__all__", ()) and getattr(package, name) is target:
            return package_name
    return None


def test_names_with_a_public_home_are_imported_from_it() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS)
        if relative.parts[0] in SKIPPED_FOLDERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            parts = node.module.split(".")
            # Only imports from a private module (a part starting with "_") are of interest.
            if parts[0] != "zenhire_nb" or not any(part.startswith("_") for part in parts[1:]):
                continue
            for alias in node.names:
                better = _better_import(node.module, alias.name)
                if better:
                    offenders.append(
                        f"tests/{relative}:{node.lineno}: from {node.module} import "
                        f"{alias.name} -> from {better} import {alias.name}"
                    )
    assert not offenders, "import these from their public package:\n" + "\n".join(offenders)
