"""Pieces every widget uses: a visible message area, guarded callbacks, a task panel."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from zenhire_nb.widgets.logic.messages import describe_error
from zenhire_nb.widgets.logic.tasks import TaskRun

__all__ = ["MessageArea", "TaskPanel", "guarded", "html_table"]

log = logging.getLogger("zenhire_nb.widgets")

_STYLE = {
    "error": "background:#fdecea;border-left:4px solid #d93025;color:#5f1a14",
    "warning": "background:#fff8e1;border-left:4px solid #f9a825;color:#4e3b00",
    "info": "background:#e8f0fe;border-left:4px solid #1a73e8;color:#0d2d62",
    "ok": "background:#e6f4ea;border-left:4px solid #1e8e3e;color:#0d3b1e",
}


class MessageArea(w.HTML):
    """Plain-words messages shown in the widget (callback errors land here, never nowhere)."""

    def show(self, kind: str, *lines: str) -> None:
        body = "<br>".join(html.escape(line) for line in lines if line)
        self.value = (
            f'<div class="zh-msg zh-{kind}" style="{_STYLE[kind]};padding:6px 10px;'
            f'margin:4px 0;border-radius:3px">{body}</div>'
            if body
            else ""
        )

    def error(self, error: BaseException, *, subject: str = "") -> None:
        log.debug("widget action failed", exc_info=error)
        self.show("error", describe_error(error, subject=subject))

    def clear(self) -> None:
        self.value = ""


def guarded(area_name: str = "messages") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a widget method used as a callback: its errors go to ``self.<area_name>``."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:
                getattr(self, area_name).error(error)
                return None

        return wrapper

    return decorate


class TaskPanel(w.VBox):
    """Progress bar, status text, cancel, the failures (per item) and a retry button."""

    def __init__(self, what: str, *, describe_item: Callable[[Any], str] = str) -> None:
        self.what = what
        self.describe_item = describe_item
        self.bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="320px"))
        self.status = w.Label("")
        self.cancel_button = w.Button(description="Cancel", icon="stop", disabled=True)
        self.retry_button = w.Button(
            description="Retry failed", icon="redo", disabled=True, layout=w.Layout(width="auto")
        )
        self.failures = w.HTML("")
        self.run: TaskRun | None = None
        self.on_retry: Callable[[], None] | None = None
        self.cancel_button.on_click(lambda _: self.cancel())
        self.retry_button.on_click(lambda _: self.on_retry and self.on_retry())
        row = w.HBox([self.bar, self.status, self.cancel_button, self.retry_button])
        super().__init__([row, self.failures], layout=w.Layout(display="none"))

    def attach(self, run: TaskRun) -> None:
        """Show ``run``'s progress; call :meth:`update` from its ``on_update``."""
        self.run = run
        self.layout.display = None
        self.failures.value = ""
        self.bar.bar_style = ""
        self.update()

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self.status.value = f"{self.what}: cancelling (running items finish)…"

    def update(self) -> None:
        run = self.run
        if run is None:
            return
        progress = run.progress()
        self.bar.max = max(1, progress.total)
        self.bar.value = progress.finished
        self.status.value = f"{self.what}: {progress.text}"
        self.cancel_button.disabled = run.finished
        if run.finished:
            self.bar.bar_style = "danger" if progress.failed else "success"
            self.retry_button.disabled = not (run.failures or run.skipped)
            self._show_failures(run)

    def _show_failures(self, run: TaskRun) -> None:
        items = [
            (self.describe_item(item), describe_error(error))
            for item, error in run.failures.items()
        ]
        items += [(self.describe_item(item), "cancelled before it started") for item in run.skipped]
        if not items:
            self.failures.value = ""
            return
        self.failures.value = (
            f"<b>{len(items)} not done</b> (Retry failed runs only these):"
            + html_table(["Item", "What happened"], items)
        )


def html_table(headings: list[str], rows: list[tuple[Any, ...]], *, limit: int = 200) -> str:
    """A small escaped HTML table (at most ``limit`` rows, noting the rest)."""
    head = "".join(
        f"<th style='text-align:left;padding:2px 8px'>{html.escape(h)}</th>" for h in headings
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='padding:2px 8px;vertical-align:top'>{html.escape(str(c))}</td>"
            for c in row
        )
        + "</tr>"
        for row in rows[:limit]
    )
    more = f"<div>… and {len(rows) - limit} more</div>" if len(rows) > limit else ""
    style = "border-collapse:collapse;line-height:1.4"
    return f"<table class='zh-table' style='{style}'><tr>{head}</tr>{body}</table>{more}"
