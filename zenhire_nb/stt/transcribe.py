"""Transcribe one recording into words and segments frames, cached per session and settings.

Word frame columns: ``start_sec``, ``end_sec`` (float, seconds from the start of the audio),
``word`` (str, as recognised), ``probability`` (float in [0, 1]), ``segment_index`` (int).
Segment frame columns: ``segment_index``, ``start_sec``, ``end_sec``, ``text``,
``avg_logprob``, ``no_speech_prob``. Both carry the settings and audio summary in ``attrs``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._audio import AudioInput, PreparedAudio, prepare_audio
from ._cache import TranscriptCache
from ._engine_base import Segment
from .check_settings import TRANSCRIPTION_FIELDS, CheckSettings, settings_from_keywords
from .engines import default_cache_dir, shared_engine
from .settings import TranscriptionSettings

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .check_settings import TranscriptionKeywords

__all__ = [
    "Transcription",
    "transcribe_recording",
    "transcribe_prepared",
    "WORD_COLUMNS",
    "SEGMENT_COLUMNS",
]

WORD_COLUMNS = ["start_sec", "end_sec", "word", "probability", "segment_index"]
SEGMENT_COLUMNS = ["segment_index", "start_sec", "end_sec", "text", "avg_logprob", "no_speech_prob"]


@dataclass(frozen=True)
class Transcription:
    """A local transcription: ``words`` and ``segments`` frames, the ``settings`` used, an
    ``audio`` summary (``duration_sec``, ``source_rate``, ``channels``, ``channel``,
    ``sha256``) and whether it came from the cache (``from_cache``)."""

    words: pd.DataFrame
    segments: pd.DataFrame
    settings: TranscriptionSettings
    audio: dict[str, Any]
    from_cache: bool

    @property
    def info(self) -> dict[str, Any]:
        """Settings and audio summary in one flat dict (what ``df.attrs`` hold)."""
        return {**self.settings.as_dict(), **{f"audio_{k}": v for k, v in self.audio.items()}}

    @property
    def text(self) -> str:
        """The whole recognised text, segments joined by spaces."""
        return " ".join(self.segments["text"])


def _frames(segments: list[Segment], info: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        (w.start, w.end, w.text, w.probability, index)
        for index, segment in enumerate(segments)
        for w in segment.words
    ]
    words = pd.DataFrame(rows, columns=WORD_COLUMNS).astype(
        {
            "start_sec": "float64",
            "end_sec": "float64",
            "word": "object",
            "probability": "float64",
            "segment_index": "int64",
        }
    )
    segment_rows = [
        (i, s.start, s.end, s.text, s.avg_logprob, s.no_speech_prob) for i, s in enumerate(segments)
    ]
    segment_frame = pd.DataFrame(segment_rows, columns=SEGMENT_COLUMNS).astype(
        {
            "segment_index": "int64",
            "start_sec": "float64",
            "end_sec": "float64",
            "text": "object",
            "avg_logprob": "float64",
            "no_speech_prob": "float64",
        }
    )
    words.attrs.update(info)
    segment_frame.attrs.update(info)
    return words, segment_frame


def _audio_summary(audio: PreparedAudio) -> dict[str, Any]:
    return {
        "duration_sec": round(audio.duration_sec, 6),
        "source_rate": audio.source_rate,
        "channels": audio.channels,
        "channel": audio.channel,
        "sha256": audio.digest,
    }


def _build(
    segments: list[Segment],
    settings: TranscriptionSettings,
    audio: dict[str, Any],
    from_cache: bool,
) -> Transcription:
    info = {**settings.as_dict(), **{f"audio_{k}": v for k, v in audio.items()}}
    words, segment_frame = _frames(segments, info)
    return Transcription(words, segment_frame, settings, audio, from_cache)


def transcribe_recording(
    recording: AudioInput,
    *,
    settings: CheckSettings | None = None,
    sample_rate: int | None = None,
    session_id: str | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    **shortcuts: Unpack[TranscriptionKeywords],
) -> Transcription:
    """Transcribe ``recording`` locally with Whisper and return words and segments frames.

    ``recording``: a WAV path or bytes, a ``(samples, rate)`` pair, a speech object, or an
    array with ``sample_rate=`` (Hz); any common rate, resampled to 16 kHz; stereo averaged
    unless ``channel`` picks one. ``settings``: a :class:`~zenhire_nb.stt.CheckSettings`, of
    which the engine fields apply (``engine``, ``model``, ``compute_type``, ``beam_size``,
    ``threads``, ``channel``; see :func:`~zenhire_nb.stt.engines.load_engine`); keyword
    shortcuts override those fields (others are a ``TypeError``). ``session_id`` names the
    session in errors and groups cache files. ``cache``: reuse/store the result under
    ``cache_dir`` (default: the user cache folder), keyed by settings and audio content.

    Side effects: loads the engine once per process (kept for reuse); reads and writes cache
    files. Raises ``EngineUnavailableError``, ``ModelUnavailableError``, audio errors
    (``FileNotFoundError``, ``RecordingFormatError``, ``ValueError``) naming the source.
    """
    chosen = settings_from_keywords(
        settings, shortcuts, where="transcribe_recording", allowed=TRANSCRIPTION_FIELDS
    )
    resolved = chosen.transcription()
    audio = prepare_audio(
        recording, sample_rate=sample_rate, channel=chosen.channel, session_id=session_id
    )
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return transcribe_prepared(audio, resolved, session_id=session_id, cache=cache, root=root)


def transcribe_prepared(
    audio: PreparedAudio,
    settings: TranscriptionSettings,
    *,
    session_id: str | None,
    cache: bool,
    root: Path,
) -> Transcription:
    """:func:`transcribe_recording` for audio already prepared and settings already resolved
    (cache folder ``root``)."""
    store = TranscriptCache(root)
    entry = store.path(session_id, settings.key(), audio.digest)
    if cache:
        cached = store.load(entry)
        if cached is not None:
            return _build(cached[0], settings, cached[1], from_cache=True)
    segments = shared_engine(settings, cache_dir=root).transcribe(audio.samples)
    summary = _audio_summary(audio)
    if cache:
        store.store(entry, settings.as_dict(), summary, segments)
    return _build(segments, settings, summary, from_cache=False)
