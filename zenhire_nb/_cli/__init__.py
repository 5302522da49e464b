"""The commands of ``zenhire-nb``: one module each, plus what they share.

Each command module declares its options with ``add_parser(commands)`` (argparse only, so that
``zenhire-nb --help`` stays instant) and imports the heavy parts (pandas, the sandbox, Whisper,
Dask, JupyterLab) inside the function that runs it. :mod:`.common` holds the platform options,
the client, one-line errors and the key scrubbing; :mod:`.query` turns the filter options into a
:class:`~zenhire_nb.frames.CohortQuery`; :mod:`.loading` loads a cohort and counts what was
downloaded.
"""

__all__: list[str] = []
