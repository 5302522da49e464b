"""Batched transcription with faster-whisper's CTranslate2 model: the check's default.

The recording is cut at pauses into chunks of at most 20 s (``_chunks``; silence is dropped),
each chunk is encoded alone at the length of its bucket (10, 15 or 20 s) rather than Whisper's
fixed 30 s, chunks of one bucket are decoded together in batches of 8, and word times come from
the cross-attention alignment of each chunk (faster-whisper's own word-timestamp rule).

Measured on 10 sandbox interviews (1,547 s of eSpeak speech, tiny.en int8, beam 5, 2 shared
cores), side by side with faster-whisper's sequential ``transcribe``: WER against the true
text 0.137 against 0.131 (about 25 words in 3,700), the same flags, the transcription about
2.4x and the whole check about 1.9x as fast. Where the time went in the sequential path: 30 s
windows (the encoder costs 27 ms per audio second there, 6-17 ms in 10-20 s windows), one
beam search per window, and two intra-op threads that 2 busy cores barely use. Single-thread
costs of the whole batched check for 319 s of audio: transcription decoding 4.7 s, encoding
2.2 s, word alignment 0.7 s; forced scoring decoding 3.6 s, encoding 3.2 s (its turn windows
are encoded again: reusing the transcription's encoder outputs would need the same windows).
Measured and not taken: encoding several chunks in one call (about 4x slower per chunk than
one at a time on 2 cores), 10 s chunks (WER 0.161: cuts inside sentences lose context), 28 s
chunks (the encoder cost comes back), greedy decoding (WER 0.146 at 20 s, decoding 1.4x
faster).

Threads: the model runs one CTranslate2 thread per call with as many workers as the check's
``threads``, and independent calls (chunk encodings, decoding batches, alignments) go through a
thread pool. On 2 shared cores that measured faster than one call on 2 intra-op threads (5.2 s
against 3.3-3.7 s for 8 windows), and each call's numbers no longer depend on the thread count.

Features are computed once for the whole recording (as the sequential path does) and sliced;
a chunk shorter than its bucket is padded with the features of digital silence. Batches are
fixed by the recording alone, so a recording gets the same transcript in every process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._chunks import HOP, RATE, speech_chunks
from ._engine_base import Segment, Word

__all__ = ["BUCKETS_SEC", "Mapper", "transcribe_batched"]

BUCKETS_SEC = (10, 15, 20)
_BATCH = 8
_WAVE = 4  # batches whose encoder outputs are held at once
_MAX_LENGTH = 224  # tokens per chunk: 20 s of fast speech needs about 100
# faster-whisper's defaults for attaching punctuation to words.
_PREPEND = "\"'“¿([{-"
_APPEND = "\"'.。,，!！?？:：”)]}、"


Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


def _serial(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


def _tokenizer(model: Any) -> Any:
    from faster_whisper.tokenizer import Tokenizer

    multilingual = bool(model.model.is_multilingual)
    return Tokenizer(
        model.hf_tokenizer, multilingual, task="transcribe", language="en" if multilingual else None
    )


def _bucket(samples: int) -> int:
    seconds = samples / RATE
    return next((size for size in BUCKETS_SEC if seconds <= size + 1e-9), BUCKETS_SEC[-1])


def _piece(tokenizer: Any, seek: int, start: float, end: float, tokens: list[int]) -> dict:
    """A piece as faster-whisper's word timing takes it (``seek`` in feature frames)."""
    text = tokenizer.decode(tokens)
    return {"seek": seek, "start": start, "end": end, "tokens": tokens, "text": text}


def _subsegments(tokenizer: Any, tokens: list[int], offset: float, duration: float) -> list[dict]:
    """Timestamped pieces of one chunk's decoded tokens (seconds from the recording's start)."""
    seek = int(round(offset * 100))
    pieces: list[dict] = []
    text: list[int] = []
    start: float | None = None
    for token in tokens:
        if token >= tokenizer.timestamp_begin:
            time = (token - tokenizer.timestamp_begin) * 0.02
            if text:
                pieces.append(_piece(tokenizer, seek, offset + (start or 0.0), offset + time, text))
                text, start = [], None
            else:
                start = time
        elif token < tokenizer.eot:
            text.append(token)
    if text:  # no closing timestamp: the piece runs to the end of the chunk
        end = offset + duration
        pieces.append(_piece(tokenizer, seek, offset + (start or 0.0), end, text))
    return pieces


def _segments(pieces: list[dict], avg_logprob: float, no_speech: float) -> list[Segment]:
    segments = []
    for piece in pieces:
        words = tuple(
            Word(
                float(w["start"]), float(w["end"]), str(w["word"]).strip(), float(w["probability"])
            )
            for w in piece.get("words", [])
        )
        segments.append(
            Segment(
                float(piece["start"]),
                float(piece["end"]),
                piece["text"].strip(),
                words,
                avg_logprob,
                no_speech,
            )
        )
    return segments


class _Chunk:
    def __init__(self, start: int, stop: int):
        self.start, self.stop = start, stop
        self.bucket = _bucket(stop - start)
        self.encoded: np.ndarray | None = None
        self.result: Any = None


def _encode(model: Any, features: np.ndarray, floor: float, chunk: _Chunk) -> None:
    frames = chunk.bucket * 100
    part = features[:, chunk.start // HOP : chunk.stop // HOP]
    part = np.pad(part, ((0, 0), (0, frames - part.shape[1])), constant_values=floor)
    chunk.encoded = np.asarray(model.encode(part[None].astype(np.float32)))


def _generate(model: Any, tokenizer: Any, beam_size: int, chunks: list[_Chunk]) -> None:
    import ctranslate2

    batch = [chunk.encoded for chunk in chunks if chunk.encoded is not None]
    results = model.model.generate(
        ctranslate2.StorageView.from_array(np.concatenate(batch)),
        [list(tokenizer.sot_sequence)] * len(chunks),
        beam_size=beam_size,
        max_length=_MAX_LENGTH,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
    )
    for chunk, result in zip(chunks, results, strict=True):
        chunk.result = result


def _words(model: Any, tokenizer: Any, chunk: _Chunk) -> list[Segment]:
    import ctranslate2

    tokens = list(chunk.result.sequences_ids[0])
    offset, duration = chunk.start / RATE, (chunk.stop - chunk.start) / RATE
    pieces = _subsegments(tokenizer, tokens, offset, duration)
    if not pieces:
        return []
    # faster-whisper's word timing (cross-attention DTW plus its duration rules), one chunk
    # per call: aligning a whole batch at once measured slower.
    encoded = ctranslate2.StorageView.from_array(chunk.encoded)
    frames = [(chunk.stop - chunk.start) // HOP]
    model.add_word_timestamps([pieces], tokenizer, encoded, frames, _PREPEND, _APPEND, offset)
    score = float(chunk.result.scores[0])
    average = score * len(tokens) / (len(tokens) + 1) if tokens else 0.0
    return _segments(pieces, average, float(chunk.result.no_speech_prob))


def transcribe_batched(
    model: Any, samples: np.ndarray, *, beam_size: int, mapper: Mapper = _serial
) -> list[Segment]:
    """Segments with word times of 16 kHz mono float32 ``samples`` for a
    ``faster_whisper.WhisperModel`` (see the module docstring), in time order.

    ``mapper(function, items)``: how independent calls run (a thread pool's ``map`` over a
    model with as many workers spreads them over cores); the result does not depend on it."""
    chunks = [_Chunk(start, stop) for start, stop in speech_chunks(samples)]
    if not chunks:
        return []
    tokenizer = _tokenizer(model)
    features = model.feature_extractor(samples)[..., :-1]
    floor = float(features.max()) - 2.0  # Whisper's log-Mel of silence: 8 (log10) below the top
    by_bucket: dict[int, list[_Chunk]] = {}
    for chunk in chunks:
        by_bucket.setdefault(chunk.bucket, []).append(chunk)
    batches = [
        group[first : first + _BATCH]
        for _, group in sorted(by_bucket.items())
        for first in range(0, len(group), _BATCH)
    ]
    segments: list[Segment] = []
    for wave in range(0, len(batches), _WAVE):  # bounded memory: encoder outputs of a wave only
        current = batches[wave : wave + _WAVE]
        members = [chunk for batch in current for chunk in batch]
        mapper(lambda chunk: _encode(model, features, floor, chunk), members)
        mapper(lambda batch: _generate(model, tokenizer, beam_size, batch), current)
        for found in mapper(lambda chunk: _words(model, tokenizer, chunk), members):
            segments += found
        for chunk in members:
            chunk.encoded = chunk.result = None
    return sorted(segments, key=lambda segment: (segment.start, segment.end))
