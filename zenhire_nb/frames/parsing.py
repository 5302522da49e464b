"""Pure parsing of untrusted interview artifacts: transcript shapes and WAV recordings.

No network and no caching here, so everything can be fuzzed. This is the surface other parts
(``stt``, the cache, bulk fetching) use to read what the platform returns.
"""

from __future__ import annotations

from zenhire_nb.frames._analysis import ChannelStats, VadSettings, analyse_recording
from zenhire_nb.frames._transcript import (
    CANDIDATE,
    CONTAINER_KEYS,
    INTERVIEWER,
    Turn,
    parse_transcript,
)
from zenhire_nb.frames._wav import (
    DEFAULT_MAX_BYTES,
    WavInfo,
    WavSource,
    iter_wav_blocks,
    read_wav,
    read_wav_info,
)
from zenhire_nb.frames.errors import FramesError, RecordingFormatError, TranscriptFormatError

__all__ = [
    "CANDIDATE",
    "CONTAINER_KEYS",
    "DEFAULT_MAX_BYTES",
    "INTERVIEWER",
    "ChannelStats",
    "FramesError",
    "RecordingFormatError",
    "TranscriptFormatError",
    "Turn",
    "VadSettings",
    "WavInfo",
    "WavSource",
    "analyse_recording",
    "iter_wav_blocks",
    "parse_transcript",
    "read_wav",
    "read_wav_info",
]
