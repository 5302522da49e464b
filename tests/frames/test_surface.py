"""The public surface of zenhire_nb.frames is deliberate, and every schema is documented."""

from __future__ import annotations

import importlib
import pkgutil

import pandas as pd
import pytest

import zenhire_nb.frames as frames
from zenhire_nb.frames import SCHEMAS, schema_frame
from zenhire_nb.frames.schemas import empty_frame

PUBLIC_MODULES = [
    name
    for _, name, _ in pkgutil.iter_modules(frames.__path__, "zenhire_nb.frames.")
    if not name.rsplit(".", 1)[1].startswith("_")
]


@pytest.mark.parametrize("module_name", ["zenhire_nb.frames", *PUBLIC_MODULES])
def test_every_public_module_declares_all(module_name):
    module = importlib.import_module(module_name)
    assert isinstance(module.__all__, list)
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name}"


def test_package_exports_every_builder():
    for name in (
        "sessions_frame",
        "turns_frame",
        "answers_frame",
        "recordings_frame",
        "session_summary_frame",
        "parse_transcript",
        "read_wav_info",
    ):
        assert name in frames.__all__


def test_parsing_module_is_the_documented_seam():
    parsing = importlib.import_module("zenhire_nb.frames.parsing")
    for name in ("parse_transcript", "read_wav_info", "iter_wav_blocks", "WavInfo", "Turn"):
        assert name in parsing.__all__


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_schemas_are_documented_and_typed(name):
    table = schema_frame(name)
    assert list(table.columns) == ["column", "dtype", "description"]
    assert table["description"].str.len().min() > 5
    empty = empty_frame(name)
    assert list(empty.columns) == list(SCHEMAS[name])
    assert [str(t) for t in empty.dtypes] == list(table["dtype"])


def test_schemas_are_read_only():
    with pytest.raises(TypeError):
        SCHEMAS["turns"]["x"] = None  # type: ignore[index]


def test_time_columns_are_utc():
    for name, schema in SCHEMAS.items():
        for column, spec in schema.items():
            if spec.dtype.startswith("datetime64"):
                assert spec.dtype.endswith(", UTC]"), (name, column)
                assert column.endswith("_at")


def test_duration_columns_carry_units():
    for schema in SCHEMAS.values():
        for column in schema:
            if "duration" in column or "latency" in column:
                assert column.endswith(("_sec", "_min")), column


def test_empty_frame_is_a_dataframe():
    assert isinstance(empty_frame("turns"), pd.DataFrame)
