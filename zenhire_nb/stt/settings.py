"""The settings a transcription ran with, recorded next to every result and used as cache key.

They are resolved without loading a model (engine choice, model path, thread count and the
engine package's version), so a cached result is found without paying for a model load.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ._engine_base import default_threads
from ._models import ResolvedModel, resolve_model

__all__ = ["TranscriptionSettings", "resolve_settings"]

_DISTRIBUTIONS = {"faster-whisper": "faster-whisper", "openai-whisper": "openai-whisper"}
# openai-whisper on a CPU computes in float32 whatever was asked.
_FIXED_COMPUTE_TYPE = {"openai-whisper": "float32"}
# Engines without the batched transcription (``_faster_batched``).
_SEQUENTIAL_ONLY = frozenset({"openai-whisper"})
# How our code drives the engine, by path: bump when a change alters what a path transcribes,
# so that results cached by earlier versions are not served (batched-2: chunks decode their
# tails again after an early stop and are not cut in their first 10 s).
_METHODS = {True: "batched-2", False: "sequential-1"}


@dataclass(frozen=True)
class TranscriptionSettings:
    """Engine settings of one transcription (as used, not merely as asked).

    ``model`` is a short label, ``model_path`` the local path or name, ``model_stamp`` the
    size and modification time of the local weights (so replaced weights miss the cache);
    ``batched``: chunked, batched transcription (faster-whisper only; openai-whisper always
    runs its own sequential one and records False); ``method``: the revision of that path.
    """

    engine: str
    model: str
    model_source: str
    model_path: str
    model_stamp: str
    compute_type: str
    beam_size: int
    threads: int
    engine_version: str
    batched: bool = False
    method: str = _METHODS[False]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def key(self) -> str:
        """A stable hex digest of every field, part of the results cache key."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _stamp(model: ResolvedModel) -> str:
    if not model.is_local:
        return ""
    path = Path(model.reference)
    weights = path / "model.bin" if path.is_dir() else path
    if not weights.is_file():
        return ""
    status = weights.stat()
    return f"{status.st_size}-{status.st_mtime_ns}"


def _version(engine: str) -> str:
    try:
        return importlib.metadata.version(_DISTRIBUTIONS[engine])
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def resolve_settings(
    engine: str,
    *,
    model: str | os.PathLike[str] | None,
    compute_type: str,
    beam_size: int,
    threads: int | None,
    batched: bool = False,
) -> TranscriptionSettings:
    """Settings for an engine name already resolved (``"faster-whisper"``/``"openai-whisper"``).

    Raises as :func:`~zenhire_nb.stt._models.resolve_model`.
    """
    resolved = resolve_model(model)
    batched = batched and engine not in _SEQUENTIAL_ONLY
    return TranscriptionSettings(
        engine=engine,
        model=resolved.label,
        model_source=resolved.source,
        model_path=resolved.reference,
        model_stamp=_stamp(resolved),
        compute_type=_FIXED_COMPUTE_TYPE.get(engine, compute_type),
        beam_size=beam_size,
        threads=threads or default_threads(),
        engine_version=_version(engine),
        batched=batched,
        method=_METHODS[batched],
    )
