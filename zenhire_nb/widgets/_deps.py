"""The widget toolkit is optional: say clearly what to install where it is missing."""

from __future__ import annotations

import importlib

__all__ = ["WIDGETS_MISSING", "require_widgets"]

WIDGETS_MISSING = (
    "zenhire_nb.widgets needs ipywidgets 8 and anywidget, which are not installed here. "
    "Install them into the kernel's environment with: pip install 'zenhire-nb[widgets]' "
    "(then restart the kernel)."
)


def require_widgets() -> None:
    """Raise ImportError naming the missing packages and the install command."""
    missing = []
    for name in ("ipywidgets", "anywidget"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(f"{WIDGETS_MISSING} Missing: {', '.join(missing)}.", name=missing[0])
    import ipywidgets

    if int(ipywidgets.__version__.split(".")[0]) < 8:
        raise ImportError(f"{WIDGETS_MISSING} Found ipywidgets {ipywidgets.__version__}.")
