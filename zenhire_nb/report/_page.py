"""The report's HTML: one self-contained page (styles inline, plotly.js embedded once).

Every piece of text that comes from data (candidate references, transcripts, tags, question
text) goes through :func:`text` or :func:`table`, which escape it: a transcript is input from a
person and must never become markup in a page someone opens.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["Section", "page", "table", "text"]

_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933;
       margin: 0; background: #f5f7fa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
header { border-bottom: 1px solid #d9e2ec; margin-bottom: 16px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 36px 0 8px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 24px 0 4px; }
p.lead { color: #52606d; margin: 0 0 12px; }
p.note { color: #52606d; font-size: 13px; margin: 4px 0 12px; }
.figure { background: #fff; border: 1px solid #e4e7eb; border-radius: 6px; padding: 8px;
          margin: 8px 0 20px; }
.error { background: #fff5f5; border: 1px solid #f5a3a3; color: #8a1c1c; padding: 8px 12px;
         border-radius: 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid #e4e7eb; border-radius: 6px; padding: 10px 16px;
        min-width: 150px; }
.card b { display: block; font-size: 22px; }
.card span { color: #52606d; font-size: 13px; }
table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 8px 0 16px;
        width: 100%; }
th, td { border: 1px solid #e4e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
blockquote { margin: 4px 0; padding: 2px 10px; border-left: 3px solid #9fb3c8; color: #334e68; }
nav a { margin-right: 14px; color: #2f6fbf; text-decoration: none; }
"""


@dataclass(frozen=True)
class Section:
    """One part of the report: an anchor, a heading, and its HTML body (already escaped)."""

    anchor: str
    title: str
    body: str


def text(value: object) -> str:
    """``value`` as escaped HTML text (``""`` for missing values)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int):
        return f'<td class="num">{value:,}</td>'
    if isinstance(value, float):
        shown = "" if math.isnan(value) else f"{value:,.1f}"
        return f'<td class="num">{shown}</td>'
    return f"<td>{text(value)}</td>"


def table(frame: pd.DataFrame, *, columns: Sequence[str] | None = None) -> str:
    """An HTML table of ``frame`` (the named ``columns``, in order), values escaped."""
    shown = frame if columns is None else frame[list(columns)]
    head = "".join(f"<th>{text(column)}</th>" for column in shown.columns)
    rows = "".join(
        "<tr>" + "".join(_cell(_plain(value)) for value in row) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _plain(value: object) -> object:
    # numpy scalars print like Python's but are not int/float instances for _cell.
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def page(title: str, lead: str, sections: Iterable[Section], plotly_js: str) -> str:
    """The whole HTML document: ``plotly_js`` (the library's source) is inlined once."""
    parts = list(sections)
    nav = "".join(f'<a href="#{s.anchor}">{text(s.title)}</a>' for s in parts)
    body = "".join(f'<h2 id="{s.anchor}">{text(s.title)}</h2>{s.body}' for s in parts)
    # "</script" inside the library would end the element early; it is escaped as JS allows.
    script = plotly_js.replace("</script", "<\\/script")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{_STYLE}</style>"
        f"<script>{script}</script></head>"
        f'<body><main><header><h1>{text(title)}</h1><p class="lead">{lead}</p>'
        f"<nav>{nav}</nav></header>{body}</main></body></html>\n"
    )
