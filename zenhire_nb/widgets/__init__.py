"""Notebook widgets for running and studying interviews (ipywidgets 8 + anywidget).

::

    from zenhire_nb.widgets import SessionLauncher, ResultsBrowser, TranscriptPlayer
    SessionLauncher(client)            # start a batch of interviews, get the links
    ResultsBrowser(client)             # browse sessions; select one for its summary and player
    TranscriptPlayer(client, sid)      # the recording beside its transcript
    CohortDashboard(client)            # groups, charts and the STT check

Each widget is a thin view over plain functions in :mod:`zenhire_nb.widgets.logic` (no widget
code there). Secrets stay out of widget state: the client (and its API key) is a plain Python
attribute, candidate links reach the browser only as messages when a row is revealed or
copied, and audio is sent as a message, never as saved state.

Importing this package where ipywidgets or anywidget is missing raises ImportError saying what
to install (``pip install 'zenhire-nb[widgets]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zenhire_nb.widgets._deps import require_widgets

require_widgets()

if TYPE_CHECKING:
    from zenhire_nb.widgets._browser import ResultsBrowser
    from zenhire_nb.widgets._dashboard import CohortDashboard
    from zenhire_nb.widgets._launcher import SessionLauncher
    from zenhire_nb.widgets._player import TranscriptPlayer

__all__ = ["CohortDashboard", "ResultsBrowser", "SessionLauncher", "TranscriptPlayer"]

_WHERE = {
    "CohortDashboard": "_dashboard",
    "ResultsBrowser": "_browser",
    "SessionLauncher": "_launcher",
    "TranscriptPlayer": "_player",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the dashboard pulls in plotly, the browser pandas frames.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"zenhire_nb.widgets.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'zenhire_nb.widgets' has no attribute {name!r}")
