"""Load a cohort for a command, counting what actually came over the network.

The frames cache decides what to fetch (only what it does not hold); the client here sends
through an ``httpx.Client`` whose response hook notes every transcript and recording the
platform served, so a command can say "downloaded 3, 21 already cached" and a re-run can be
seen to fetch nothing.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zenhire_nb._cli.common import CommandError, Console, open_client

if TYPE_CHECKING:
    import httpx

    from zenhire_nb.client import Client
    from zenhire_nb.frames import Cohort, CohortQuery

__all__ = ["Downloads", "counting_client", "describe_load", "load_for_command"]

_ARTIFACT = re.compile(r"/sessions/([^/]+)/(transcript|recording)$")


@dataclass
class Downloads:
    """Sessions whose transcript or recording the platform served during one command."""

    transcripts: set[str] = field(default_factory=set)
    recordings: set[str] = field(default_factory=set)

    def note(self, response: httpx.Response) -> None:
        match = _ARTIFACT.search(response.request.url.path)
        if match and response.is_success:
            kind = self.transcripts if match[2] == "transcript" else self.recordings
            kind.add(match[1])


@contextmanager
def counting_client(
    args: argparse.Namespace, console: Console
) -> Iterator[tuple[Client, Downloads]]:
    """The command's client, and the record of what it downloads."""
    import httpx

    downloads = Downloads()
    http = httpx.Client(
        headers={"User-Agent": "zenhire-nb"}, event_hooks={"response": [downloads.note]}
    )
    try:
        with open_client(args, console, http_client=http) as client:
            yield client, downloads
    finally:
        http.close()


def load_for_command(
    client: Client,
    query: CohortQuery,
    cache_dir: str | os.PathLike[str] | None,
    console: Console,
    *,
    recordings: bool = True,
) -> Cohort:
    """:func:`~zenhire_nb.frames.load_cohort` with a progress bar, through the cache under
    ``cache_dir`` (``None``: the default root); nothing matching is an error naming the query."""
    from zenhire_nb.frames import load_cohort

    with console.warnings_as_lines():
        cohort = load_cohort(client, query, cache=cache_dir, recordings=recordings, progress=True)
    if cohort.sessions.empty and cohort.failures.empty:
        raise CommandError(f"no session matches {query!r}")
    if cohort.sessions.empty:
        first = cohort.failures.iloc[0]
        raise CommandError(
            f"no session could be loaded ({len(cohort.failures)} failed; first: "
            f"session {first['session_id']}: {first['stage']}: {first['message']})"
        )
    return cohort


def describe_load(cohort: Cohort, downloads: Downloads) -> str:
    """One line: how many sessions, what was downloaded, what the cache already had."""
    completed = int((cohort.sessions["status"] == "completed").sum())
    fetched = downloads.transcripts | downloads.recordings
    cached = len(set(cohort.transcript_paths) - fetched)
    return (
        f"{len(cohort.sessions)} sessions ({completed} completed): downloaded "
        f"{len(downloads.transcripts)} transcripts and {len(downloads.recordings)} recordings, "
        f"{cached} sessions already in the cache ({cohort.cache_dir})"
    )
