"""Where the speech-to-text caches put a session's entries: always inside their root."""

from __future__ import annotations

from pathlib import Path

import pytest

from zenhire_nb.stt._cache import ScoreCache, TranscriptCache


@pytest.mark.parametrize("session", ["..", ".", "../..", "a/../../b", "/etc/passwd", "x" * 300])
def test_any_session_id_stays_inside_the_root(tmp_path: Path, session: str) -> None:
    for path in (
        TranscriptCache(tmp_path).path(session, "settings", "0" * 64),
        ScoreCache(tmp_path).path(session, "key"),
    ):
        resolved = path.resolve()
        assert resolved.is_relative_to(tmp_path.resolve() / path.relative_to(tmp_path).parts[0])
        assert len(resolved.relative_to(tmp_path.resolve()).parts) == 3, path


def test_ordinary_ids_keep_their_name_and_none_groups_as_audio(tmp_path: Path) -> None:
    cache = TranscriptCache(tmp_path)
    assert cache.path("ses_1.a-b", "k", "0" * 64).parent.name == "ses_1.a-b"
    assert cache.path(None, "k", "0" * 64).parent.name == "audio"
    assert ScoreCache(tmp_path).path("", "k").parent.name == "audio"
