"""Candidate lists for a batch of sessions: one reference, a pasted list, or a CSV file.

A CSV has a column of candidate references (``candidate_ref``, ``candidate``, ``ref`` or
``id``; else the first column), an optional ``tags`` column (tags separated by ``;`` or ``|``)
and any other columns, which become the session's metadata (numbers stay numbers).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zenhire_nb.contract.limits import Limits

__all__ = ["Candidate", "CandidateList", "merge_candidates", "parse_csv", "parse_pasted"]

_REF_COLUMNS = ("candidate_ref", "candidate", "ref", "id")
_SPLIT = re.compile(r"[\n\r,;\t]+")


@dataclass(frozen=True)
class Candidate:
    """One candidate to invite: reference plus per-candidate metadata and tags."""

    ref: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CandidateList:
    """Candidates in order, each reference once; ``duplicates`` lists the repeats dropped."""

    candidates: tuple[Candidate, ...]
    duplicates: tuple[str, ...] = ()

    @property
    def refs(self) -> list[str]:
        return [c.ref for c in self.candidates]

    def __len__(self) -> int:
        return len(self.candidates)


def _checked_ref(ref: str, where: str) -> str:
    ref = ref.strip()
    if len(ref) > Limits.CANDIDATE_REF_MAX:
        raise ValueError(
            f"{where}: candidate reference {ref[:20]!r}... is longer than "
            f"{Limits.CANDIDATE_REF_MAX} characters (the platform would cut it)"
        )
    return ref


def parse_pasted(text: str) -> CandidateList:
    """References separated by new lines, commas, semicolons or tabs; blanks ignored."""
    refs = [_checked_ref(part, "pasted list") for part in _SPLIT.split(text or "")]
    return merge_candidates([Candidate(ref) for ref in refs if ref])


def parse_csv(data: bytes | str, *, filename: str = "the CSV file") -> CandidateList:
    """Candidates from CSV text or bytes (UTF-8, a header row first).

    Raises:
        ValueError: not UTF-8, no header, or a row without a reference (naming the file and row).
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(f"{filename} is not UTF-8 text ({error.reason})") from None
    reader = csv.DictReader(io.StringIO(data))
    header = [name.strip() for name in (reader.fieldnames or []) if name is not None]
    if not header:
        raise ValueError(f"{filename} has no header row (the first line names the columns)")
    ref_column = next((name for name in header if name.lower() in _REF_COLUMNS), header[0])
    candidates = []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        ref = _checked_ref(row.get(ref_column, ""), f"{filename} line {line}")
        if not ref:
            raise ValueError(f"{filename} line {line}: the {ref_column!r} column is empty")
        tags = tuple(t.strip() for t in re.split(r"[;|]", row.get("tags", "")) if t.strip())
        metadata = {
            key: _scalar(value)
            for key, value in row.items()
            if key not in (ref_column, "tags") and value != ""
        }
        candidates.append(Candidate(ref, metadata, tags))
    return merge_candidates(candidates)


def merge_candidates(candidates: Iterable[Candidate]) -> CandidateList:
    """Keep the first of each reference (so nobody is invited twice), note the repeats."""
    seen: dict[str, Candidate] = {}
    duplicates = []
    for candidate in candidates:
        if candidate.ref in seen:
            duplicates.append(candidate.ref)
        else:
            seen[candidate.ref] = candidate
    return CandidateList(tuple(seen.values()), tuple(dict.fromkeys(duplicates)))


def _scalar(value: str) -> str | int | float | bool:
    lowered = value.lower()
    if len(value) > 1 and value[0] == "0" and value[1] != ".":
        return value  # an id such as 00123 keeps its zeros
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value
