"""Memoised cohort frames: an unchanged cohort is read back from one file instead of rebuilt.

Completed sessions never change, so re-running a notebook usually asks for exactly the cohort
built last time. After a load without failures its frames are pickled into
``<tenant folder>/frames/<key>.pickle``; the key is a SHA-256 over everything the frames are
built from:

- the frame format (``SCHEMA_VERSION``, this file's ``_FORMAT``, the package, pandas and numpy
  versions), the cache folder, ``recordings`` and the voice-activity settings;
- every session summary as listed, in order (a new session, a changed tag or metadata value
  gives another key);
- per completed session: its index stamp (presence flags, recording size, measured settings,
  time of the last index write) and the size and modification time of its transcript and
  recording files (a file replaced or deleted behind our back gives another key).

So a memo is used only when rebuilding would give the same frames; any doubt means a rebuild.
Writes are atomic (temporary file + rename): two kernels storing the same key write equal
frames and the last rename wins; a reader sees a whole file or none. Only the newest few memos
are kept. The files hold what the frames hold (no API key, no candidate link or token).

The cache folder is trusted like the user's own files: its pickles are loaded as written.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._cohort import Cohort, Damage, Failure, build_cohort, failures_frame
from zenhire_nb.frames._state import CachedState
from zenhire_nb.frames.cache import ResultsCache, write_atomically
from zenhire_nb.frames.schemas import SCHEMA_VERSION

__all__ = ["memo_key", "recall", "recall_or_build", "remember"]

_FORMAT = 1  # bump when what a memo holds changes
_KEEP = 4  # memos kept per tenant folder: a few cohorts (filter sets) re-loaded in turn
_FRAMES = ("sessions", "turns", "answers", "recordings", "summary")


def recall_or_build(
    cache: ResultsCache,
    selected: list[SessionSummary],
    completed: list[str],
    failures: list[Failure],
    states: Mapping[str, CachedState],
    *,
    recordings: bool,
    vad: str,
    damaged: list[Damage] | None = None,
) -> Cohort:
    """The frames memoised for exactly this cohort and cache state, else built and memoised.

    ``states`` must be the cache state of the ``completed`` sessions taken *before* building,
    so a file changed meanwhile can only make the stored key stale, never the frames under it.
    Read failures of the build are appended to ``failures`` (damaged cache files to
    ``damaged``, when given: see :func:`build_cohort`); such a cohort is not memoised.
    """
    key = memo_key(cache, selected, states, recordings=recordings, vad=vad)
    cohort = recall(cache, key)
    if cohort is None:
        cohort = build_cohort(
            cache, selected, completed, failures, recordings=recordings, vad=vad, damaged=damaged
        )
        if not failures and not damaged:
            remember(cache, key, cohort)
    return cohort


def memo_key(
    cache: ResultsCache,
    selected: Iterable[SessionSummary],
    states: Mapping[str, CachedState],
    *,
    recordings: bool,
    vad: str,
) -> str:
    """The key of the frames built from ``selected`` over the cache in ``states`` (hex)."""
    from zenhire_nb import __version__  # the builders' code is part of what a memo reflects

    digest = hashlib.sha256()
    header = (_FORMAT, SCHEMA_VERSION, __version__, pd.__version__, np.__version__)
    for part in (*header, cache.path, recordings, vad):
        digest.update(f"{part}\x1f".encode())
    for summary in selected:
        digest.update(summary.model_dump_json().encode())
        digest.update(b"\x1e")
    for session_id in sorted(states):
        digest.update(f"{session_id}{tuple(states[session_id])}\x1e".encode())
    return digest.hexdigest()


def recall(cache: ResultsCache, key: str) -> Cohort | None:
    """The memoised cohort of ``key``, or ``None`` when there is none (or it is unreadable).

    Side effects: none (a damaged memo is left for :func:`remember` to replace).
    """
    try:
        stored = pickle.loads(_path(cache, key).read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001
        # A memo is derived data: whatever made it unreadable (a newer pickle protocol, a
        # truncated copy, a pandas upgrade), rebuilding from the cache is always correct.
        return None
    if not _well_formed(stored):
        return None
    frames = {name: stored[name] for name in _FRAMES}
    return Cohort(
        **frames,
        failures=failures_frame([]),
        cache_dir=cache.path,
        transcript_paths=stored["transcript_paths"],
        recording_paths=stored["recording_paths"],
    )


def remember(cache: ResultsCache, key: str, cohort: Cohort) -> None:
    """Store ``cohort``'s frames under ``key`` (atomically) and drop all but the newest memos.

    A memo that cannot be written is skipped silently: the frames were built and returned, and
    the next load simply rebuilds them.
    """
    stored: dict[str, Any] = {name: getattr(cohort, name) for name in _FRAMES}
    stored["transcript_paths"] = cohort.transcript_paths
    stored["recording_paths"] = cohort.recording_paths
    path = _path(cache, key)
    with contextlib.suppress(OSError):
        path.parent.mkdir(exist_ok=True)
        write_atomically(path, pickle.dumps(stored, protocol=5), durable=False)
        _prune(path.parent)


def _path(cache: ResultsCache, key: str) -> Path:
    return cache.path / "frames" / f"{key[:40]}.pickle"


def _well_formed(stored: object) -> bool:
    return (
        isinstance(stored, dict)
        and all(isinstance(stored.get(name), pd.DataFrame) for name in _FRAMES)
        and isinstance(stored.get("transcript_paths"), dict)
        and isinstance(stored.get("recording_paths"), dict)
    )


def _prune(folder: Path) -> None:
    memos = []
    for path in folder.glob("*.pickle"):
        with contextlib.suppress(FileNotFoundError):  # another kernel may prune at once
            memos.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(memos, reverse=True)[_KEEP:]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
