"""What the cache holds for each session of a cohort, read in one pass (index row + file stats).

One snapshot serves both questions a load asks before any frame is built: what still needs
fetching (:func:`~zenhire_nb.frames._cohort.plan_jobs`) and whether the memoised frames of the
cohort are still exact (:mod:`zenhire_nb.frames._memo`). It decodes no JSON and reads no file
content, so a warm load of hundreds of sessions pays one index query and two ``stat`` calls each.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from zenhire_nb.frames._index import IndexStamp
from zenhire_nb.frames.cache import ResultsCache

__all__ = ["CachedState", "cached_states"]

FileStamp = tuple[int, int]  # (size in bytes, modification time in ns)


class CachedState(NamedTuple):
    """One session's cache state; ``None`` members are missing (no index row, no file)."""

    stamp: IndexStamp | None
    transcript_file: FileStamp | None
    recording_file: FileStamp | None

    @property
    def transcript_ready(self) -> bool:
        """The transcript is indexed and its file exists."""
        return bool(self.stamp and self.stamp.has_transcript and self.transcript_file)

    @property
    def recording_ready(self) -> bool:
        """The recording is indexed and its file has the recorded size."""
        if self.stamp is None or self.stamp.recording_bytes is None or not self.recording_file:
            return False
        return self.recording_file[0] == self.stamp.recording_bytes

    def measured(self, vad: str) -> bool:
        """The recording rows in the index were measured under the settings keyed ``vad``."""
        return self.stamp is not None and self.stamp.measured_vad_key == vad


def cached_states(cache: ResultsCache, session_ids: list[str]) -> dict[str, CachedState]:
    """The :class:`CachedState` of every one of ``session_ids`` (a missing one has ``None``s).

    Raises:
        CacheError: the index cannot be read (names the cache folder).
    """
    stamps = cache.stamps(session_ids)
    return {
        sid: CachedState(
            stamps.get(sid),
            _file_stamp(cache.transcript_path(sid)),
            _file_stamp(cache.recording_path(sid)),
        )
        for sid in session_ids
    }


def _file_stamp(path: Path) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns
