"""Errors raised by :mod:`zenhire_nb.frames`.

::

    ZenHireError (zenhire_nb.client.errors) root of everything the package raises on purpose
    └── FramesError                         root of everything this part raises about data
        ├── TranscriptFormatError (ValueError) a transcript document this package cannot read
        ├── RecordingFormatError (ValueError)  a WAV that is corrupt, truncated or unsupported
        └── CacheError                         the results cache cannot be used (names the folder)

Frames sits above the client, so one ``except ZenHireError`` catches both a failed request
and unreadable data.

Each error names the session (or the file, when no session is known) and says what was found,
so a notebook user can find the bad item in a cohort of thousands. The messages never contain
the API key or a candidate link: frames never see either.
"""

from __future__ import annotations

from zenhire_nb.client.errors import ZenHireError

__all__ = ["CacheError", "FramesError", "RecordingFormatError", "TranscriptFormatError"]


class FramesError(ZenHireError):
    """Root of the errors about interview data (transcripts, recordings, frames).

    Attributes:
        subject: what the error is about, e.g. ``"session 1234"`` or ``"file 'a.wav'"``;
            ``None`` when the caller gave no name.
    """

    def __init__(self, message: str, *, subject: str | None = None) -> None:
        super().__init__(f"{subject}: {message}" if subject else message)
        self.subject = subject
        self.reason = message


class TranscriptFormatError(FramesError, ValueError):
    """A transcript document has a shape or a value this package cannot read."""


class RecordingFormatError(FramesError, ValueError):
    """A recording is not a readable RIFF/WAVE file within the supported formats and limits."""


class CacheError(FramesError):
    """The results cache folder or its index cannot be opened, read or written."""


def describe_subject(session_id: object | None = None, path: object | None = None) -> str | None:
    """The name used in error messages: the session when known, else the file, else ``None``."""
    if session_id is not None:
        return f"session {session_id}"
    if path is not None:
        return f"file {str(path)!r}"
    return None
