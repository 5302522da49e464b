"""The results cache: location, namespacing, secrets, and two processes filling it at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from zenhire_nb.frames import CacheError, ResultsCache, default_cache_root, load_cohort
from zenhire_nb.sandbox.testing import token_of

_CHILD = """
import json, os, sys
from zenhire_nb import Client
from zenhire_nb.frames import load_cohort
with Client(os.environ["CHILD_KEY"], os.environ["CHILD_URL"]) as client:
    cohort = load_cohort(client, cache=sys.argv[1], progress=False, max_concurrency=4)
print(json.dumps({"sessions": len(cohort.sessions), "turns": len(cohort.turns),
                  "recordings": len(cohort.recordings), "failures": len(cohort.failures)}))
"""


def test_root_from_argument_then_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ZENHIRE_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_root(tmp_path / "arg") == tmp_path / "arg"
    assert default_cache_root() == tmp_path / "env"
    monkeypatch.delenv("ZENHIRE_CACHE_DIR")
    assert "zenhire-nb" in str(default_cache_root())


def test_namespaced_by_platform_and_tenant(tmp_path) -> None:
    one = ResultsCache("http://127.0.0.1:8000", "tenant-a", directory=tmp_path)
    two = ResultsCache("http://127.0.0.1:9000", "tenant-a", directory=tmp_path)
    three = ResultsCache("http://127.0.0.1:8000", "tenant-b", directory=tmp_path)
    assert len({one.path, two.path, three.path}) == 3
    assert one.path.name == "tenant-a" and one.path.parent.name.startswith("127.0.0.1_8000-")
    for cache in (one, two, three):
        cache.close()


def test_unsafe_names_are_refused(tmp_path) -> None:
    with pytest.raises(CacheError, match="client id"):
        ResultsCache("http://127.0.0.1:1", "../escape", directory=tmp_path)
    with (
        ResultsCache("http://127.0.0.1:1", "t", directory=tmp_path) as cache,
        pytest.raises(CacheError, match="session id"),
    ):
        cache.transcript_path("a/b")


def test_unusable_folder_is_a_clear_error(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CacheError, match="cannot open the results cache"):
        ResultsCache("http://127.0.0.1:1", "t", directory=blocker)


def test_only_completed_summaries_are_kept(tmp_path) -> None:
    with ResultsCache("http://127.0.0.1:1", "t", directory=tmp_path) as cache:
        cache.store_summary({"id": "s1", "status": "active"})
        cache.store_summary({"id": "s2", "status": "completed"})
        assert set(cache.entries()) == {"s2"}


def test_no_key_or_token_in_the_cache(
    zenhire_sandbox, zenhire_tenant, completed, cache_dir
) -> None:
    completed(2)
    with zenhire_tenant.client() as client:
        persona = client.personas.list()[0]
        created = client.sessions.create(persona.id, consent_mode="integrator")
        token = token_of(created.candidate_link)
        zenhire_sandbox.admin.start(created.id)  # an active session is listed, not cached
        load_cohort(client, status=None, cache=cache_dir, progress=False)
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".wav" for p in files)
    for path in files:
        data = path.read_bytes()
        assert zenhire_tenant.api_key.encode() not in data, path
        assert token.encode() not in data, path


def test_two_processes_fill_one_cache(zenhire_tenant, completed, cache_dir) -> None:
    completed(12)
    env = {**os.environ, "CHILD_KEY": zenhire_tenant.api_key, "CHILD_URL": zenhire_tenant.base_url}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(cache_dir)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert json.loads(out) == {"sessions": 12, "turns": 72, "recordings": 12, "failures": 0}
    index = next(cache_dir.rglob("index.sqlite3"))
    with sqlite3.connect(index) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (12,)
    assert not [p for p in cache_dir.rglob("*.part")]
    with zenhire_tenant.client() as client:  # and the result reads back whole
        cohort = load_cohort(client, cache=cache_dir, progress=False)
    assert cohort.failures.empty and len(cohort.recordings) == 12
    for path in cohort.transcript_paths.values():
        json.loads(Path(path).read_text())


class _LockedAtFirst:
    """A sqlite3 connection whose first WAL switches answer "database is locked" at once, as
    SQLite does (without waiting on the busy timeout) while another process converts the file."""

    def __init__(self, real: sqlite3.Connection, failures: int) -> None:
        self._real = real
        self.failures = failures

    def execute(self, sql: str, *args: object) -> object:
        if sql.startswith("PRAGMA journal_mode") and self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return self._real.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_index_open_retries_an_immediate_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zenhire_nb.frames import _index

    real_connect = sqlite3.connect
    made: list[_LockedAtFirst] = []

    def connect(*args: object, **kwargs: object) -> _LockedAtFirst:
        made.append(_LockedAtFirst(real_connect(*args, **kwargs), failures=3))
        return made[-1]

    monkeypatch.setattr(_index.sqlite3, "connect", connect)
    index = _index.SessionIndex(tmp_path / "index.sqlite3")
    index.put_transcript("session-1", True)
    assert made[0].failures == 0 and "session-1" in index.rows()
    index.close()


def test_index_open_does_not_hide_other_errors(tmp_path: Path) -> None:
    from zenhire_nb.frames import _index

    folder = tmp_path / "not-a-file.sqlite3"
    folder.mkdir()
    with pytest.raises(sqlite3.Error):
        _index.SessionIndex(folder)
