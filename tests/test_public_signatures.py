"""No ``Any`` in a public signature: every exported function and method says what it takes and
returns, so an IDE and mypy can help the notebook user.

The one use of ``Any`` accepted is the value type of a mapping (``dict[str, Any]``,
``Mapping[str, Any]``): a JSON object whose values are any JSON. Anything else (a bare ``Any``
parameter or return, ``**options: Any``, ``Sequence[Any]``, ``X | Any``) is an offender.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable, Iterator

import pytest

# The sub-packages come first so that a name re-exported by ``zenhire_nb`` (``Sandbox``) is
# reported under the package that defines it.
PUBLIC_MODULES = ["zenhire_nb.sandbox", "zenhire_nb.frames", "zenhire_nb.stt", "zenhire_nb"]

# Offenders of today that other branches are reworking. Each entry is ``<public path>:<parameter
# or "return">``. Delete an entry when its signature is typed (the test below says which ones no
# longer offend); never add one to get a new function through.
ALLOWED_TODAY = {
    # branch sandbox: keyword pass-throughs and the lazily imported client.
    "zenhire_nb.sandbox.Sandbox.new_tenant:kwargs",
    "zenhire_nb.sandbox.Sandbox.client:kwargs",
    "zenhire_nb.sandbox.Sandbox.seed_demo_cohort:options",
    "zenhire_nb.sandbox.Tenant.http:kwargs",
    "zenhire_nb.sandbox.Tenant.client:kwargs",
    "zenhire_nb.sandbox.SandboxAdmin.update_client:changes",
    "zenhire_nb.sandbox.SandboxAdmin.simulate:options",
    "zenhire_nb.sandbox.SimulationSettings.with_options:options",
    # branch sandbox: transcript documents are opaque JSON (docs/contract.md §6) until a JSON
    # type alias exists.
    "zenhire_nb.sandbox.CompletionRequest.__init__:transcript",
    "zenhire_nb.sandbox.InterviewResult.__init__:transcript",
    "zenhire_nb.sandbox.SandboxAdmin.complete:transcript",
    # frames (branches io and twins): opaque transcript documents and keyword pass-throughs.
    "zenhire_nb.frames.CohortQuery.replace:changes",
    "zenhire_nb.frames.ResultsCache.read_transcript:return",
    "zenhire_nb.frames.ResultsCache.store_transcript:document",
    "zenhire_nb.frames.parse_transcript:document",
    "zenhire_nb.frames.turns_frame:sessions",
    # branch stt: the cohort filters and the turns of a check (CheckSettings reworks both).
    "zenhire_nb.stt.check_recording:turns",
    # Keyword shortcuts for notebooks, resolved into SandboxSettings / CheckSettings /
    # CohortQuery in one place each (unknown names are a TypeError); typing them through
    # Unpack[TypedDict], as load_cohort does, would take them off this list.
    "zenhire_nb.sandbox.Sandbox.__init__:options",
    "zenhire_nb.stt.CheckSettings.replace:changes",
    "zenhire_nb.stt.check_cohort:shortcuts",
    "zenhire_nb.stt.compare_transcript:turns",
}

_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping"}


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _has_loose_any(node: ast.expr, *, mapping_value: bool = False) -> bool:
    """True when ``Any`` appears in ``node`` anywhere but as the value type of a mapping."""
    if _name_of(node) == "Any":
        return not mapping_value
    if isinstance(node, ast.BinOp):  # X | Y: each member stands where the union stands
        return _has_loose_any(node.left, mapping_value=mapping_value) or _has_loose_any(
            node.right, mapping_value=mapping_value
        )
    if isinstance(node, ast.Subscript):
        arguments = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if _name_of(node.value) in _MAPPINGS and len(arguments) == 2:
            return _has_loose_any(arguments[0]) or _has_loose_any(arguments[1], mapping_value=True)
        if _name_of(node.value) in {"Optional", "Union"}:
            return any(_has_loose_any(a, mapping_value=mapping_value) for a in arguments)
        return any(_has_loose_any(argument) for argument in arguments)
    return any(_has_loose_any(child) for child in ast.iter_child_nodes(node))


def _annotation_text(annotation: object) -> str | None:
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):  # modules with ``from __future__ import annotations``
        return annotation
    return inspect.formatannotation(annotation)


def _public_callables() -> Iterator[tuple[str, Callable[..., object]]]:
    """(public path, function) for every exported function and every public method (and
    ``__init__``) of an exported class, including methods inherited from our own classes."""
    seen: set[int] = set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            exported = getattr(module, name)
            if inspect.isfunction(exported):
                candidates = [(f"{module_name}.{name}", exported)]
            elif inspect.isclass(exported):
                candidates = [
                    (f"{module_name}.{name}.{attribute}", function)
                    for attribute, function in _methods(exported)
                ]
            else:
                continue
            for path, function in candidates:
                if id(function) not in seen:
                    seen.add(id(function))
                    yield path, function


def _methods(cls: type) -> Iterator[tuple[str, Callable[..., object]]]:
    names: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("zenhire_nb"):
            continue
        for attribute, value in vars(klass).items():
            if attribute in names or (attribute.startswith("_") and attribute != "__init__"):
                continue
            names.add(attribute)
            if isinstance(value, property):
                value = value.fget
            elif isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isfunction(value):
                yield attribute, value


def _offenders() -> list[tuple[str, str]]:
    """(``path:parameter``, annotation) of every loose ``Any`` in a public signature."""
    found = []
    for path, function in _public_callables():
        signature = inspect.signature(function)
        annotated = [(p.name, p.annotation) for p in signature.parameters.values()]
        annotated.append(("return", signature.return_annotation))
        for parameter, annotation in annotated:
            text = _annotation_text(annotation)
            if text and _has_loose_any(ast.parse(text, mode="eval").body):
                found.append((f"{path}:{parameter}", text))
    return found


def test_no_any_in_a_public_signature() -> None:
    new = [f"{key} ({text})" for key, text in _offenders() if key not in ALLOWED_TODAY]
    assert not new, "public signatures with a loose Any (type them):\n" + "\n".join(new)


def test_the_allowlist_only_holds_current_offenders() -> None:
    # When another branch types one of these, its entry must go, so the list only shrinks.
    current = {key for key, _ in _offenders()}
    stale = sorted(ALLOWED_TODAY - current)
    assert not stale, "no longer offend, delete from ALLOWED_TODAY:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("annotation", "loose"),
    [
        ("Any", True),
        ("Any | None", True),
        ("Optional[Any]", True),
        ("Sequence[Any]", True),
        ("pd.DataFrame | Sequence[Any]", True),
        ("typing.Any", True),
        ("dict[Any, int]", True),
        ("dict[str, Any]", False),
        ("Mapping[str, Any] | None", False),
        ("Sequence[FaultRule | str | dict[str, Any]]", False),
        ("list[dict[str, Any]]", False),
        ("dict[str, Sequence[Any]]", True),
        ("int", False),
    ],
)
def test_what_counts_as_a_loose_any(annotation: str, loose: bool) -> None:
    assert _has_loose_any(ast.parse(annotation, mode="eval").body) is loose
