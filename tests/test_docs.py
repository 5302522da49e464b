"""The contributor docs stay true of the code.

Every ``name(...)`` written in a fenced ``python`` block of ``docs/internals.md`` that names one
of our functions, classes or methods is compared with ``inspect.signature``: the parameter names
must match. A ``...`` in the written list means "and more": then the names written must exist,
but the code may have others. A failure names the doc line and the parameter, so whoever
changed a signature can fix the doc in a minute.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
INTERNALS = DOCS / "internals.md"

# Where a bare name written in the doc is looked up, in this order.
SEARCH_MODULES = [
    "zenhire_nb",
    "zenhire_nb.frames",
    "zenhire_nb.stt",
    "zenhire_nb.sandbox",
    "zenhire_nb.sandbox.simulation.interview",
    "zenhire_nb.sandbox.server",
]

_CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\(")


@dataclass(frozen=True)
class DocSignature:
    line: int  # 1-based line of the name in the doc
    name: str  # as written, e.g. "client.sessions.list"
    parameters: tuple[str, ...]  # "name", "*name", "**name"; "*" and "/" markers dropped
    open_ended: bool  # the list holds "...": the code may have more

    def where(self) -> str:
        return f"docs/internals.md:{self.line}: `{self.name}(...)`"


def _strip_comment(line: str) -> str:
    """The line without its ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def python_blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines without comments) of every fenced python block."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```python":
            start = index + 1
            index = start
            while index < len(lines) and lines[index].strip() != "```":
                index += 1
            yield start + 1, [_strip_comment(line) for line in lines[start:index]]
        index += 1


def _split_top_level(text: str) -> list[str]:
    parts, depth, current, quote = [], 0, [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0 and not quote:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _parameters(text: str) -> tuple[tuple[str, ...], bool]:
    names, open_ended = [], False
    for item in _split_top_level(text):
        if item == "...":
            open_ended = True
        elif item in {"*", "/"}:
            continue
        else:
            match = re.match(r"(\*{0,2}[A-Za-z_]\w*)", item)
            if match:
                names.append(match.group(1))
    return tuple(names), open_ended


def doc_signatures(text: str) -> list[DocSignature]:
    """Every top-level ``name(...)`` of the python blocks (calls inside the parentheses, such as
    a default value, are not signatures of their own)."""
    found = []
    for first_line, lines in python_blocks(text):
        block = "\n".join(lines)
        position = 0
        while match := _CALL.search(block, position):
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(block)):
                depth += {"(": 1, ")": -1}.get(block[end], 0)
                if depth == 0:
                    break
            inside = block[match.end() : end]
            names, open_ended = _parameters(inside)
            line = first_line + block.count("\n", 0, match.start())
            found.append(DocSignature(line, match.group(1), names, open_ended))
            position = end + 1
    return found


def _instance_aliases() -> dict[str, object]:
    """The objects the doc's examples call by their variable names."""
    from zenhire_nb import Client
    from zenhire_nb.sandbox import Sandbox, SandboxAdmin

    # A client makes no request until asked; its resource objects are what ``client.x`` is.
    with Client(api_key="zh_api_docs_check", base_url="http://127.0.0.1:9") as client:
        personas, sessions = type(client.personas), type(client.sessions)
    return {
        "client": Client,
        "client.personas": personas,
        "client.sessions": sessions,
        "sb": Sandbox,
        "sb.admin": SandboxAdmin,
    }


def _resolve_dotted(name: str) -> object | None:
    """``zenhire_nb.stt._worker.check_file``: import the longest module prefix, then getattr."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute, None)
        return target
    return None


def resolve(name: str, aliases: dict[str, object]) -> tuple[bool, object | None]:
    """(whether the name is ours, the object or None). A name that is not ours is skipped; one
    of ours that cannot be found is itself a drift."""
    head, _, attribute = name.rpartition(".")
    if head in aliases:
        return True, getattr(aliases[head], attribute, None)
    if name.split(".")[0] in {alias.split(".")[0] for alias in aliases}:
        return True, None  # e.g. "sb.gone": the alias is ours, the attribute is not
    if name.startswith("zenhire_nb."):
        return True, _resolve_dotted(name)
    if "." not in name:
        for module_name in SEARCH_MODULES:
            module: ModuleType = importlib.import_module(module_name)
            if hasattr(module, name):
                return True, getattr(module, name)
    return False, None


def code_parameters(target: object) -> tuple[str, ...]:
    if isinstance(target, property):
        raise TypeError("a property is not called")
    function: Callable[..., Any] = target  # type: ignore[assignment]
    parameters = list(inspect.signature(function).parameters.values())
    if inspect.isfunction(target) and parameters and parameters[0].name in {"self", "cls"}:
        parameters = parameters[1:]  # a method read from its class
    prefix = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return tuple(prefix.get(p.kind, "") + p.name for p in parameters)


def drifts(text: str) -> list[str]:
    aliases = _instance_aliases()
    problems = []
    for signature in doc_signatures(text):
        ours, target = resolve(signature.name, aliases)
        if not ours:
            continue
        if target is None:
            problems.append(f"{signature.where()}: no such function, class or method")
            continue
        try:
            actual = code_parameters(target)
        except (TypeError, ValueError) as error:
            problems.append(f"{signature.where()}: not callable with a signature ({error})")
            continue
        written = signature.parameters
        # Keyword shortcuts (``**options`` resolved into a settings object or a query) may be
        # written out one by one in the doc.
        takes_keywords = any(name.startswith("**") for name in actual)
        for name in written:
            if name not in actual and not (takes_keywords and not name.startswith("*")):
                problems.append(
                    f"{signature.where()}: parameter `{name}` is in the doc but not in the "
                    f"code (code: {', '.join(actual) or 'no parameters'})"
                )
        if not signature.open_ended:
            for name in actual:
                if name not in written and not name.startswith("**"):
                    problems.append(
                        f"{signature.where()}: parameter `{name}` is in the code but not in the "
                        "doc (add it, or write `...` where the list is partial)"
                    )
    return problems


def test_internals_signatures_match_the_code() -> None:
    problems = drifts(INTERNALS.read_text(encoding="utf-8"))
    assert not problems, "docs/internals.md drifted from the code:\n" + "\n".join(problems)


def test_internals_checks_the_signatures_that_move() -> None:
    # These are the signatures other branches are changing: if the doc stops writing them in a
    # python block, the test above would no longer watch them.
    written = {signature.name for signature in doc_signatures(INTERNALS.read_text("utf-8"))}
    for name in ("load_cohort", "check_cohort", "check_recording", "Sandbox", "Client"):
        assert name in written, f"docs/internals.md no longer shows `{name}(...)` in a block"


def test_drift_is_reported_with_the_line_and_the_parameter() -> None:
    doc = "\n".join(
        [
            "Intro.",
            "```python",
            "read_wav(source, *, colour=None, ...)   # note (a, b)",
            "read_wav_info(source, *, session_id=None)",
            "print(len(x))",
            "sb.no_such_method(x)",
            "```",
        ]
    )
    problems = drifts(doc)
    assert problems[0].startswith("docs/internals.md:3: `read_wav(...)`: parameter `colour`")
    assert any(p.startswith("docs/internals.md:4:") and "`max_bytes`" in p for p in problems)
    assert any(p.startswith("docs/internals.md:6:") and "no such" in p for p in problems)
    assert len(problems) == 3, problems


@pytest.mark.parametrize(
    ("text", "names", "open_ended"),
    [
        ("a, *, b=1, c='x, y'", ("a", "b", "c"), False),
        ("n, **options", ("n", "**options"), False),
        ("x, f=g(1, 2), ...", ("x", "f"), True),
        ("", (), False),
    ],
)
def test_parameter_lists_are_read(text: str, names: tuple[str, ...], open_ended: bool) -> None:
    assert _parameters(text) == (names, open_ended)


def test_contract_sections_cited_in_code_exist() -> None:
    # Code cites "docs/contract.md §N"; every cited section must be a heading of the page.
    contract = (DOCS / "contract.md").read_text(encoding="utf-8")
    headings = {
        heading.rstrip(".")
        for heading in re.findall(r"^#{2,3} (§[\d.]+)", contract, flags=re.MULTILINE)
    }
    root = DOCS.parent
    cited = {}
    for path in [*root.glob("zenhire_nb/**/*.py"), *root.glob("tests/**/*.py"), root / "README.md"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for section in re.findall(r"contract\.md`{0,2} (§[\d.]+(?:-§[\d.]+)?)", line):
                for single in section.split("-"):
                    cited.setdefault(single.rstrip("."), f"{path.relative_to(root)}:{number}")
    missing = {section: where for section, where in cited.items() if section not in headings}
    assert cited, "no code cites docs/contract.md any more?"
    assert not missing, f"cited sections that docs/contract.md does not have: {missing}"
