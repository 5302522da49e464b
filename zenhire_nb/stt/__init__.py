"""Local speech-to-text check: transcribe recordings offline and measure where the platform's
transcript disagrees with them.

Engines (faster-whisper by default, openai-whisper too) are imported lazily: importing this
package needs neither. Typical use::

    from zenhire_nb.stt import check_recording
    result = check_recording("interview.wav", turns)      # turns: list of dicts or a frame
    result.turns[result.turns.flagged]                   # turns whose transcript looks wrong
    result.summary["wer"]
"""

from __future__ import annotations

from .check import CheckResult, check_recording
from .compare import (
    DEFAULT_LOGPROB_THRESHOLD,
    DEFAULT_MARGIN_SEC,
    DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    DEFAULT_WER_THRESHOLD,
    TranscriptComparison,
    compare_transcript,
)
from .engines import (
    Engine,
    EngineUnavailableError,
    ModelUnavailableError,
    Segment,
    Word,
    available_engines,
    default_cache_dir,
    load_engine,
    shared_engine,
)
from .normalize import NORMALIZER_NAME, normalize_text
from .settings import TranscriptionSettings
from .transcribe import Transcription, transcribe_recording
from .wer import word_error_rate

__all__ = [
    "DEFAULT_LOGPROB_THRESHOLD",
    "DEFAULT_MARGIN_SEC",
    "DEFAULT_MIN_UNTRANSCRIBED_WORDS",
    "DEFAULT_WER_THRESHOLD",
    "NORMALIZER_NAME",
    "CheckResult",
    "Engine",
    "EngineUnavailableError",
    "ModelUnavailableError",
    "Segment",
    "Transcription",
    "TranscriptComparison",
    "TranscriptionSettings",
    "Word",
    "available_engines",
    "check_recording",
    "compare_transcript",
    "default_cache_dir",
    "load_engine",
    "normalize_text",
    "shared_engine",
    "transcribe_recording",
    "word_error_rate",
]
