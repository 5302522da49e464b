"""The speech-to-text check of one recording: transcribe locally, compare with the turns.

Later phases add ``check_session`` (fetching through the client) and ``check_cohort`` (many
sessions, optionally on a Dask cluster); both call :func:`check_recording` per session.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ._audio import AudioInput
from .compare import (
    DEFAULT_MARGIN_SEC,
    DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    DEFAULT_WER_THRESHOLD,
    TranscriptComparison,
    compare_transcript,
)
from .transcribe import Transcription, transcribe_recording

__all__ = ["CheckResult", "check_recording"]


@dataclass(frozen=True)
class CheckResult:
    """The check of one recording: the ``comparison`` frames and the local ``transcription``.

    Shortcuts: ``turns``, ``differences``, ``untranscribed`` (frames) and ``summary`` (dict:
    session WER, raw WER, counts, flags, plus the engine settings and ``session_id``).
    """

    session_id: str | None
    comparison: TranscriptComparison
    transcription: Transcription

    @property
    def turns(self) -> pd.DataFrame:
        return self.comparison.turns

    @property
    def differences(self) -> pd.DataFrame:
        return self.comparison.differences

    @property
    def untranscribed(self) -> pd.DataFrame:
        return self.comparison.untranscribed

    @property
    def summary(self) -> dict[str, Any]:
        return {"session_id": self.session_id, **self.comparison.summary,
                **self.transcription.settings.as_dict()}


def check_recording(
    recording: AudioInput,
    turns: pd.DataFrame | Sequence[Any],
    *,
    session_id: str | None = None,
    threshold: float = DEFAULT_WER_THRESHOLD,
    alignment: str = "auto",
    margin_sec: float = DEFAULT_MARGIN_SEC,
    min_untranscribed_words: int = DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    engine: str = "auto",
    model: str | os.PathLike[str] | None = None,
    compute_type: str = "int8",
    beam_size: int = 5,
    threads: int | None = None,
    channel: int | None = None,
    sample_rate: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> CheckResult:
    """Transcribe ``recording`` and compare it with the platform's ``turns``.

    Arguments as :func:`~zenhire_nb.stt.transcribe.transcribe_recording` (audio, engine,
    cache) and :func:`~zenhire_nb.stt.compare.compare_transcript` (threshold on normalised
    per-turn WER, alignment mode, time margin in seconds, minimum words of an untranscribed
    run). The turns are validated before any transcription starts. Every frame in the result
    carries the engine settings in ``attrs``. Raises as those two functions.
    """
    from .align import coerce_turns

    table = coerce_turns(turns)  # fail on bad turns before paying for a transcription
    transcription = transcribe_recording(
        recording, engine=engine, model=model, compute_type=compute_type, beam_size=beam_size,
        threads=threads, channel=channel, sample_rate=sample_rate, session_id=session_id,
        cache=cache, cache_dir=cache_dir,
    )
    comparison = compare_transcript(
        transcription.words, table, threshold=threshold, alignment=alignment,
        margin_sec=margin_sec, min_untranscribed_words=min_untranscribed_words,
    )
    for frame in (comparison.turns, comparison.differences, comparison.untranscribed,
                  comparison.words):
        frame.attrs.update(transcription.info, session_id=session_id)
    return CheckResult(session_id, comparison, transcription)
