"""Band-limited resampling of 16-bit speech (numpy only, no scipy).

A rational polyphase resampler: the rate ratio is reduced to ``up/down`` (22050 → 16000 is
320/441), and each output sample is a dot product of the nearest input samples with one phase of a
Kaiser-windowed sinc low-pass filter cut just below the lower Nyquist frequency. That rejects the
aliases Whisper would otherwise hear (a plain linear interpolation folds 8–11 kHz fricative
energy back into the speech band). Each phase is normalised to unit DC gain, so a constant stays
exactly constant and no phase ripple is added.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd

import numpy as np

__all__ = ["resample"]

_ZERO_CROSSINGS = 12  # one-sided, in units of the lower rate's sample period
_ROLLOFF = 0.92  # cutoff as a fraction of the lower Nyquist frequency
_KAISER_BETA = 8.0  # ~80 dB stop band
_CHUNK = 1 << 15  # output samples per vectorised block (bounds the temporary memory)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample mono int16 ``samples`` from ``from_rate`` Hz to ``to_rate`` Hz.

    Returns a new int16 array of ``floor(len * to_rate / from_rate)`` samples (the input itself
    when the rates are equal). Values are rounded and clipped to the int16 range.

    Raises:
        ValueError: a rate is not a positive integer, or ``samples`` is not one-dimensional.
    """
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
    if samples.ndim != 1:
        raise ValueError(f"resample expects mono samples, got shape {samples.shape}")
    if from_rate == to_rate:
        return samples
    divisor = gcd(from_rate, to_rate)
    up, down = to_rate // divisor, from_rate // divisor
    bank = _filter_bank(up, down)
    taps = bank.shape[1]
    half = taps // 2
    n_out = len(samples) * up // down
    padded = np.concatenate(
        [np.zeros(half, np.float32), samples.astype(np.float32), np.zeros(half + 1, np.float32)]
    )
    out = np.empty(n_out, dtype=np.int16)
    offsets = np.arange(taps) - (half - 1)  # input offsets k covered by one phase row
    for first in range(0, n_out, _CHUNK):
        index = np.arange(first, min(first + _CHUNK, n_out), dtype=np.int64) * down
        base, phase = np.divmod(index, up)
        # input sample (base - k) pairs with bank[phase, k]; +half undoes the zero padding
        gathered = padded[(base + half)[:, None] - offsets[None, :]]
        values = np.einsum("ij,ij->i", gathered, bank[phase])
        out[first : first + len(index)] = np.clip(np.rint(values), -32768, 32767)
    return out


@lru_cache(maxsize=16)
def _filter_bank(up: int, down: int) -> np.ndarray:
    """Phase table ``bank[p, k] = h(p + k*up)`` of the centred low-pass prototype ``h``.

    Rows are float32 of ``taps`` coefficients, each row summing to 1. Cached: the common ratios
    (22050 → 16000, 8000, 44100, 48000) are computed once per process.
    """
    cutoff = 0.5 * _ROLLOFF / max(up, down)  # cycles per sample at the upsampled rate
    taps = 2 * int(np.ceil(_ZERO_CROSSINGS * max(1.0, down / up)))
    offsets = np.arange(taps) - (taps // 2 - 1)
    t = np.arange(up)[:, None] + offsets[None, :] * up  # upsampled-time distance
    half_width = (taps // 2) * up
    window = np.i0(_KAISER_BETA * np.sqrt(np.clip(1.0 - (t / half_width) ** 2, 0.0, 1.0)))
    bank = np.sinc(2.0 * cutoff * t) * window / np.i0(_KAISER_BETA)
    bank /= bank.sum(axis=1, keepdims=True)
    return bank.astype(np.float32)
