"""The shared I/O layer sits under everything: it imports nothing else of ours."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import zenhire_nb._io

ALLOWED_TOP_LEVEL = {"numpy", "zenhire_nb"}


def test_the_io_layer_imports_only_the_standard_library_numpy_and_itself() -> None:
    folder = Path(zenhire_nb._io.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED_TOP_LEVEL, (path, name)
                if top == "zenhire_nb":
                    assert name.startswith("zenhire_nb._io"), (path, name)


def test_everything_public_is_exported_on_purpose() -> None:
    exported = set(zenhire_nb._io.__all__)
    public = {
        name
        for name, value in vars(zenhire_nb._io).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - {"annotations"} == exported
