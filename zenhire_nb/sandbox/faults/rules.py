"""Fault injection for the sandbox's contract routes: errors, latency, drops, cut bodies.

A :class:`FaultRule` names the requests it applies to and what may happen to each of them:

``429``, ``500``, ``503``
    probability (0..1) of answering that status instead of running the route, with the
    contract's error envelope (``RATE_LIMIT_EXCEEDED``, ``INTERNAL_ERROR``,
    ``SERVICE_UNAVAILABLE``); 429 and 503 carry ``Retry-After`` and ``error.retryAfterSeconds``
    = ``retry_after`` (whole seconds, default 1).
``drop``
    probability of closing the connection without any response (the client sees a
    connection error; for a POST it cannot know whether the request took effect).
``truncate``
    probability of cutting a successful response short: the headers announce the full
    ``Content-Length``, then only ``truncate_at`` (share 0..1, default 0.5) of the body is
    sent and the connection is closed (a recording cut short).
``latency_ms``, ``jitter_ms``
    milliseconds added before the request is handled: ``latency_ms`` plus a uniform draw in
    ``[0, jitter_ms]``.

The four probabilities of one rule must add up to at most 1; at most one fault happens per
request. ``route`` selects requests:

- ``"*"``: every contract route (``/api/...``);
- ``"GET /api/v1/interview/sessions/*/recording"``: a method and a path pattern, where ``*``
  matches one path segment and ``**`` any number of segments; without a method (just the
  path) any method matches;
- ``"get_recording"``: a contract route by name (:data:`CONTRACT_ROUTES`: ``health``,
  ``credits``, ``create_persona``, ``list_personas``, ``get_persona``, ``create_session``,
  ``list_sessions``, ``get_session``, ``get_recording``, ``get_transcript``).

Faults never apply to the ``/sandbox`` admin namespace or the candidate page. Every rule that
matches a request applies its latency; the first matching rule (in order) that draws a fault
decides the fault.

Text form (CLI ``--fault``): ``"<route>:<key>=<value>[,<key>=<value>...]"``, e.g.
``"GET /api/v1/interview/sessions/*/recording:truncate=0.5"``, ``"*:latency_ms=50,jitter_ms=20"``,
``"create_session:drop=1"``. JSON form: ``{"route": "...", "429": 0.2, "retry_after": 2}``; a
file holds a list of those (objects or strings) or ``{"seed": 1, "rules": [...]}``.

Determinism: each rule owns a ``random.Random`` seeded from the injector's seed and the rule's
position, and consumes exactly two draws per matching request (fault, jitter) in request order,
so a seeded run with the same request sequence injects the same faults.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CONTRACT_ROUTES",
    "FAULT_KINDS",
    "FaultDecision",
    "FaultInjector",
    "FaultRule",
    "load_faults_file",
    "parse_fault",
    "parse_faults",
]

FAULT_KINDS = ("429", "500", "503", "drop", "truncate")
_NUMBER_KEYS = ("latency_ms", "jitter_ms", "truncate_at")
_ROUTE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_METHOD = re.compile(r"^[A-Z]+$")
_INTERVIEW = "/api/v1/interview"
# The contract's routes by name (the sandbox's handler names), for rules that name a route.
CONTRACT_ROUTES = {
    "health": "GET /api/v1/health",
    "credits": "GET /api/v1/credits",
    "create_persona": f"POST {_INTERVIEW}/personas",
    "list_personas": f"GET {_INTERVIEW}/personas",
    "get_persona": f"GET {_INTERVIEW}/personas/*",
    "create_session": f"POST {_INTERVIEW}/personas/*/sessions",
    "list_sessions": f"GET {_INTERVIEW}/sessions",
    "get_session": f"GET {_INTERVIEW}/sessions/*",
    "get_recording": f"GET {_INTERVIEW}/sessions/*/recording",
    "get_transcript": f"GET {_INTERVIEW}/sessions/*/transcript",
}


@dataclass(frozen=True)
class FaultRule:
    """One rule (see the module docstring). Raises ``ValueError`` naming the bad field."""

    route: str = "*"
    probabilities: Mapping[str, float] = field(default_factory=dict)
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    retry_after: int = 1
    truncate_at: float = 0.5

    def __post_init__(self) -> None:
        _check_route(self.route)
        for kind, value in self.probabilities.items():
            if kind not in FAULT_KINDS:
                raise ValueError(
                    f"fault rule {self.route!r}: unknown fault {kind!r}; "
                    f"expected one of {FAULT_KINDS}"
                )
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault rule {self.route!r}: {kind} must be within 0..1")
        if sum(self.probabilities.values()) > 1.0 + 1e-9:
            raise ValueError(f"fault rule {self.route!r}: probabilities add up to more than 1")
        if self.latency_ms < 0 or self.jitter_ms < 0:
            raise ValueError(f"fault rule {self.route!r}: latency_ms/jitter_ms must be >= 0")
        if self.retry_after < 0:
            raise ValueError(f"fault rule {self.route!r}: retry_after must be >= 0")
        if not 0.0 <= self.truncate_at < 1.0:
            raise ValueError(f"fault rule {self.route!r}: truncate_at must be within [0, 1)")
        # One canonical form (every kind present), so equal rules compare equal.
        full = {kind: float(self.probabilities.get(kind, 0.0)) for kind in FAULT_KINDS}
        object.__setattr__(self, "probabilities", full)

    def probability(self, kind: str) -> float:
        return float(self.probabilities.get(kind, 0.0))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what ``GET /sandbox/faults`` shows)."""
        return {
            "route": self.route,
            **{k: self.probability(k) for k in FAULT_KINDS},
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "retry_after": self.retry_after,
            "truncate_at": self.truncate_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultRule:
        """A rule from its JSON form. Raises ``ValueError`` for unknown keys or bad values."""
        unknown = sorted(set(data) - {"route", "retry_after", *FAULT_KINDS, *_NUMBER_KEYS})
        if unknown:
            raise ValueError(f"fault rule: unknown key(s) {', '.join(map(repr, unknown))}")
        try:
            numbers = {k: float(data[k]) for k in (*FAULT_KINDS, *_NUMBER_KEYS) if k in data}
            retry_after = int(data.get("retry_after", 1))
        except (TypeError, ValueError):
            raise ValueError(f"fault rule {data.get('route')!r}: values must be numbers") from None
        return cls(
            route=str(data.get("route", "*")),
            probabilities={k: numbers[k] for k in FAULT_KINDS if k in numbers},
            latency_ms=numbers.get("latency_ms", 0.0),
            jitter_ms=numbers.get("jitter_ms", 0.0),
            retry_after=retry_after,
            truncate_at=numbers.get("truncate_at", 0.5),
        )

    def matcher(self) -> Callable[[str, str], bool]:
        """``match(method, path)``: does this rule apply to the request?"""
        if self.route == "*":
            return lambda method, path: True
        method, _, pattern = CONTRACT_ROUTES.get(self.route, self.route).rpartition(" ")
        regex = _path_regex(pattern)
        return lambda m, path: (not method or m == method) and bool(regex.match(path))


def _check_route(route: str) -> None:
    if route == "*":
        return
    if _ROUTE_NAME.match(route):
        if route not in CONTRACT_ROUTES:
            raise ValueError(
                f"fault rule route {route!r}: unknown route name; expected one of "
                f"{', '.join(CONTRACT_ROUTES)}"
            )
        return
    method, _, pattern = route.rpartition(" ")
    if (method and not _METHOD.match(method)) or not pattern.startswith("/"):
        raise ValueError(
            f"fault rule route {route!r}: expected '*', a route name, or '[METHOD] /path/pattern'"
        )


def _path_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for piece in re.split(r"(\*\*|\*)", pattern):
        parts.append({"**": ".*", "*": "[^/]+"}.get(piece, re.escape(piece)))
    return re.compile("^" + "".join(parts) + "/?$")


def parse_fault(text: str) -> FaultRule:
    """A rule from its text form ``"<route>:<key>=<value>,..."``. Raises ``ValueError``
    quoting the text when it cannot be read."""
    route, sep, settings = text.rpartition(":")
    if not sep or not route.strip():
        raise ValueError(f"fault {text!r}: expected '<route>:<key>=<value>[,...]'")
    data: dict[str, Any] = {"route": route.strip()}
    for item in filter(None, (piece.strip() for piece in settings.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise ValueError(f"fault {text!r}: {item!r} is not <key>=<value>")
        data[key.strip()] = value.strip()
    try:
        return FaultRule.from_dict(data)
    except ValueError as exc:
        raise ValueError(f"fault {text!r}: {exc}") from None


def parse_faults(items: Iterable[FaultRule | str | Mapping[str, Any]]) -> list[FaultRule]:
    """Rules from a mix of :class:`FaultRule`, text forms and JSON forms."""
    rules = []
    for item in items:
        if isinstance(item, FaultRule):
            rules.append(item)
        elif isinstance(item, str):
            rules.append(parse_fault(item))
        elif isinstance(item, Mapping):
            rules.append(FaultRule.from_dict(item))
        else:
            raise ValueError(f"fault rule: expected a FaultRule, text or object, got {item!r}")
    return rules


def load_faults_file(path: str | Path) -> tuple[list[FaultRule], int | None]:
    """``(rules, seed)`` from a JSON file: a list of rules, or ``{"seed": .., "rules": [..]}``.

    Raises ``ValueError`` naming the file for unreadable JSON or bad rules.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"faults file {str(path)!r}: {exc}") from None
    seed = None
    if isinstance(data, dict):
        seed, data = data.get("seed"), data.get("rules", [])
    if not isinstance(data, list):
        raise ValueError(f"faults file {str(path)!r}: expected a list of rules")
    try:
        return parse_faults(data), None if seed is None else int(seed)
    except ValueError as exc:
        raise ValueError(f"faults file {str(path)!r}: {exc}") from None


@dataclass(frozen=True)
class FaultDecision:
    """What to do with one request: wait ``latency_sec``, then ``fault`` (None: serve it)."""

    latency_sec: float = 0.0
    fault: str | None = None
    rule: FaultRule | None = None


class FaultInjector:
    """The live rule set of one sandbox, shared by the ASGI layer and the admin routes.

    Thread-safe: decisions and reconfiguration are serialised by one lock, so the per-rule
    random streams are consumed in the order requests arrive.
    """

    def __init__(
        self, rules: Iterable[FaultRule | str | Mapping[str, Any]] = (), seed: int | None = None
    ) -> None:
        self._lock = threading.Lock()
        self.configure(rules, seed)

    def configure(
        self, rules: Iterable[FaultRule | str | Mapping[str, Any]], seed: int | None = None
    ) -> None:
        """Replace the rules (and restart their random streams from ``seed``).

        ``seed`` None draws fresh randomness (not reproducible). Raises ``ValueError`` for a
        bad rule, leaving the previous rules in place.
        """
        parsed = parse_faults(rules)
        with self._lock:
            self.seed = seed
            self._rules = parsed
            self._matchers = [rule.matcher() for rule in parsed]
            self._rngs = [
                random.Random(f"zenhire-faults:{seed}:{i}") if seed is not None else random.Random()
                for i in range(len(parsed))
            ]
            self._counts = [Counter[str]() for _ in parsed]

    @property
    def rules(self) -> list[FaultRule]:
        return list(self._rules)

    def decide(self, method: str, path: str) -> FaultDecision:
        """Draw the fate of one request (consumes the matching rules' random streams)."""
        latency, fault, chosen = 0.0, None, None
        with self._lock:
            for index, rule in enumerate(self._rules):
                if not self._matchers[index](method, path):
                    continue
                draw, jitter = self._rngs[index].random(), self._rngs[index].random()
                latency += (rule.latency_ms + jitter * rule.jitter_ms) / 1000.0
                kind = _pick(rule, draw)
                self._counts[index]["requests"] += 1
                if kind is not None and fault is None:
                    fault, chosen = kind, rule
                    self._counts[index][kind] += 1
        return FaultDecision(latency, fault, chosen)

    def snapshot(self) -> dict[str, Any]:
        """``{"seed", "rules": [...], "injected": [{"requests": n, "<fault>": n}, ...]}``."""
        with self._lock:
            return {
                "seed": self.seed,
                "rules": [rule.to_dict() for rule in self._rules],
                "injected": [dict(counts) for counts in self._counts],
            }


def _pick(rule: FaultRule, draw: float) -> str | None:
    edge = 0.0
    for kind in FAULT_KINDS:
        edge += rule.probability(kind)
        if draw < edge:
            return kind
    return None
