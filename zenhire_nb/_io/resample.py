"""Band-limited resampling of mono speech (numpy only, no scipy), whole or block by block.

One rational polyphase resampler for every part: the rate ratio is reduced to ``up/down``
(22050 -> 16000 is 320/441) and each output sample is the dot product of the nearest input
samples with one phase of a Kaiser-windowed sinc low-pass cut just below the lower Nyquist
frequency. That rejects the aliases a listener (or Whisper) would otherwise hear: a plain linear
interpolation folds 8-11 kHz fricative energy back into the speech band. Each phase is
normalised to unit DC gain, so a constant stays exactly constant.

Where the uses differ on purpose, they choose:

- the filter (:class:`FilterQuality`): the sandbox's synthesized speech uses
  :data:`SYNTHESIS_QUALITY` (shorter, cheaper); speech recognition uses
  :data:`RECOGNITION_QUALITY` (longer, steeper: aliasing stays far below what changes a
  transcript);
- the length: ``"floor"`` (``floor(n * to / from)``, the sandbox's recordings) or ``"ceil"``
  (``ceil(n * to / from)``, the last partial period kept, the STT engines' input);
- whole signal (:func:`resample`) or streaming (:class:`Resampler`): the streaming form keeps
  the last filter-width of input between blocks, so its outputs equal the whole-signal result
  bit for bit whatever the block sizes, and a long recording never sits whole in memory.

int16 input gives int16 output (rounded and clipped); anything else gives float32.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import gcd
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "RECOGNITION_QUALITY",
    "SYNTHESIS_QUALITY",
    "FilterQuality",
    "Length",
    "Resampler",
    "output_length",
    "resample",
]

Length = Literal["floor", "ceil"]
FloatArray = npt.NDArray[np.float32]

# Output samples computed per vectorised step: a gathered window of ~100 taps x (4-byte value +
# 8-byte index) per output bounds one step to ~10 MB.
_CHUNK = 1 << 13


@dataclass(frozen=True)
class FilterQuality:
    """The low-pass prototype of a resampler.

    Attributes:
        zero_crossings: one-sided filter length, in sample periods of the lower rate.
        rolloff: cutoff as a fraction of the lower Nyquist frequency (below 1, so the
            transition band does not fold back into the pass band).
        kaiser_beta: Kaiser window shape (8 gives ~80 dB of stop band).
        full_band_upsampling: when upsampling, cut at the input's Nyquist frequency itself
            (``rolloff`` then applies to downsampling only): keeps the whole band a low-rate
            recording has, for a recogniser that needs every bit of a telephone call.
    """

    zero_crossings: int
    rolloff: float
    kaiser_beta: float
    full_band_upsampling: bool = False

    def __post_init__(self) -> None:
        if self.zero_crossings <= 0 or not 0.0 < self.rolloff <= 1.0 or self.kaiser_beta < 0:
            raise ValueError(f"invalid filter quality {self!r}")


#: The sandbox's synthesized speech (22050 Hz eSpeak output to the recording rate).
SYNTHESIS_QUALITY = FilterQuality(zero_crossings=12, rolloff=0.92, kaiser_beta=8.0)
#: Audio handed to a speech recogniser (any rate to 16 kHz): ~0.1 s per minute of 44.1 kHz.
RECOGNITION_QUALITY = FilterQuality(
    zero_crossings=16, rolloff=0.94, kaiser_beta=8.6, full_band_upsampling=True
)


def _ratio(source_rate: int, target_rate: int) -> tuple[int, int]:
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {source_rate} -> {target_rate}")
    common = gcd(source_rate, target_rate)
    return target_rate // common, source_rate // common


def _check_mono(samples: np.ndarray) -> None:
    if samples.ndim != 1:
        raise ValueError(f"resample expects mono (1-D) samples, got shape {samples.shape}")


def output_length(
    n_samples: int, source_rate: int, target_rate: int, *, length: Length = "ceil"
) -> int:
    """Samples of ``n_samples`` input samples resampled: ``floor`` or ``ceil(n * to / from)``.

    Raises ``ValueError`` for a non-positive rate or an unknown ``length``.
    """
    up, down = _ratio(source_rate, target_rate)
    if length == "floor":
        return n_samples * up // down
    if length == "ceil":
        return -(-n_samples * up // down)
    raise ValueError(f"length must be 'floor' or 'ceil', got {length!r}")


@lru_cache(maxsize=32)
def _filter_bank(up: int, down: int, quality: FilterQuality) -> tuple[FloatArray, int]:
    """Phase table ``bank[p, k] = h(p + k*up)`` of the centred prototype ``h``, and its half width.

    Row ``p`` serves the outputs whose position falls ``p/up`` of an input period after an input
    sample; columns run over the input offsets ``half - 1`` down to ``-half``. Rows are float32
    and each sums to 1. Cached: the common ratios are designed once per process.
    """
    rolloff = 1.0 if up > down and quality.full_band_upsampling else quality.rolloff
    cutoff = 0.5 * rolloff / max(up, down)  # cycles per sample at the upsampled rate
    taps = 2 * int(np.ceil(quality.zero_crossings * max(1.0, down / up)))
    offsets = np.arange(taps) - (taps // 2 - 1)
    t = np.arange(up)[:, None] + offsets[None, :] * up  # upsampled-time distance
    half_width = (taps // 2) * up
    beta = quality.kaiser_beta
    window = np.i0(beta * np.sqrt(np.clip(1.0 - (t / half_width) ** 2, 0.0, 1.0)))
    bank = np.sinc(2.0 * cutoff * t) * window / np.i0(beta)
    bank /= bank.sum(axis=1, keepdims=True)
    return bank.astype(np.float32), taps // 2


class Resampler:
    """Streaming resampler of one mono signal of ``n_samples`` samples.

    Feed the signal in order with :meth:`push` (blocks of any length) and call :meth:`finish`
    once at the end; each returns the float32 outputs that became computable. Together they
    hold :attr:`output_count` samples and equal :func:`resample` of the whole signal (as
    float32). Memory: the filter width plus one block.

    Raises:
        ValueError: a non-positive rate, a multi-dimensional block, more samples pushed than
            ``n_samples``, or fewer than it at :meth:`finish`.
    """

    def __init__(
        self,
        source_rate: int,
        target_rate: int,
        n_samples: int,
        *,
        quality: FilterQuality = RECOGNITION_QUALITY,
        length: Length = "ceil",
    ) -> None:
        self._up, self._down = _ratio(source_rate, target_rate)
        self._count = output_length(n_samples, source_rate, target_rate, length=length)
        self._expected, self._pushed, self._next = n_samples, 0, 0
        self._bank, self._half = _filter_bank(self._up, self._down, quality)
        # Column k of the bank pairs with input sample base + (half - 1 - k).
        self._columns = (self._half - 1) - np.arange(2 * self._half)
        # The signal with ``half`` zeros in front, kept from padded position ``_offset`` on
        # (older samples are needed by no remaining output).
        self._buffer: FloatArray = np.zeros(self._half, np.float32)
        self._offset = 0

    @property
    def output_count(self) -> int:
        """Output samples of the whole signal."""
        return self._count

    def push(self, block: np.ndarray) -> FloatArray:
        """Append the next input samples; returns the outputs now computable (maybe none)."""
        _check_mono(block)
        self._pushed += block.size
        if self._pushed > self._expected:
            raise ValueError(f"more than the announced {self._expected} samples were pushed")
        self._buffer = np.concatenate([self._buffer, np.asarray(block, dtype=np.float32)])
        if self._pushed == self._expected:
            return self._compute(self._count, pad=True)
        # Output i reads input up to i*down//up + half - 1: those within the pushed samples.
        last_base = self._pushed - self._half
        ready = ((last_base + 1) * self._up - 1) // self._down + 1 if last_base >= 0 else 0
        return self._compute(min(self._count, ready), pad=False)

    def finish(self) -> FloatArray:
        """The remaining outputs (the signal's end is padded with zeros)."""
        if self._pushed != self._expected:
            raise ValueError(f"{self._pushed} samples pushed, {self._expected} announced")
        return self._compute(self._count, pad=True)

    def _compute(self, until: int, *, pad: bool) -> FloatArray:
        if pad:
            self._buffer = np.concatenate([self._buffer, np.zeros(self._half + 1, np.float32)])
        out = np.empty(max(until - self._next, 0), dtype=np.float32)
        for begin in range(self._next, until, _CHUNK):
            index = np.arange(begin, min(begin + _CHUNK, until), dtype=np.int64) * self._down
            base, phase = np.divmod(index, self._up)
            # +half undoes the zero padding in front; -_offset the samples already dropped.
            gathered = self._buffer[(base + self._half - self._offset)[:, None] + self._columns]
            values = np.einsum("ij,ij->i", gathered, self._bank[phase])
            out[begin - self._next : begin - self._next + len(index)] = values
        self._next = max(self._next, until)
        self._drop_consumed()
        return out

    def _drop_consumed(self) -> None:
        first_needed = self._next * self._down // self._up  # padded position of its first input
        drop = min(first_needed - self._offset, self._buffer.size)
        if drop > 0:
            self._buffer = self._buffer[drop:].copy()
            self._offset += drop


def resample(
    samples: np.ndarray,
    source_rate: int,
    target_rate: int,
    *,
    quality: FilterQuality = RECOGNITION_QUALITY,
    length: Length = "ceil",
) -> np.ndarray:
    """Mono ``samples`` resampled from ``source_rate`` to ``target_rate`` (Hz).

    Returns a new array of :func:`output_length` samples (a copy when the rates are equal);
    the input is not modified. int16 input gives int16 (rounded, clipped to the int16 range),
    any other input float32.

    Raises:
        ValueError: a non-positive rate, an unknown ``length``, or ``samples`` not 1-D.
    """
    _check_mono(samples)
    resampler = Resampler(source_rate, target_rate, samples.size, quality=quality, length=length)
    if source_rate == target_rate:
        values: FloatArray = samples.astype(np.float32)
    else:
        values = np.concatenate([resampler.push(samples), resampler.finish()])
    if samples.dtype == np.int16:
        rounded: FloatArray = np.clip(np.rint(values), -32768, 32767)
        return rounded.astype(np.int16)
    return values
