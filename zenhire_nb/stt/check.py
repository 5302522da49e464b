"""The speech-to-text check of one recording: transcribe locally, score the platform's text
under the audio (forced scoring), compare, flag.

Flag rule: with ``forced=True`` (the default), with faster-whisper or openai-whisper, a turn
is flagged when the weakest of its own words, or its ending, scores below ``logprob_threshold``
(natural log, default ``DEFAULT_LOGPROB_THRESHOLD`` = -6.0; measured recall 93-96%, false flags
0-7% on the sandbox's injected mistakes, see :mod:`zenhire_nb.stt.compare`). With
``forced=False`` (or an engine without forced scoring) turns are flagged by the plain rule:
normalised turn WER above ``threshold`` (``DEFAULT_WER_THRESHOLD`` = 0.10). ``flag_rule`` says
which applied.

:func:`~zenhire_nb.stt.cohort.check_session` and :func:`~zenhire_nb.stt.cohort.check_cohort`
call :func:`check_recording` per session, through the frames cache; ``check_cohort(client,
executor=distributed.Client(cluster), threads=1)`` spreads the sessions over a Dask cluster
(one task per session, the model loaded once per worker process).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._audio import AudioInput, PreparedAudio, prepare_audio
from ._cache import ScoreCache
from ._engine_base import ForcedScorer
from ._scoring import SCORE_COLUMNS, score_turns
from .align import coerce_turns, turns_have_times
from .check_settings import CheckKeywords, CheckSettings, settings_from_keywords
from .compare import TranscriptComparison, _assign_words, _compare_assigned
from .engines import default_cache_dir, shared_engine
from .settings import TranscriptionSettings
from .transcribe import Transcription, transcribe_prepared

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CheckResult", "check_recording"]

# Bump when forced scoring changes in a way that changes its numbers (part of the cache key).
SCORING_VERSION = 2  # 2: windows padded with the features of silence, not zeros


@dataclass(frozen=True)
class CheckResult:
    """The check of one recording: the ``comparison`` frames, the local ``transcription`` and
    the forced ``scores`` (``_scoring.SCORE_COLUMNS``; None when not computed).

    Shortcuts: ``turns``, ``differences``, ``untranscribed`` (frames) and ``summary`` (dict:
    session WER, raw WER, counts, flags, plus the engine settings and ``session_id``).
    """

    session_id: str | None
    comparison: TranscriptComparison
    transcription: Transcription
    scores: pd.DataFrame | None = None

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
        return {
            "session_id": self.session_id,
            **self.comparison.summary,
            **self.transcription.settings.as_dict(),
        }


def _scores_key(
    settings: TranscriptionSettings,
    audio: PreparedAudio,
    table: pd.DataFrame,
    margin_sec: float,
    mode: str,
) -> str:
    document = {
        "version": SCORING_VERSION,
        "settings": settings.key(),
        "audio": audio.digest,
        "turns": table.to_json(orient="values"),
        "margin": margin_sec,
        "mode": mode,
    }
    text = json.dumps(document, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _forced_scores(
    audio: PreparedAudio,
    settings: TranscriptionSettings,
    table: pd.DataFrame,
    words: pd.DataFrame,
    mode: str,
    *,
    margin_sec: float,
    root: Path,
    cache: bool,
    session_id: str | None,
) -> pd.DataFrame | None:
    """Forced scores of the turns, from the cache or the engine; None if it cannot score.

    ``words``: the local words with their ``turn_index``; ``mode``: the alignment used."""
    store = ScoreCache(root)
    entry = store.path(session_id, _scores_key(settings, audio, table, margin_sec, mode))
    cached = store.load(entry) if cache else None
    if cached is not None:
        return pd.DataFrame(cached, columns=SCORE_COLUMNS).astype(
            {
                "turn_index": "int64",
                "position": "int64",
                "word": "object",
                "logprob": "float64",
                "is_end": "bool",
            }
        )
    engine = shared_engine(settings, cache_dir=root)
    if not isinstance(engine, ForcedScorer):
        return None
    scores = score_turns(
        engine,
        audio.samples,
        table,
        words,
        words["turn_index"].to_numpy(),
        timed=mode == "time",
        margin_sec=margin_sec,
    )
    if cache:
        store.store(entry, scores.to_dict("records"))
    return scores


def check_recording(
    recording: AudioInput,
    turns: pd.DataFrame | Sequence[Any],
    *,
    settings: CheckSettings | None = None,
    session_id: str | None = None,
    sample_rate: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    **shortcuts: Unpack[CheckKeywords],
) -> CheckResult:
    """Transcribe ``recording``, score the platform's ``turns`` under it, compare and flag.

    ``settings``: a :class:`~zenhire_nb.stt.CheckSettings` (default: the defaults); keyword
    ``shortcuts`` (``beam_size=1``, ``forced=False``, ...) override its fields. With
    ``forced`` every turn's own text is scored under its audio and flagged by
    ``logprob_threshold`` (natural log; rule and measurements in
    :mod:`zenhire_nb.stt.compare`); otherwise, or with an engine without forced scoring,
    by ``threshold`` on normalised turn WER. ``recording``, ``sample_rate``, ``session_id``:
    as :func:`~zenhire_nb.stt.transcribe.transcribe_recording`. The settings and turns are
    validated before any transcription starts. Transcription and scores are cached under
    ``cache_dir`` per session, settings, audio content and turns (``cache``: reuse/store),
    so a re-run costs a file read. Every frame in the result carries the engine settings in
    ``attrs``.

    Raises:
        TypeError: an unknown keyword, or a value of the wrong kind (naming it).
        ValueError: bad settings or turns (naming the field); ``alignment="time"`` for turns
            without times.
        EngineUnavailableError, ModelUnavailableError, audio errors: as
            ``transcribe_recording``.
    """
    settings = settings_from_keywords(settings, shortcuts, where="check_recording")
    table = coerce_turns(turns)  # fail on bad turns before paying for a transcription
    if settings.alignment == "time" and not turns_have_times(table):
        raise ValueError("alignment='time' needs start and end times on every turn")
    resolved = settings.transcription()
    audio = prepare_audio(
        recording, sample_rate=sample_rate, channel=settings.channel, session_id=session_id
    )
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    transcription = transcribe_prepared(
        audio, resolved, session_id=session_id, cache=cache, root=root
    )
    margin_sec = settings.margin_sec
    mode, words = _assign_words(transcription.words, table, settings.alignment, margin_sec)
    scores = None
    if settings.forced:
        scores = _forced_scores(
            audio,
            resolved,
            table,
            words,
            mode,
            margin_sec=margin_sec,
            root=root,
            cache=cache,
            session_id=session_id,
        )
    # One comparison, with the scores when there are any: the words are assigned to turns once.
    comparison = _compare_assigned(
        words,
        table,
        mode,
        threshold=settings.threshold,
        min_untranscribed_words=settings.min_untranscribed_words,
        scores=scores,
        logprob_threshold=settings.logprob_threshold,
    )
    for frame in (
        comparison.turns,
        comparison.differences,
        comparison.untranscribed,
        comparison.words,
    ):
        frame.attrs.update(transcription.info, session_id=session_id)
    return CheckResult(session_id, comparison, transcription, scores)
