"""What the widgets do, as plain functions and small classes: no ipywidgets import here.

Every action a widget offers lives in one of these modules and is tested without a widget:

- :mod:`.batch`: candidate lists (typed, pasted, CSV), the pre-start plan (balance, needed
  credits, open sessions), starting a batch without inviting anyone twice, the links table.
- :mod:`.messages`: client errors in plain words, naming what caused them.
- :mod:`.table`: filtering, sorting and paging a sessions frame (thousands of rows).
- :mod:`.player`: the transcript player's turns, with the STT check's flags.
- :mod:`.tasks`: background work with progress, cancel, per-item failures and retry.
- :mod:`.groups`: the dashboard's groups as :class:`~zenhire_nb.frames.CohortQuery` objects.
"""

from __future__ import annotations

__all__: list[str] = []
