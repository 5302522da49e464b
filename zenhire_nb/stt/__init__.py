"""Local speech-to-text check: transcribe recordings offline and measure where the platform's
transcript disagrees with them.

Engines (faster-whisper by default, openai-whisper too) are imported lazily: importing this
package needs neither. Typical use::

    from zenhire_nb.stt import check_recording, check_session, check_cohort
    result = check_recording("interview.wav", turns)      # turns: list of dicts or a frame
    result = check_recording("interview.wav", turns, settings=CheckSettings(beam_size=1))
    result.turns[result.turns.flagged]                   # turns whose transcript looks wrong
    result.summary["wer"]
    result = check_session(client, "ses_123")            # through the frames cache
    checked = check_cohort(client, CohortQuery(persona_id="p_1"))   # a CohortCheck
    checked = check_cohort(client, persona_id="p_1", threads=1)     # keyword shortcuts
    checked.sessions, checked.turns, checked.differences, checked.failures

Flag rule (:mod:`zenhire_nb.stt.compare`). By default each turn's own text is scored under its
audio (forced scoring, faster-whisper and openai-whisper alike): a turn is flagged when its
weakest word or its ending has a natural-log probability below ``DEFAULT_LOGPROB_THRESHOLD``
(-6.0). Measured against the sandbox's injected mistakes: recall 93-96%, false flags 0-7%
(plain WER: 71-77% / 20-29%). With ``forced=False`` the plain rule applies: turn WER on
normalised text above ``DEFAULT_WER_THRESHOLD`` (0.10). The ``flag_rule`` column says which
rule flagged each turn; ``flagged_wer`` always holds the plain rule.

Speed: by default faster-whisper transcribes the recording in chunks cut at pauses, decoded in
batches (``CheckSettings(batched=True)``, ``_faster_batched``); ``batched=False`` selects its
sequential 30 s windows, the slower path of earlier versions.

Many recordings on a Dask cluster: pass a ``distributed.Client`` as the executor; each session
is one task, each worker process loads the model once (``shared_engine``)::

    from distributed import Client as DaskClient, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, \
            DaskClient(cluster) as dask:
        checked = check_cohort(client, executor=dask, threads=1, persona_id="p_1")

Any ``concurrent.futures`` executor works the same way. Results are cached per session,
settings, audio and turns, so a re-run reads files and calls no engine.
"""

from __future__ import annotations

from .check import CheckResult, check_recording
from .check_settings import CheckSettings
from .cohort import (
    CohortCheck,
    CohortCheckWarning,
    SessionCheckError,
    check_cohort,
    check_session,
)
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
    engine_stats,
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
    "CheckSettings",
    "CohortCheck",
    "CohortCheckWarning",
    "Engine",
    "EngineUnavailableError",
    "ModelUnavailableError",
    "Segment",
    "SessionCheckError",
    "Transcription",
    "TranscriptComparison",
    "TranscriptionSettings",
    "Word",
    "available_engines",
    "check_cohort",
    "check_recording",
    "check_session",
    "compare_transcript",
    "default_cache_dir",
    "engine_stats",
    "load_engine",
    "normalize_text",
    "shared_engine",
    "transcribe_recording",
    "word_error_rate",
]
