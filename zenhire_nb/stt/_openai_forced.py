"""Forced scoring with an openai-whisper model (see ``_forced``), the same recipe as
``_faster_forced`` so both engines give the same scores on the same weights.

openai-whisper's decoder returns the logits of every position for a whole token sequence in
one pass: fed the start sequence and the text's tokens, position ``k`` holds the distribution
of token ``k + 1``, which is teacher forcing with no search. Windows are encoded at their own
length rounded up to a bucket of 10, 20 or 30 s (the encoder's positional embedding is sliced
to that length; openai-whisper's own ``forward`` insists on 30 s), one window per call, and the
decoder runs windows of one bucket in batches of 8, as with faster-whisper. Features are
openai-whisper's log-Mel of the window, padded with the features of silence like
faster-whisper's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._engine_base import TextScore, check_audio
from ._forced import (
    ForcedRequest,
    batches_by_bucket,
    finish_request,
    log_softmax,
    pad_to_bucket,
    prepare_request,
)

__all__ = ["score_texts"]


def _features(whisper: Any, model: Any, audio: np.ndarray) -> Any:
    import torch

    mel = whisper.log_mel_spectrogram(torch.from_numpy(audio), model.dims.n_mels)
    return torch.from_numpy(pad_to_bucket(mel.numpy()))


def _encode(model: Any, mel: Any) -> Any:
    """The encoder over a window of any length up to 30 s (``mel``: n_mels x frames)."""
    import torch.nn.functional as F

    encoder = model.encoder
    x = F.gelu(encoder.conv1(mel[None]))
    x = F.gelu(encoder.conv2(x)).permute(0, 2, 1)
    x = x + encoder.positional_embedding[: x.shape[1]]
    for block in encoder.blocks:
        x = block(x)
    return encoder.ln_post(x)


def _decode_batch(
    model: Any, tokenizer: Any, mels: list[Any], requests: list[ForcedRequest]
) -> list[TextScore]:
    import torch

    audio = torch.cat([_encode(model, mel) for mel in mels])
    prefix = list(tokenizer.sot_sequence_including_notimestamps)
    longest = max(len(request.tokens) for request in requests)
    # Right-padding is harmless: the decoder is causal, later positions never reach earlier ones.
    rows = [prefix + r.tokens + [tokenizer.eot] * (longest - len(r.tokens)) for r in requests]
    logits = model.decoder(torch.tensor(rows), audio).numpy()
    scores = []
    first = len(prefix) - 1  # the position whose output is the first text token
    for request, row in zip(requests, logits, strict=True):
        count = len(request.tokens)
        logprobs = log_softmax(row[first : first + count + 1])
        scores.append(
            finish_request(
                request,
                logprobs[np.arange(count), request.tokens],
                float(logprobs[count, tokenizer.eot]),
            )
        )
    return scores


def score_texts(
    whisper: Any, model: Any, items: Sequence[tuple[np.ndarray, Sequence[str]]]
) -> list[TextScore]:
    """One :class:`TextScore` per ``(audio, words)`` item for an openai-whisper ``model``
    (``whisper``: the imported package). English is assumed for a multilingual model. Raises
    ``ValueError`` for a window over 30 s or too many tokens."""
    import torch

    tokenizer = whisper.tokenizer.get_tokenizer(
        model.is_multilingual, num_languages=model.num_languages, language="en", task="transcribe"
    )
    requests = [
        prepare_request(
            check_audio(audio),
            words,
            encode_word=lambda text: list(tokenizer.encode(text)),
            token_text=lambda token: str(tokenizer.decode([token])),
        )
        for audio, words in items
    ]
    scores: list[TextScore | None] = [
        finish_request(request, np.zeros(0), float("nan")) if not request.tokens else None
        for request in requests
    ]
    with torch.inference_mode():
        mels = {
            i: _features(whisper, model, request.audio)
            for i, request in enumerate(requests)
            if request.tokens
        }
        for batch in batches_by_bucket(mels):
            done = _decode_batch(
                model, tokenizer, [mels[i] for i in batch], [requests[i] for i in batch]
            )
            for index, score in zip(batch, done, strict=True):
                scores[index] = score
    return [score for score in scores if score is not None]
