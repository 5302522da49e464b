"""Question banks: what the simulated interviewer asks for a role, and what candidates draw on.

Banks ship as JSON in the package (``banks/<name>.json``): ``role``, ``aliases`` (role names
that pick this bank), ``opening`` and ``closing`` lines (``{role}`` is replaced by the persona's
role name), ``questions`` (each ``{"text", "follow_ups": [...]}``), answer ``phrases`` by part of
an answer (``context``, ``action``, ``result``, ``reflection``; templates with ``{slot}``
placeholders) and ``slots`` (the words that fill them). ``generic.json`` serves unknown roles.

Role names match loosely: case, punctuation and seniority words ("Senior", "Lead", "II") are
ignored, and a bank is chosen when all words of one of its aliases occur in the role name
(the longest such alias wins, so "Senior Data Analyst" beats a bare "analyst").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Question", "QuestionBank", "available_banks", "load_bank"]

_GENERIC = "generic"
_IGNORED_WORDS = frozenset(
    [
        "senior",
        "junior",
        "lead",
        "principal",
        "staff",
        "head",
        "sr",
        "jr",
        "i",
        "ii",
        "iii",
        "iv",
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "at",
        "in",
        "remote",
        "intern",
        "trainee",
        "associate",
    ]
)
_PHRASE_PARTS = ("context", "action", "result", "reflection")


@dataclass(frozen=True)
class Question:
    """A main question and the follow-ups the interviewer may ask after the answer."""

    text: str
    follow_ups: tuple[str, ...]


@dataclass(frozen=True)
class QuestionBank:
    """One role's script material; see the module docstring for the JSON layout."""

    name: str
    role: str
    aliases: tuple[str, ...]
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    questions: tuple[Question, ...]
    phrases: dict[str, tuple[str, ...]]
    slots: dict[str, tuple[str, ...]]


def available_banks() -> list[str]:
    """Names of the shipped banks (file stems), ``"generic"`` included, sorted."""
    folder = resources.files(__package__).joinpath("banks")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_bank(role_name: str) -> QuestionBank:
    """The bank for a persona's free-text ``role_name``; the generic bank if none matches.

    Raises:
        ValueError: a shipped bank file is malformed (names the file and the problem).
    """
    words = _words(role_name)
    best, best_size = _GENERIC, 0
    for name in available_banks():
        for alias in _read_bank(name).aliases:
            alias_words = _words(alias)
            if alias_words and alias_words <= words and len(alias_words) > best_size:
                best, best_size = name, len(alias_words)
    return _read_bank(best)


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower())) - _IGNORED_WORDS


@cache
def _read_bank(name: str) -> QuestionBank:
    """Parse and validate ``banks/<name>.json`` (cached: banks are immutable package data)."""
    path = f"banks/{name}.json"
    try:
        raw = json.loads(resources.files(__package__).joinpath(path).read_text("utf-8"))
        bank = QuestionBank(
            name=name,
            role=str(raw["role"]),
            aliases=tuple(raw["aliases"]),
            opening=tuple(raw["opening"]),
            closing=tuple(raw["closing"]),
            questions=tuple(
                Question(str(q["text"]), tuple(q.get("follow_ups", ()))) for q in raw["questions"]
            ),
            phrases={part: tuple(raw["phrases"][part]) for part in _PHRASE_PARTS},
            slots={key: tuple(values) for key, values in raw.get("slots", {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"question bank {path} is malformed: {type(exc).__name__}: {exc}") from exc
    if not (bank.opening and bank.closing and bank.questions):
        raise ValueError(f"question bank {path} needs opening, closing and questions")
    return bank
