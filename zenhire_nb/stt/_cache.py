"""On-disk cache of transcriptions, keyed by session, settings and audio content.

Layout: ``<cache_dir>/transcripts/<session or "audio">/<settings key>-<audio sha256>.json``,
each file ``{"format": 1, "settings": {...}, "audio": {...}, "segments": [...]}``. Files are
written to a temporary name and renamed into place, so a crash never leaves a partial entry;
an unreadable entry is treated as missing (and overwritten by the next run).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ._engine_base import Segment, Word

__all__ = ["ScoreCache", "TranscriptCache"]

_FORMAT = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _folder(session: str | None) -> str:
    """The folder grouping one session's entries: its id made file-name safe. Why the dots
    rule: ``.`` is a safe character, but a name of dots only (``..``) would leave the root."""
    if not session:
        return "audio"
    folder = _UNSAFE.sub("_", session)[:100]
    return folder if folder.strip(".") else folder.replace(".", "_")


def _segment_from_dict(data: dict[str, Any]) -> Segment:
    words = tuple(Word(**word) for word in data["words"])
    return Segment(
        data["start"], data["end"], data["text"], words, data["avg_logprob"], data["no_speech_prob"]
    )


class TranscriptCache:
    """Transcriptions stored as JSON files under ``root`` (created on first write)."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root) / "transcripts"

    def path(self, session: str | None, settings_key: str, audio_digest: str) -> Path:
        """Where the entry for these keys lives; ``session`` only groups files (sanitised)."""
        return self.root / _folder(session) / f"{settings_key}-{audio_digest[:32]}.json"

    def load(self, path: Path) -> tuple[list[Segment], dict[str, Any]] | None:
        """The cached segments and audio summary, or None when absent or unreadable."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("format") != _FORMAT:
                return None
            segments = [_segment_from_dict(item) for item in document["segments"]]
            return segments, dict(document["audio"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(
        self, path: Path, settings: dict[str, Any], audio: dict[str, Any], segments: list[Segment]
    ) -> None:
        """Write one entry atomically (temporary file in the same folder, then rename)."""
        _write_json(
            path,
            {
                "format": _FORMAT,
                "settings": settings,
                "audio": audio,
                "segments": [segment.to_dict() for segment in segments],
            },
        )


class ScoreCache:
    """Forced scores of a session's turns, stored as JSON records under ``root``.

    Layout: ``<root>/scores/<session or "audio">/<key>.json`` with ``{"format": 1,
    "rows": [...]}``; written atomically like :class:`TranscriptCache`; an unreadable entry
    counts as missing.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root) / "scores"

    def path(self, session: str | None, key: str) -> Path:
        return self.root / _folder(session) / f"{key}.json"

    def load(self, path: Path) -> list[dict[str, Any]] | None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("format") != _FORMAT:
                return None
            return list(document["rows"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, path: Path, rows: list[dict[str, Any]]) -> None:
        _write_json(path, {"format": _FORMAT, "rows": rows})


def _write_json(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` atomically (temporary file in the same folder, then rename). No
    fsync: an entry lost in a crash is only computed again."""
    # Imported here like the other uses of the frames part: importing the stt package must not
    # load frames (and with it the client and httpx).
    from zenhire_nb.frames.cache import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(document).encode(), durable=False)
