"""Cut a recording into chunks of speech at its pauses (the batched transcription's windows).

Why: Whisper's encoder costs far more than linearly with the window's length on a CPU (tiny.en
int8, 2 cores, one window at a time: about 6 ms per second of audio for a 10 s window, 17 for
20 s, 27 for 30 s), and decoding many short windows in one batch is cheaper than one long
window after another. Cutting at pauses keeps words whole.

Only the audio decides the cuts (never the platform's transcript), so the local transcription
stays an independent witness. The rule, on 10 ms frames: a frame is quiet when its energy,
smoothed over 100 ms, is 35 dB below the recording's loud level (95th percentile; never
counted above -70 dBFS). From the start of a chunk, the next cut goes at the middle of the
longest quiet run between ``min_sec`` and ``max_sec`` later (the latest of equally long runs);
with no quiet frame there, at the quietest frame. Chunks are then trimmed to their first and
last loud frames plus ``PAD_SEC``; a chunk with no loud frame is silence and is dropped.

Why no cut in a chunk's first 10 s (``MIN_CHUNK_SEC``): Whisper hears a word better with more
speech around it, and the longest pause often comes right after a short question. Measured on
30 sandbox interviews against cuts from 2 s on: WER against the true text 0.129 -> 0.121 and
0.108 -> 0.102 on two sets of 10 and 20, at the same speed (fewer, longer chunks).
"""

from __future__ import annotations

import numpy as np

from ._audio import ENGINE_SAMPLE_RATE

__all__ = ["MAX_CHUNK_SEC", "speech_chunks", "split_speech"]

RATE = ENGINE_SAMPLE_RATE
HOP = 160  # 10 ms: one Whisper feature frame
MAX_CHUNK_SEC = 20.0
MIN_CHUNK_SEC = 10.0
PAD_SEC = 0.2
QUIET_BELOW_LOUD_DB = 35.0
QUIET_FLOOR_DB = -70.0


def _frame_db(samples: np.ndarray) -> np.ndarray:
    count = samples.size // HOP
    frames = samples[: count * HOP].reshape(count, HOP).astype(np.float64)
    power = np.convolve((frames**2).mean(axis=1), np.ones(10) / 10, mode="same")
    result: np.ndarray = 10.0 * np.log10(power + 1e-12)
    return result


def _longest_run(quiet: np.ndarray) -> tuple[int, int] | None:
    """(start, stop) of the longest run of True (the latest of equal ones), or None."""
    if not quiet.any():
        return None
    edges = np.diff(np.concatenate(([0], quiet.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lengths = stops - starts
    best = int(np.flatnonzero(lengths == lengths.max())[-1])
    return int(starts[best]), int(stops[best])


def _cuts(db: np.ndarray, quiet: np.ndarray, max_frames: int, min_frames: int) -> list[int]:
    cuts, start, total = [0], 0, db.size
    while total - start > max_frames:
        low, high = start + min_frames, start + max_frames
        run = _longest_run(quiet[low:high])
        cut = low + (run[0] + run[1]) // 2 if run else low + int(np.argmin(db[low:high]))
        cuts.append(cut)
        start = cut
    cuts.append(total)
    return cuts


def speech_chunks(
    samples: np.ndarray, *, max_sec: float = MAX_CHUNK_SEC, min_sec: float = MIN_CHUNK_SEC
) -> list[tuple[int, int]]:
    """(first sample, end sample) of each chunk of speech in 16 kHz ``samples``, in order;
    every chunk at most ``max_sec`` long. Pure and deterministic (see the module docstring)."""
    return split_speech(samples, max_sec=max_sec, min_sec=min_sec)[0]


def split_speech(
    samples: np.ndarray, *, max_sec: float = MAX_CHUNK_SEC, min_sec: float = MIN_CHUNK_SEC
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """:func:`speech_chunks` and the quiet mask it cut by (one bool per 10 ms frame)."""
    db = _frame_db(samples)
    if db.size == 0:
        return [], np.zeros(0, dtype=bool)
    loud_level = float(np.percentile(db, 95))
    quiet: np.ndarray = db < max(loud_level - QUIET_BELOW_LOUD_DB, QUIET_FLOOR_DB)
    frames_per_sec = RATE // HOP
    cuts = _cuts(db, quiet, int(max_sec * frames_per_sec), int(min_sec * frames_per_sec))
    pad = int(PAD_SEC * frames_per_sec)
    chunks = []
    for first, stop in zip(cuts[:-1], cuts[1:], strict=False):
        loud = np.flatnonzero(~quiet[first:stop])
        if loud.size == 0:
            continue
        begin = max(first, first + int(loud[0]) - pad)
        end = min(stop, first + int(loud[-1]) + 1 + pad)
        chunks.append((begin * HOP, min(samples.size, end * HOP)))
    return chunks, quiet
