"""One stable palette: the same group name gets the same colour in every chart.

A colour is chosen from the group's *name* (a hash into :data:`PALETTE`), not from its position,
so "Data Analyst" is the same blue in a length chart, a credits chart and a report, whatever
other groups are on screen. Two names of one chart that hash to the same colour are separated
by moving the later one (in sorted order) to the next free colour, preferring a colour of a
hue family no other group of the chart uses (so a chart of four groups never shows two greens
or two blues while other hues are free). Status values have fixed, meaningful colours (failed
is red, completed green).

To pin colours across charts whose group sets differ, pass the same ``colors=`` mapping to each
(e.g. ``group_colors(all_group_names)``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

__all__ = ["PALETTE", "STATUS_COLORS", "group_colors"]

# Colour-blind-friendly qualitative colours (mostly Okabe-Ito), readable on white, with the
# hue family each belongs to: two colours of one family are told apart only side by side.
_COLOURS = (
    ("#0072B2", "blue"),
    ("#E69F00", "orange"),
    ("#009E73", "green"),
    ("#CC79A7", "pink"),
    ("#56B4E9", "blue"),  # sky
    ("#D55E00", "red"),  # vermilion
    ("#7F3C8D", "purple"),
    ("#8C6D31", "brown"),
    ("#882255", "wine"),
    ("#117733", "green"),  # forest, for when the other hues are taken
)
PALETTE = tuple(colour for colour, _ in _COLOURS)
_FAMILY = dict(_COLOURS)
STATUS_COLORS: Mapping[str, str] = {
    "completed": "#2E8B57",
    "failed": "#C0392B",
    "active": "#2F7FC1",
    "initiated": "#9AA0A6",
}
OTHER_COLOR = "#7F7F7F"  # one-group charts ("All sessions") and "(missing)"


def _slot(name: str) -> int:
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % len(PALETTE)


def group_colors(
    names: Iterable[str], *, colors: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A colour (``#rrggbb``) for each group name.

    Args:
        names: the group names of one chart (duplicates are ignored).
        colors: colours chosen by the caller; they win over the palette.

    Returns:
        ``{name: colour}`` in the order of ``names``. Deterministic: the same name gets the
        same colour whenever it does not collide with another name of the same call.
    """
    wanted = list(dict.fromkeys(str(name) for name in names))
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for name in wanted:
        fixed = (colors or {}).get(name) or STATUS_COLORS.get(name.split(":")[0])
        if fixed is not None:
            chosen[name] = fixed
            taken.add(fixed)
    for name in sorted(n for n in wanted if n not in chosen):
        if name in ("All sessions", "(missing)"):
            chosen[name] = OTHER_COLOR
            continue
        colour = _free_colour(_slot(name), taken)
        chosen[name] = colour
        taken.add(colour)
    return {name: chosen[name] for name in wanted}


def _free_colour(slot: int, taken: set[str]) -> str:
    """The name's own colour if free, else the next one of an unused hue family, else the
    next unused colour; with more groups than colours, the name's own colour again."""
    ring = [PALETTE[(slot + step) % len(PALETTE)] for step in range(len(PALETTE))]
    families = {_FAMILY.get(colour) for colour in taken}
    for colour in ring:
        if colour not in taken and _FAMILY[colour] not in families:
            return colour
    for colour in ring:
        if colour not in taken:
            return colour
    return ring[0]
