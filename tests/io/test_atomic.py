"""The one atomic writer: the target holds the old file or the whole new one, never a part."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zenhire_nb import _io


def test_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    target.write_bytes(b"old")
    assert _io.write_atomically(target, b"new contents") == target
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_error_mid_write_leaves_nothing_behind(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "r.wav"
    target.write_bytes(b"old")
    with pytest.raises(type(error)), _io.atomic_file(target) as handle:
        handle.write(b"half of it")
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(_io.TEMP_SUFFIX)]
        assert len(temps) == 1 and temps[0].name.startswith(".r.wav.")  # beside the target
        raise error
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.wav"]


def test_an_uncommitted_atomic_file_is_discarded(tmp_path: Path) -> None:
    target = tmp_path / "download.wav"
    with _io.AtomicFile(target) as pending:
        pending.write(b"partial body")
    assert list(tmp_path.iterdir()) == []
    with _io.AtomicFile(target, durable=False) as pending:
        pending.write(b"whole body")
        assert pending.commit() == target
    assert target.read_bytes() == b"whole body" and list(tmp_path.iterdir()) == [target]


def test_a_failed_rename_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    (target / "inside").write_bytes(b"x")  # os.replace cannot put a file over a folder
    with pytest.raises(OSError), _io.atomic_file(target) as handle:
        handle.write(b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def test_atomic_path_serves_writers_that_take_a_path(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"payload")
    target = tmp_path / "target.bin"
    with _io.atomic_path(target) as temp:
        assert temp.parent == tmp_path and temp.is_file()
        os.replace(source, temp)
    assert target.read_bytes() == b"payload"
    with pytest.raises(ValueError), _io.atomic_path(target) as temp:
        temp.write_bytes(b"never seen")
        raise ValueError("copy failed")
    assert target.read_bytes() == b"payload"
    assert [p.name for p in tmp_path.iterdir()] == ["target.bin"]


def test_a_missing_folder_is_an_os_error_naming_nothing_left(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _io.write_atomically(tmp_path / "missing" / "x", b"")
    assert list(tmp_path.iterdir()) == []
