"""The shared low-level I/O layer: WAV files, resampling and atomic writes.

Private to the package but usable by every part (client, frames, stt, sandbox), so each of these
jobs is written once. It imports nothing else of ours (standard library and numpy only), which
keeps it at the bottom of the dependency graph, and it is type-checked strictly.

- :mod:`.wavheader` / :mod:`.wav`: validate an untrusted WAV header against the real size
  before reading, then read it in bounded blocks (:class:`WavFormatError` on bad input);
- :mod:`.wavwrite`: 16-bit PCM WAV written atomically, silence streamed in;
- :mod:`.resample`: one band-limited polyphase resampler, whole-signal or streaming;
- :mod:`.atomic`: temporary file beside the target, flush, optional fsync, ``os.replace``.
"""

from __future__ import annotations

from zenhire_nb._io.atomic import (
    TEMP_SUFFIX,
    AtomicFile,
    atomic_file,
    atomic_path,
    write_atomically,
)
from zenhire_nb._io.resample import (
    RECOGNITION_QUALITY,
    SYNTHESIS_QUALITY,
    FilterQuality,
    Resampler,
    output_length,
    resample,
)
from zenhire_nb._io.wav import (
    WavSource,
    decode_frames,
    iter_frame_bytes,
    iter_wav_blocks,
    read_wav,
    read_wav_info,
)
from zenhire_nb._io.wavheader import (
    DEFAULT_MAX_BYTES,
    MAX_RATE_HZ,
    MIN_RATE_HZ,
    WavFormatError,
    WavInfo,
)
from zenhire_nb._io.wavwrite import atomic_wav, write_silence

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_RATE_HZ",
    "MIN_RATE_HZ",
    "RECOGNITION_QUALITY",
    "SYNTHESIS_QUALITY",
    "TEMP_SUFFIX",
    "AtomicFile",
    "FilterQuality",
    "Resampler",
    "WavFormatError",
    "WavInfo",
    "WavSource",
    "atomic_file",
    "atomic_path",
    "atomic_wav",
    "decode_frames",
    "iter_frame_bytes",
    "iter_wav_blocks",
    "output_length",
    "read_wav",
    "read_wav_info",
    "resample",
    "write_atomically",
    "write_silence",
]
