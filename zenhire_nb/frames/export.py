"""Export a loaded cohort for other tools: frames as Parquet, recordings and transcripts as files.

::

    cohort = load_cohort(client, CohortQuery(persona_id="p_123"))
    export_cohort(cohort, "exports/p_123")
    # exports/p_123/sessions.parquet, turns.parquet, answers.parquet, recordings.parquet,
    #   summary.parquet, failures.parquet, manifest.json,
    #   recordings/<session id>.wav, transcripts/<session id>.json

Each Parquet file keeps the frame's dtypes (nullable integers and booleans, categorical
speaker, strings) and its times as UTC timestamps, so ``pandas.read_parquet``, DuckDB
(``SELECT * FROM 'exports/p_123/turns.parquet'``) and Polars read them as they are. Two columns
change shape on the way: ``tags`` is a list of strings, and ``metadata`` (free-form JSON of the
platform) is JSON text, since Parquet has no type for a mapping whose values may be of any kind
(``json.loads`` or DuckDB's JSON functions read it). :func:`read_export` gives back the frames
with the schemas of :mod:`zenhire_nb.frames.schemas` exactly.

Every file is written to a temporary name and renamed into place, so an interrupted export
never leaves a file that looks complete; a re-run copies only the recordings and transcripts
that are missing or differ in size. Nothing secret is written: the frames hold no API key and
no candidate link, and the frames' ``attrs`` (raw documents) are not exported.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from zenhire_nb._io import atomic_path
from zenhire_nb.frames._cohort import Cohort
from zenhire_nb.frames.errors import FramesError
from zenhire_nb.frames.schemas import SCHEMA_VERSION, SCHEMAS, STRING_DTYPE, apply_schema

__all__ = ["FRAME_NAMES", "ExportSummary", "export_cohort", "read_export", "write_frames"]

FRAME_NAMES = ("sessions", "turns", "answers", "recordings", "summary", "failures")
_SCHEMA_OF = {"summary": "session_summary"}  # frame name -> schema name, where they differ
_JSON_COLUMNS = ("metadata",)
_LIST_COLUMNS = ("tags",)


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_cohort` wrote: the folder, the frame files, and the artifacts copied
    now versus already there from an earlier run."""

    directory: Path
    frames: tuple[Path, ...]
    copied: int
    already_there: int


def export_cohort(
    cohort: Cohort,
    directory: str | os.PathLike[str],
    *,
    artifacts: bool = True,
    progress: bool = False,
) -> ExportSummary:
    """Write ``cohort``'s frames as Parquet and (``artifacts``) its cached files into a folder.

    Raises:
        FramesError: Parquet support (the ``pyarrow`` package) is missing, or a file cannot
            be written (names it; nothing half-written is left).
    """
    folder = Path(directory).expanduser()
    written = write_frames({name: getattr(cohort, name) for name in FRAME_NAMES}, folder)
    copied = already = 0
    if artifacts:
        pairs = [
            *(
                (path, folder / "transcripts" / f"{sid}.json")
                for sid, path in _sorted(cohort.transcript_paths)
            ),
            *(
                (path, folder / "recordings" / f"{sid}.wav")
                for sid, path in _sorted(cohort.recording_paths)
            ),
        ]
        for source, target in _progress(pairs, progress):
            if _copy_if_missing(source, target):
                copied += 1
            else:
                already += 1
    _write_manifest(folder, cohort, copied + already)
    return ExportSummary(folder, written, copied, already)


def write_frames(
    frames: Mapping[str, pd.DataFrame], directory: str | os.PathLike[str]
) -> tuple[Path, ...]:
    """Write each frame as ``<name>.parquet`` in a folder (created if missing), each file
    atomically and as :func:`export_cohort` writes it (no ``attrs``; ``metadata`` as JSON
    text, ``tags`` as lists). Returns the paths, in the order of ``frames``.

    Raises:
        FramesError: Parquet support (the ``pyarrow`` package) is missing, or a file cannot
            be written (names the folder; nothing half-written is left).
    """
    folder = Path(directory).expanduser()
    engine = _parquet_engine()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return tuple(
            _write_frame(frame, folder / f"{name}.parquet", engine)
            for name, frame in frames.items()
        )
    except OSError as error:
        raise FramesError(f"cannot write the export to {str(folder)!r}: {error}") from error


def read_export(directory: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The frames of an export folder, with this package's schemas (``metadata`` as dicts,
    ``tags`` as lists) restored.

    Raises:
        FramesError: a frame file is missing or unreadable (names it).
    """
    folder = Path(directory).expanduser()
    engine = _parquet_engine()
    frames = {}
    for name in FRAME_NAMES:
        path = folder / f"{name}.parquet"
        try:
            frame = pd.read_parquet(path, engine=engine)
        except (OSError, ValueError) as error:
            raise FramesError(f"cannot read exported frame {str(path)!r}: {error}") from error
        for column in _JSON_COLUMNS:
            if column in frame.columns:
                frame[column] = frame[column].map(_from_json, na_action="ignore")
        for column in _LIST_COLUMNS:
            if column in frame.columns:
                frame[column] = frame[column].map(list, na_action="ignore")
        schema = _SCHEMA_OF.get(name, name)
        frames[name] = apply_schema(frame, schema) if schema in SCHEMAS else _strings(frame)
    return frames


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    # Frames without a schema (failures) are all text, in the package's string dtype.
    return frame.astype({column: STRING_DTYPE for column in frame.columns})


def _write_frame(frame: pd.DataFrame, path: Path, engine: str) -> Path:
    table = frame.copy()
    table.attrs = {}  # raw documents and notes stay in memory; the file holds the table only
    for column in _JSON_COLUMNS:
        if column in table.columns:
            table[column] = pd.array(
                [
                    None if value is None else json.dumps(value, sort_keys=True)
                    for value in table[column]
                ],
                dtype="string",
            )
    for column in _LIST_COLUMNS:
        if column in table.columns:
            table[column] = [None if value is None else list(value) for value in table[column]]
    with atomic_path(path) as temporary:
        table.to_parquet(temporary, engine=engine, index=False)
    return path


def _copy_if_missing(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` atomically unless an equally large file is there."""
    try:
        if target.stat().st_size == source.stat().st_size:
            return False
    except FileNotFoundError:
        pass
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as temporary:
            shutil.copyfile(source, temporary)
    except OSError as error:
        raise FramesError(f"cannot copy {str(source)!r} to {str(target)!r}: {error}") from error
    return True


def _write_manifest(folder: Path, cohort: Cohort, artifact_count: int) -> None:
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "frames": {name: len(getattr(cohort, name)) for name in FRAME_NAMES},
        "artifacts": artifact_count,
        "notes": {
            "metadata": "JSON text (Parquet has no type for free-form JSON)",
            "times": "UTC",
        },
    }
    with atomic_path(folder / "manifest.json") as temporary:
        temporary.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _parquet_engine() -> str:
    try:
        import pyarrow  # noqa: F401
    except ImportError as error:
        raise FramesError(
            "exporting Parquet needs pyarrow: pip install 'zenhire-nb[export]'"
        ) from error
    return "pyarrow"


def _from_json(text: Any) -> Any:
    return json.loads(text) if isinstance(text, str) else text


def _sorted(paths: Mapping[str, Path]) -> list[tuple[str, Path]]:
    return sorted(paths.items())


def _progress(items: list[tuple[Path, Path]], enabled: bool) -> Any:
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="export", unit="file")
