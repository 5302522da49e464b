"""The anywidget front-end pieces: links table, session table (ESM modules in ``static/``).

The transcript player has its own module (:mod:`._player`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

__all__ = ["LinksView", "SessionTableView", "STATIC"]

STATIC = Path(__file__).parent / "static"


class LinksView(anywidget.AnyWidget):
    """Candidate → session → link rows. ``rows`` hold masked links only.

    ``link_of(session_id)`` and ``csv_of()`` are plain Python callables (not state): the
    front-end asks for one link when the user clicks Reveal or Copy, or for the CSV file.
    """

    _esm = STATIC / "links.js"
    _css = STATIC / "widgets.css"
    rows = t.List(t.Dict()).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.link_of: Callable[[str], str] | None = None
        self.csv_of: Callable[[], str] | None = None
        self.on_error: Callable[[BaseException], None] | None = None
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        try:
            kind = content.get("type")
            if kind in ("reveal", "copy") and self.link_of is not None:
                session_id = str(content.get("session_id"))
                reply = "link" if kind == "reveal" else "copy"
                self.send(
                    {"type": reply, "session_id": session_id, "link": self.link_of(session_id)}
                )
            elif kind == "csv" and self.csv_of is not None:
                data = self.csv_of().encode("utf-8")
                self.send({"type": "csv", "filename": "zenhire-sessions.csv"}, [data])
        except Exception as error:
            if self.on_error is None:
                raise
            self.on_error(error)


class SessionTableView(anywidget.AnyWidget):
    """One page of session rows; headings sort, rows select, the pager pages (messages)."""

    _esm = STATIC / "table.js"
    _css = STATIC / "widgets.css"
    columns = t.List(t.List(t.Unicode())).tag(sync=True)
    rows = t.List(t.Dict()).tag(sync=True)
    sort_by = t.Unicode("created_at").tag(sync=True)
    ascending = t.Bool(False).tag(sync=True)
    selected = t.Unicode("").tag(sync=True)
    page = t.Int(0).tag(sync=True)
    pages = t.Int(1).tag(sync=True)
    info = t.Unicode("").tag(sync=True)
    empty_text = t.Unicode("No sessions match.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_request: Callable[[dict[str, Any]], None] | None = None
        self.on_msg(lambda _w, content, _b: self.on_request and self.on_request(content))
