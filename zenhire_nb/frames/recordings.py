"""The recordings frame: format, loudness and voice activity of each recording, per channel.

One row per channel of each recording (stereo files give two rows, ``channel`` 0 and 1, since
the interviewer and the candidate may be on separate channels). Columns:
``SCHEMAS["recordings"]`` in :mod:`zenhire_nb.frames.schemas`; the measures are explained in
:mod:`zenhire_nb.frames._analysis`. Each file is streamed once in bounded blocks: memory does
not grow with the recording's length.

``df.attrs``: ``frame``, ``schema_version`` and, with ``errors="report"``, ``errors``
(``{session_id: message}`` of the recordings left out).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

import pandas as pd

from zenhire_nb.frames._analysis import VadSettings, analyse_recording
from zenhire_nb.frames._wav import DEFAULT_MAX_BYTES
from zenhire_nb.frames.errors import FramesError, RecordingFormatError, describe_subject
from zenhire_nb.frames.schemas import SCHEMA_VERSION, apply_schema, empty_frame

__all__ = ["recording_rows", "recordings_frame"]

RowDict = dict[str, object]


def recordings_frame(
    paths_by_session: Mapping[str, str | os.PathLike[str]],
    *,
    settings: VadSettings | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    errors: Literal["raise", "report"] = "raise",
) -> pd.DataFrame:
    """Measure every recording of ``{session_id: path}``.

    Args:
        settings: voice-activity parameters (frame length, thresholds in dB).
        max_bytes: largest WAV data chunk accepted (bytes).
        errors: ``"raise"`` stops at the first unreadable recording; ``"report"`` leaves it out
            and lists it in ``df.attrs["errors"]``.

    Raises:
        RecordingFormatError: a recording is corrupt, truncated, unsupported or too large.
        FramesError: a recording cannot be opened (the message names the session and file).
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r}")
    rows: list[RowDict] = []
    failures: dict[str, str] = {}
    for session_id, path in paths_by_session.items():
        try:
            rows.extend(recording_rows(session_id, path, settings=settings, max_bytes=max_bytes))
        except FramesError as error:
            if errors == "raise":
                raise
            failures[str(session_id)] = str(error)
    frame = apply_schema(pd.DataFrame(rows), "recordings") if rows else empty_frame("recordings")
    frame.attrs.update(frame="recordings", schema_version=SCHEMA_VERSION)
    if errors == "report":
        frame.attrs["errors"] = failures
    return frame


def recording_rows(
    session_id: str,
    path: str | os.PathLike[str],
    *,
    settings: VadSettings | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[RowDict]:
    """The recordings-frame rows of one file (one per channel), as dicts.

    Raises:
        RecordingFormatError, FramesError: as :func:`recordings_frame`.
    """
    try:
        info, channels = analyse_recording(
            path, session_id=session_id, settings=settings, max_bytes=max_bytes
        )
    except RecordingFormatError:
        raise
    except OSError as error:
        subject = describe_subject(session_id)
        reason = f"cannot read recording {os.fspath(path)!r}: {error.strerror or error}"
        raise FramesError(reason, subject=subject) from error
    return [
        {
            "session_id": str(session_id),
            "path": os.fspath(path),
            "sample_rate": info.sample_rate,
            "channels": info.channels,
            "channel": stats.channel,
            "bit_depth": info.bits,
            "sample_format": info.format,
            "duration_sec": info.duration_sec,
            "bytes": info.bytes,
            "rms_dbfs": stats.rms_dbfs,
            "speech_sec": stats.speech_sec,
            "silence_ratio": stats.silence_ratio,
        }
        for stats in channels
    ]
