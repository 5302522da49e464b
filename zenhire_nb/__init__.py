"""zenhire-nb: run and study ZenHire AI voice interviews from Jupyter.

The public surface is this module's ``__all__``: the typed client and its errors, and the local
sandbox platform (imported lazily, so that ``import zenhire_nb`` does not start FastAPI).
Parts with heavier dependencies are sub-packages: :mod:`zenhire_nb.frames` (pandas DataFrames),
:mod:`zenhire_nb.stt` (speech-to-text check), :mod:`zenhire_nb.sandbox`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenhire_nb import client as _client
from zenhire_nb.client import *  # noqa: F403 (the client's curated __all__, re-exported whole)
from zenhire_nb.contract import (
    Credits,
    Feedback,
    Health,
    Persona,
    PersonaCreated,
    PersonaDetail,
    PersonaRef,
    SessionCreated,
    SessionSummary,
)

if TYPE_CHECKING:
    from zenhire_nb.sandbox import Sandbox

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Sandbox",
    "Credits",
    "Feedback",
    "Health",
    "Persona",
    "PersonaCreated",
    "PersonaDetail",
    "PersonaRef",
    "SessionCreated",
    "SessionSummary",
    *_client.__all__,
]


def __getattr__(name: str) -> Any:
    # The sandbox pulls in FastAPI and uvicorn: load it only when someone asks for it.
    if name == "Sandbox":
        from zenhire_nb.sandbox import Sandbox

        return Sandbox
    raise AttributeError(f"module 'zenhire_nb' has no attribute {name!r}")
