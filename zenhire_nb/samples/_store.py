"""Write and read the sample frames: gzipped JSON lines plus the dtypes to restore.

JSON lines keep the list and dict columns (``tags``, ``metadata``) that CSV cannot, and need no
pyarrow. Times are written as ISO 8601 text in UTC; each frame's dtypes are saved next to it
(``<name>.dtypes.json``) so that reading gives back exactly the dtypes that were written.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from zenhire_nb.frames.schemas import SPEAKER_DTYPE, STRING_DTYPE

__all__ = ["read_frame", "write_frame"]


def write_frame(folder: Path, name: str, frame: pd.DataFrame) -> None:
    """Write ``frame`` as ``<name>.jsonl.gz`` and its dtypes as ``<name>.dtypes.json``."""
    dtypes = {column: str(dtype) for column, dtype in frame.dtypes.items()}
    text = frame.to_json(orient="records", lines=True, date_format="iso", date_unit="us")
    # mtime=0: the same frame gives the same bytes, so regenerating shows no spurious diff.
    with (
        open(folder / f"{name}.jsonl.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out,
    ):
        out.write(text.encode())
    (folder / f"{name}.dtypes.json").write_text(json.dumps(dtypes, indent=1) + "\n")


def _restore(series: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64"):
        return pd.to_datetime(series, utc=True, format="ISO8601").astype(dtype)
    if dtype == "string":
        return series.astype(STRING_DTYPE)
    if dtype == "category":
        return series.astype(SPEAKER_DTYPE)
    if dtype == "object":
        return series.astype(object).where(series.notna(), None)
    return series.astype(dtype)


def read_frame(folder: Path, name: str) -> pd.DataFrame:
    """The frame written by :func:`write_frame`, with its dtypes restored.

    Raises:
        FileNotFoundError: the sample ``name`` is not in ``folder``.
    """
    dtypes: dict[str, str] = json.loads((folder / f"{name}.dtypes.json").read_text())
    with gzip.open(folder / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        text = handle.read()
    if text.strip():
        # dtype=False: pandas must not guess; the saved dtypes decide.
        raw = pd.read_json(_lines(text), orient="records", lines=True, dtype=False)
    else:
        raw = pd.DataFrame()
    columns = {
        column: _restore(raw[column] if column in raw else pd.Series([], dtype=object), dtype)
        for column, dtype in dtypes.items()
    }
    return pd.DataFrame(columns)


def _lines(text: str):  # pandas reads a file-like object, not a literal string, without warning
    import io

    return io.StringIO(text)
