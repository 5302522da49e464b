"""The results browser: a filterable, sortable session table; the selected session's summary,
answers and transcript player below.

Sessions are listed in a background thread (the first page shows as soon as the first
hundred arrive); open sessions (initiated, active) refresh themselves every
``refresh_seconds`` in another background thread until :meth:`ResultsBrowser.close`.
Filtering, sorting and paging happen in the kernel on :class:`~.logic.table.SessionTable`;
only the visible page goes to the browser.
"""

from __future__ import annotations

import html
import threading
from datetime import date
from typing import Any

import ipywidgets as w

from zenhire_nb.client import Client
from zenhire_nb.frames import load_cohort
from zenhire_nb.widgets._common import MessageArea, guarded, html_table
from zenhire_nb.widgets._player import TranscriptPlayer
from zenhire_nb.widgets._views import SessionTableView
from zenhire_nb.widgets.logic.detail import answer_rows, summary_lines
from zenhire_nb.widgets.logic.table import COLUMNS, SessionTable, parse_metadata_filter

__all__ = ["ResultsBrowser"]

_STATUSES = ("initiated", "active", "completed", "failed")
_ALL = ""
_CHECKPOINT_PAGES = 10  # redraw while listing after the first page, then every 10 pages


class ResultsBrowser(w.VBox):
    """Browse the sessions of a client.

    Args:
        client: a :class:`~zenhire_nb.Client` (``None`` reads the environment).
        page_size: rows per page of the table.
        refresh_seconds: how often open sessions are refreshed (``0`` turns it off).
        load: start listing at once (``False``: call :meth:`reload` yourself).

    Side effects: two daemon threads (listing, refreshing), both stopped by :meth:`close`.
    """

    def __init__(
        self,
        client: Client | None = None,
        *,
        page_size: int = 25,
        refresh_seconds: float = 10.0,
        load: bool = True,
    ) -> None:
        self._client = client if client is not None else Client()
        self.table = SessionTable(page_size=page_size)
        self.refresh_seconds = refresh_seconds
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._loaded = threading.Event()
        self._threads: list[threading.Thread] = []
        self._detail_seq = 0
        self._loading = True
        self.messages = MessageArea()
        self.player: TranscriptPlayer | None = None
        self._build()
        super().__init__(self._layout(), layout=w.Layout(max_width="1100px"))
        self.add_class("zh-browser")
        if load:
            self.reload()

    def __repr__(self) -> str:
        return f"ResultsBrowser(sessions={len(self.table.frame)})"

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        small = w.Layout(width="230px")
        self.status = w.SelectMultiple(
            options=_STATUSES, description="Status", rows=4, layout=small
        )
        self.persona = w.Dropdown(
            options=[("All personas", _ALL)], description="Persona", layout=w.Layout(width="300px")
        )
        self.tag = w.Dropdown(options=[("All tags", _ALL)], description="Tag", layout=small)
        self.metadata = w.Text(
            description="Metadata",
            placeholder="key=value, …",
            layout=small,
            continuous_update=False,
        )
        self.created_from = w.DatePicker(description="From", layout=small)
        self.created_to = w.DatePicker(description="To", layout=small)
        self.search = w.Text(
            description="Search",
            placeholder="candidate or session id",
            layout=w.Layout(width="300px"),
        )
        self.clear_button = w.Button(description="Clear filters", icon="times")
        self.filter_messages = MessageArea()
        self.view = SessionTableView(
            columns=[list(pair) for pair in COLUMNS], info="Loading sessions…"
        )
        self.view.on_request = self._request
        self.detail = w.VBox([])
        for control in (
            self.status,
            self.persona,
            self.tag,
            self.metadata,
            self.created_from,
            self.created_to,
            self.search,
        ):
            control.observe(self._filter_changed, names=["value"])
        self.clear_button.on_click(lambda _: self.clear_filters())
        self.view.observe(self._selected, names=["selected"])

    def _layout(self) -> list[w.Widget]:
        filters = w.HBox(
            [
                self.status,
                w.VBox([self.persona, self.search, self.clear_button]),
                w.VBox([self.tag, self.metadata]),
                w.VBox([self.created_from, self.created_to]),
            ]
        )
        title = w.HTML("<h3 style='margin:4px 0'>Interview results</h3>")
        return [title, filters, self.filter_messages, self.view, self.messages, self.detail]

    # -- loading and refreshing --------------------------------------------------------------

    def reload(self) -> None:
        """List every session again in the background (the table keeps working meanwhile)."""
        self._start_thread(self._list_all, "zenhire-browser-list")
        if self.refresh_seconds and not any(
            t.name == "zenhire-browser-refresh" for t in self._threads
        ):
            self._start_thread(self._refresh_loop, "zenhire-browser-refresh")

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Block until the first full listing is in the table (for scripts and tests)."""
        return self._loaded.wait(timeout)

    def _start_thread(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _list_all(self) -> None:
        summaries = []
        pages = 0
        try:
            for summary in self._client.sessions.list(page_size=100):
                if self._stop.is_set():
                    return
                summaries.append(summary)
                if len(summaries) % 100 == 0:
                    pages += 1
                    if pages == 1 or pages % _CHECKPOINT_PAGES == 0:
                        self._replace(summaries, done=False)
            self._replace(summaries, done=True)
        except Exception as error:
            self.messages.error(error, subject="listing sessions")
            self._replace(summaries, done=True)
        finally:
            self._loaded.set()

    def _replace(self, summaries: list[Any], *, done: bool) -> None:
        from zenhire_nb.frames import sessions_frame

        frame = sessions_frame(summaries)
        with self._lock:
            self.table.replace_all(frame)
            self.table.set_filter(self.table.filter)
        self._loading = not done
        self._refresh_choices()
        self._redraw()

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            try:
                self.refresh_open()
            except Exception as error:  # shown, and the loop goes on
                self.messages.error(error, subject="refreshing open sessions")

    def refresh_open(self) -> int:
        """Fetch the open sessions again; returns how many rows changed."""
        with self._lock:
            open_ids = self.table.open_session_ids()
        if not open_ids:
            return 0
        fresh = [self._client.sessions.get(sid) for sid in open_ids if not self._stop.is_set()]
        with self._lock:
            changed = self.table.upsert(fresh)
            self.table.set_filter(self.table.filter)
        self._redraw(keep_page=True)
        return changed

    def close(self) -> None:
        """Stop the background threads, then close the widget and its children."""
        self._stop.set()
        if self.player is not None:
            self.player.close()
        for child in (
            self.view,
            self.status,
            self.persona,
            self.tag,
            self.metadata,
            self.created_from,
            self.created_to,
            self.search,
        ):
            child.close()
        super().close()

    @property
    def refreshing(self) -> bool:
        return any(t.name == "zenhire-browser-refresh" and t.is_alive() for t in self._threads)

    # -- the table ---------------------------------------------------------------------------

    def _redraw(self, *, keep_page: bool = False) -> None:
        with self._lock:
            table = self.table
            if not keep_page:
                table.set_page(table.page)
            rows = table.rows()
            first = table.page * table.page_size + 1 if rows else 0
            last = table.page * table.page_size + len(rows)
            info = (
                f"Showing {first:,}–{last:,} of {table.matching:,} matching sessions "
                f"({len(table.frame):,} loaded"
            )
            info += ", still loading…)" if self._loading else ")"
            with self.view.hold_sync():
                self.view.rows = rows
                self.view.sort_by = table.sort_by
                self.view.ascending = table.ascending
                self.view.page = table.page
                self.view.pages = table.pages
                self.view.info = info

    def _refresh_choices(self) -> None:
        with self._lock:
            personas = self.table.personas()
            tags = self.table.all_tags()
        keep_persona, keep_tag = self.persona.value, self.tag.value
        self.persona.options = [("All personas", _ALL), *personas]
        self.tag.options = [("All tags", _ALL), *[(tag, tag) for tag in tags]]
        self.persona.value = keep_persona if keep_persona in {p for _, p in personas} else _ALL
        self.tag.value = keep_tag if keep_tag in tags else _ALL

    @guarded("filter_messages")
    def _filter_changed(self, _change: dict[str, Any]) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        """Read the filter controls into the table and show page 1.

        Raises:
            ValueError: a bad metadata filter or an empty date range (shown under the filters).
        """
        self.filter_messages.clear()
        persona, tag = self.persona.value, self.tag.value
        with self._lock:
            self.table.update_filter(
                statuses=tuple(self.status.value),
                persona_ids=(persona,) if persona else (),
                tags=(tag,) if tag else (),
                metadata=parse_metadata_filter(self.metadata.value),
                created_from=_day(self.created_from.value),
                created_to=_day(self.created_to.value),
                search=self.search.value,
            )
        self._redraw()

    def clear_filters(self) -> None:
        with self.hold_trait_notifications():
            self.status.value = ()
            self.persona.value = _ALL
            self.tag.value = _ALL
            self.metadata.value = ""
            self.created_from.value = None
            self.created_to.value = None
            self.search.value = ""
        self.apply_filters()

    @guarded()
    def _request(self, content: dict[str, Any]) -> None:
        kind = content.get("type")
        with self._lock:
            if kind == "sort":
                self.table.set_sort(str(content.get("column")))
            elif kind == "page":
                self.table.set_page(int(content.get("page", 0)))
        self._redraw(keep_page=kind == "page")

    # -- the selected session ----------------------------------------------------------------

    def _selected(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.select(change["new"], background=True)

    def select(self, session_id: str, *, background: bool = False) -> None:
        """Show ``session_id``'s summary, answers and player (loading its results if needed)."""
        self._detail_seq += 1
        seq = self._detail_seq
        loading = w.HTML(f"<i>Loading session {html.escape(session_id)}…</i>")
        self.detail.children = [loading]
        if background:
            threading.Thread(target=self._show_detail, args=(session_id, seq), daemon=True).start()
        else:
            self._show_detail(session_id, seq)

    def _show_detail(self, session_id: str, seq: int) -> None:
        try:
            children = self._detail_children(session_id)
        except Exception as error:
            area = MessageArea()
            area.error(error, subject=f"session {session_id}")
            children = [area]
        if seq == self._detail_seq:  # a later selection wins
            self.detail.children = children

    def _detail_children(self, session_id: str) -> list[w.Widget]:
        summary = self._client.sessions.get(session_id)
        with self._lock:
            self.table.upsert([summary])
        # Facts in three label/value columns, lines at text height (an HTML widget's default
        # line height is that of an input box).
        facts = "".join(
            f"<b style='color:#555'>{html.escape(k)}</b><span>{html.escape(v)}</span>"
            for k, v in summary_lines(summary)
        )
        head = w.HTML(
            f"<h4 style='margin:8px 0 4px'>Session {html.escape(session_id)}</h4>"
            "<div style='display:grid;grid-template-columns:repeat(3, max-content minmax(0, 1fr));"
            f"gap:2px 10px;line-height:1.4'>{facts}</div>"
        )
        if summary.status != "completed":
            note = MessageArea()
            note.show("info", f"No answers or recording yet: the session is {summary.status}.")
            return [head, note]
        cohort = load_cohort(self._client, session_ids=[session_id], progress=False)
        rows = answer_rows(cohort.answers, session_id)
        answers = w.HTML(
            "<h4 style='margin:8px 0 4px'>Answers</h4>"
            + html_table(["#", "Question", "Answer", "Speaking", "Latency"], rows)
        )
        if self.player is None:
            self.player = TranscriptPlayer(self._client)
        self.player.show_session(session_id, cohort=cohort)
        return [
            head,
            answers,
            w.HTML("<h4 style='margin:8px 0 4px'>Recording and transcript</h4>"),
            self.player,
        ]


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None
