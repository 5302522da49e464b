"""The interface every speech-to-text engine implements, and the plain results it returns."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "Word",
    "Segment",
    "TextScore",
    "Engine",
    "ForcedScorer",
    "Mapper",
    "EngineUnavailableError",
    "ModelUnavailableError",
    "default_threads",
    "check_audio",
]


# ``map`` that returns a list: how an engine runs independent calls (serially, or over a
# thread pool of models, ``_faster``).
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


class EngineUnavailableError(ImportError):
    """The requested engine's package is not installed (the message says what to install)."""


class ModelUnavailableError(RuntimeError):
    """The model could not be loaded (e.g. a download by name on an offline machine)."""


@dataclass(frozen=True)
class Word:
    """One recognised word: ``start``/``end`` in seconds from the start of the audio,
    ``text`` as the engine wrote it (stripped), ``probability`` in [0, 1]."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One decoded segment (seconds) with its words."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    avg_logprob: float
    no_speech_prob: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TextScore:
    """A given text scored under audio (see ``_forced``): its whitespace ``words``, each word's
    natural-log probability (``word_logprobs``, <= 0) and the log-probability that the text
    ends there (``end_logprob``; NaN for an empty text)."""

    words: tuple[str, ...]
    word_logprobs: tuple[float, ...]
    end_logprob: float


@runtime_checkable
class ForcedScorer(Protocol):
    """An engine that scores given texts under audio (teacher-forced decoder pass): one
    :class:`TextScore` per ``(16 kHz mono float32 audio of at most 30 s, words)`` item."""

    def score_texts(self, items: Sequence[tuple[np.ndarray, Sequence[str]]]) -> list[TextScore]: ...


@runtime_checkable
class Engine(Protocol):
    """A loaded model that turns 16 kHz mono float32 audio into segments with word times.

    ``info`` holds the settings actually used: ``engine``, ``model``, ``model_source``,
    ``compute_type``, ``beam_size``, ``threads`` and the engine package ``version``.
    """

    @property
    def info(self) -> dict[str, Any]: ...

    def transcribe(self, audio: np.ndarray) -> list[Segment]: ...


def default_threads() -> int:
    """CPU threads an engine uses when none are given: the cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_audio(audio: np.ndarray) -> np.ndarray:
    """``audio`` as contiguous float32 1-D, or ``ValueError`` naming the problem."""
    array = np.ascontiguousarray(audio, dtype=np.float32)
    if array.ndim != 1:
        raise ValueError(f"engines take mono 16 kHz audio (1-D), got shape {array.shape}")
    return array
