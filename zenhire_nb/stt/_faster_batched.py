"""Batched transcription with faster-whisper's CTranslate2 model: the check's default.

The recording is cut at pauses into chunks of at most 20 s (``_chunks``; silence is dropped),
each chunk is encoded alone at the length of its bucket (10, 15 or 20 s) rather than Whisper's
fixed 30 s, chunks of one bucket are decoded together in batches of 8, and word times come from
the cross-attention alignment of each chunk (faster-whisper's own word-timestamp rule). A chunk
whose text ends with a timestamp well before the chunk's end, with speech after it, is decoded
again from that timestamp (:func:`_tail`): without that, Whisper's early stops dropped whole
phrases (runs of 4-13 words; 3 of the 13 chunks of one interview).

Measured on sandbox interviews (eSpeak speech, tiny.en int8, beam 5), WER against the true text,
this path / faster-whisper's sequential ``transcribe``: 0.115 / 0.127 over the ground-truth
benchmark's 30 (4,558 s); 0.121 / 0.123-0.139 on its first 10 (the sequential figure moves
between runs: two intra-op threads do not give bit-identical sums), 0.102 / 0.116 on 20 others;
without the tails 0.137 on the first 10. The sequential path loses phrases the same way (110
words in runs of 3 or more deletions on the first 10, none here). On the clean two-voice
dialogue of ``bench_stt_speed.py`` (plain voices, 8 syntheses) it is the other way round: 0.074
here, 0.057 sequential; the extra errors sit in a chunk's first seconds. Where the time went in
the sequential path: 30 s windows (the encoder costs 27 ms per audio second there, 6-17 ms in
10-20 s windows), one beam search per window, and two intra-op threads that 2 busy cores barely
use. Single-thread costs of the whole check for 626 s of audio (4 interviews): transcription
decoding 5.3 s, encoding 3.1 s, word alignment 1.1 s; forced scoring decoding 3.4 s (0.7 of it
the log-softmax), its encoding and the rest about 5 s (its turn windows are encoded again:
reusing the transcription's encoder outputs would need the same windows, and the chunks are cut
by the audio alone so that speech the transcript lacks is still heard). Measured and not taken,
with the tails: 15 s chunks (WER 0.141), greedy decoding (0.143 at 20 s, 0.147 at 15 s), 25 and
30 s chunks (cuts from 2 s on: 0.126 and 0.122 on the first 10, 0.107 on the other 20; 3% and
11% less throughput), each chunk prompted with the previous chunk's text (0.148), float32
weights (0.124, twice the time); without them, encoding several chunks in one call (about 4x
slower per chunk than one at a time on 2 cores).

Threads: the model runs one CTranslate2 thread per call with as many workers as the check's
``threads``, and independent calls (chunk encodings, decoding batches, alignments) go through a
thread pool. On 2 shared cores that measured faster than one call on 2 intra-op threads (3.3-3.7
s against 5.2 s for 8 windows), and each call's numbers no longer depend on the thread count.

Features are computed once for the whole recording (as the sequential path does) and sliced;
a chunk shorter than its bucket is padded with the features of digital silence. Batches are
fixed by the recording alone, so a recording gets the same transcript in every process.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._audio import ENGINE_SAMPLE_RATE as RATE
from ._chunks import HOP, split_speech
from ._engine_base import Mapper, Segment, Word
from ._faster_forced import english_tokenizer
from ._forced import silence_floor

__all__ = ["BUCKETS_SEC", "transcribe_batched"]

BUCKETS_SEC = (10, 15, 20)
_BATCH = 8
_WAVE = 4  # batches whose encoder outputs are held at once
_MAX_LENGTH = 224  # tokens per chunk: 20 s of fast speech needs about 100
# A chunk's decoding that stops this far before the chunk's end, with this much speech left
# in the rest, is continued from its last timestamp in another round (at most _ROUNDS in all).
_TAIL_MIN_SEC = 1.0
_TAIL_MIN_LOUD_SEC = 0.3
_ROUNDS = 3
# faster-whisper's defaults for attaching punctuation to words.
_PREPEND = "\"'“¿([{-"
_APPEND = "\"'.。,，!！?？:：”)]}、"


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

    results = model.model.generate(
        ctranslate2.StorageView.from_array(np.concatenate([chunk.encoded for chunk in chunks])),
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


def _covered_until(tokenizer: Any, chunk: _Chunk) -> int:
    """The sample up to which the chunk's decoding accounts for the audio: its last timestamp
    when the decoding closed its last piece there, else the chunk's end."""
    tokens = list(chunk.result.sequences_ids[0])
    if not tokens or tokens[-1] < tokenizer.timestamp_begin:
        return chunk.stop
    seconds = (tokens[-1] - tokenizer.timestamp_begin) * 0.02
    return min(chunk.stop, chunk.start + int(round(seconds * RATE)))


def _tail(tokenizer: Any, quiet: np.ndarray, chunk: _Chunk) -> _Chunk | None:
    """The rest of ``chunk`` to decode again, when the decoding stopped early before speech.

    Whisper sometimes ends a window's text with a timestamp seconds before the window's end
    and drops the speech after it (on 10 sandbox interviews, runs of 4-13 words in 3 of 13
    chunks of one recording); the sequential decoder would seek to that timestamp and go on,
    which is what this does for the batched one.
    """
    covered = _covered_until(tokenizer, chunk)
    if (chunk.stop - covered) < _TAIL_MIN_SEC * RATE:
        return None
    loud = int((~quiet[covered // HOP : chunk.stop // HOP]).sum())
    return _Chunk(covered, chunk.stop) if loud * HOP >= _TAIL_MIN_LOUD_SEC * RATE else None


def _round(
    model: Any,
    tokenizer: Any,
    features: np.ndarray,
    floor: float,
    quiet: np.ndarray,
    chunks: list[_Chunk],
    *,
    beam_size: int,
    mapper: Mapper,
) -> tuple[list[Segment], list[_Chunk]]:
    """Segments of ``chunks`` and the tails left to decode (see :func:`_tail`); ``floor``: the
    features' value of silence, which pads chunks shorter than their bucket."""
    by_bucket: dict[int, list[_Chunk]] = {}
    for chunk in chunks:
        by_bucket.setdefault(chunk.bucket, []).append(chunk)
    batches = [
        group[first : first + _BATCH]
        for _, group in sorted(by_bucket.items())
        for first in range(0, len(group), _BATCH)
    ]
    segments: list[Segment] = []
    tails: list[_Chunk] = []
    for wave in range(0, len(batches), _WAVE):  # bounded memory: encoder outputs of a wave only
        current = batches[wave : wave + _WAVE]
        members = [chunk for batch in current for chunk in batch]
        mapper(lambda chunk: _encode(model, features, floor, chunk), members)
        mapper(lambda batch: _generate(model, tokenizer, beam_size, batch), current)
        for found in mapper(lambda chunk: _words(model, tokenizer, chunk), members):
            segments += found
        for chunk in members:
            tail = _tail(tokenizer, quiet, chunk)
            if tail is not None:
                tails.append(tail)
            chunk.encoded = chunk.result = None
    return segments, tails


def transcribe_batched(
    model: Any, samples: np.ndarray, *, beam_size: int, mapper: Mapper
) -> list[Segment]:
    """Segments with word times of 16 kHz mono float32 ``samples`` for a
    ``faster_whisper.WhisperModel`` (see the module docstring), in time order.

    ``mapper(function, items)``: how independent calls run (a thread pool's ``map`` over a
    model with as many workers spreads them over cores); the result does not depend on it."""
    spans, quiet = split_speech(samples)
    chunks = [_Chunk(start, stop) for start, stop in spans]
    if not chunks:
        return []
    tokenizer = english_tokenizer(model)
    features = model.feature_extractor(samples)[..., :-1]
    floor = silence_floor(features)
    segments: list[Segment] = []
    for _ in range(_ROUNDS):
        if not chunks:
            break
        found, chunks = _round(
            model, tokenizer, features, floor, quiet, chunks, beam_size=beam_size, mapper=mapper
        )
        segments += found
    return sorted(segments, key=lambda segment: (segment.start, segment.end))
