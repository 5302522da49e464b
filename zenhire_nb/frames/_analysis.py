"""Loudness and energy-based voice activity of a recording, computed block by block.

For each channel:

- ``rms_dbfs``: root-mean-square level over the whole recording, in dB relative to full scale
  (a full-scale sine is about -3 dBFS). Digital silence is reported as the floor, -120 dBFS.
- ``speech_sec``: seconds of analysis frames (``frame_ms``, default 20 ms) whose energy is above
  the speech threshold; ``silence_ratio`` is the rest divided by the duration (NaN if empty).

The threshold adapts to the recording: ``max(absolute_threshold_dbfs, min(noise floor +
noise_margin_db, speech level - speech_margin_db))``, where the noise floor is the 10th and the
speech level the 95th percentile of frame energies. The first term keeps near-silence silent;
the second puts the cut just above the noise of a recording with pauses; the third keeps
quieter syllables of a recording with no pauses (where the "floor" is speech itself). Energy
cannot tell speech from steady loud noise (a hum above the threshold counts as speech).

Memory: one block of samples plus one float per 20 ms frame (180,000 per hour and channel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zenhire_nb.frames._wav import (
    DEFAULT_MAX_BYTES,
    WavInfo,
    WavSource,
    iter_wav_blocks,
    read_wav_info,
)

__all__ = ["DBFS_FLOOR", "ChannelStats", "VadSettings", "analyse_recording"]

DBFS_FLOOR = -120.0
_POWER_FLOOR = 10.0 ** (DBFS_FLOOR / 10.0)
_FRAMES_PER_BLOCK = 512  # analysis frames read per block: ~10 s at 20 ms


@dataclass(frozen=True)
class VadSettings:
    """Energy voice-activity parameters (milliseconds and decibels)."""

    frame_ms: float = 20.0
    absolute_threshold_dbfs: float = -50.0
    noise_margin_db: float = 12.0
    speech_margin_db: float = 20.0

    def __post_init__(self) -> None:
        if not self.frame_ms > 0:
            raise ValueError(f"frame_ms must be positive, got {self.frame_ms}")


@dataclass(frozen=True)
class ChannelStats:
    """Loudness and voice activity of one channel (channel index from 0)."""

    channel: int
    rms_dbfs: float
    speech_sec: float
    silence_ratio: float


def analyse_recording(
    source: WavSource,
    *,
    session_id: object | None = None,
    settings: VadSettings | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[WavInfo, list[ChannelStats]]:
    """Validate a WAV and measure loudness and speech per channel, streaming it once.

    Raises:
        RecordingFormatError: the WAV is corrupt, truncated, unsupported or too large.
        OSError: the path cannot be read.
    """
    settings = settings or VadSettings()
    info = read_wav_info(source, session_id=session_id, max_bytes=max_bytes)
    frame_len = max(1, round(info.sample_rate * settings.frame_ms / 1000.0))
    sum_squares = np.zeros(info.channels, dtype=np.float64)
    powers: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    blocks = iter_wav_blocks(
        source,
        frames_per_block=frame_len * _FRAMES_PER_BLOCK,
        session_id=session_id,
        max_bytes=max_bytes,
    )
    for block in blocks:
        wide = block.astype(np.float64)
        # Non-finite float samples would poison every sum; they carry no level information.
        np.nan_to_num(wide, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
        squares = wide * wide
        sum_squares += squares.sum(axis=0)
        block_powers, block_lengths = _frame_powers(squares, frame_len)
        powers.append(block_powers)
        lengths.append(block_lengths)
    return info, _channel_stats(info, sum_squares, powers, lengths, settings)


def _frame_powers(squares: np.ndarray, frame_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean power of each analysis frame ``(frames, channels)`` and frame lengths (samples)."""
    whole = len(squares) // frame_len
    # The channel count is spelled out: with no whole frame (a last block shorter than one
    # frame) numpy cannot infer a -1 dimension from an empty array.
    channels = squares.shape[1]
    head = squares[: whole * frame_len].reshape(whole, frame_len, channels).mean(axis=1)
    sizes = np.full(whole, frame_len, dtype=np.int64)
    if whole * frame_len < len(squares):  # the recording's last, shorter frame
        tail = squares[whole * frame_len :]
        head = np.vstack([head, tail.mean(axis=0, keepdims=True)])
        sizes = np.append(sizes, len(tail))
    return head, sizes


def _channel_stats(
    info: WavInfo,
    sum_squares: np.ndarray,
    powers: list[np.ndarray],
    lengths: list[np.ndarray],
    settings: VadSettings,
) -> list[ChannelStats]:
    if info.n_frames == 0:
        return [ChannelStats(c, math.nan, 0.0, math.nan) for c in range(info.channels)]
    all_powers = np.concatenate(powers)
    all_lengths = np.concatenate(lengths)
    stats = []
    for channel in range(info.channels):
        levels = _to_db(all_powers[:, channel])
        speech = levels > _threshold_db(levels, settings)
        speech_sec = float(all_lengths[speech].sum()) / info.sample_rate
        rms = float(_to_db(np.array([sum_squares[channel] / info.n_frames]))[0])
        silence = 1.0 - speech_sec / info.duration_sec
        stats.append(ChannelStats(channel, rms, speech_sec, min(1.0, max(0.0, silence))))
    return stats


def _to_db(power: np.ndarray) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(power, _POWER_FLOOR))


def _threshold_db(levels: np.ndarray, settings: VadSettings) -> float:
    noise_floor, speech_level = np.percentile(levels, [10.0, 95.0])
    adaptive = min(noise_floor + settings.noise_margin_db, speech_level - settings.speech_margin_db)
    return max(settings.absolute_threshold_dbfs, float(adaptive))
