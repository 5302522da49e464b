"""What every command shares: the platform options, the client, and how errors are shown.

An error a user can fix (no key, an unknown persona, nothing matches, the platform said no) is
one line on stderr, ``zenhire-nb <command>: error: ...``, and exit status 1. Whatever is
printed, the API key never is: :class:`Console` replaces it with ``***`` in every line and
candidate links are shown masked, as the client's reprs do.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from zenhire_nb.client import Client

__all__ = [
    "CommandError",
    "Console",
    "add_platform_arguments",
    "command_parser",
    "open_client",
    "run_command",
]

# A candidate link's token (``...#t=<token>`` or ``?t=<token>``): shown masked if ever printed.
_LINK_TOKEN = re.compile(r"([#?&]t=)[A-Za-z0-9_\-]{8,}")


class CommandError(Exception):
    """A problem the user can fix; shown as one line, exit status 1."""


@dataclass
class Console:
    """Prints a command's lines with the API key and link tokens masked."""

    command: str
    secrets: list[str] = field(default_factory=list)
    out: TextIO | None = None
    err: TextIO | None = None

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return _LINK_TOKEN.sub(r"\1***", text)

    def say(self, text: str = "") -> None:
        print(self.scrub(text), file=self.out or sys.stdout, flush=True)

    def step(self, number: int, total: int, text: str) -> None:
        self.say(f"[{number}/{total}] {text}")

    def error(self, text: str) -> None:
        first = self.scrub(str(text)).strip().splitlines() or ["unknown error"]
        print(f"zenhire-nb {self.command}: error: {first[0]}", file=self.err or sys.stderr)

    def warn(self, text: str) -> None:
        print(
            f"zenhire-nb {self.command}: warning: {self.scrub(text)}", file=self.err or sys.stderr
        )

    @contextmanager
    def warnings_as_lines(self) -> Iterator[None]:
        """Python warnings of the parts (a partly failed load, say) as one plain line each."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        seen = set()
        for warning in caught:
            text = str(warning.message)
            if text not in seen and not issubclass(warning.category, DeprecationWarning):
                seen.add(text)
                self.warn(text)


def command_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    """A sub-command whose ``--help`` ends with examples (kept as written)."""
    return commands.add_parser(
        name,
        help=help,
        description=textwrap.fill(description, 88),
        epilog="examples:\n" + examples.rstrip() + "\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_platform_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "platform", "The API key is read from ZENHIRE_API_KEY only (never from the command line)."
    )
    group.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="platform origin (default: $ZENHIRE_BASE_URL, else the hosted platform)",
    )
    group.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="cache root for recordings, transcripts and checks "
        "(default: $ZENHIRE_CACHE_DIR, else the user cache folder)",
    )


def api_key_from_env() -> str:
    key = os.environ.get("ZENHIRE_API_KEY", "").strip()
    if not key:
        raise CommandError(
            "no API key: set the environment variable ZENHIRE_API_KEY "
            "(for a local sandbox, `zenhire-nb sandbox` prints one)"
        )
    return key


def open_client(args: argparse.Namespace, console: Console, **options: object) -> Client:
    """The client of the command's platform (``options`` go to :class:`Client`)."""
    from zenhire_nb.client import Client, ConfigurationError

    key = api_key_from_env()
    console.secrets.append(key)
    try:
        return Client(api_key=key, base_url=args.base_url, **options)  # type: ignore[arg-type]
    except ConfigurationError as error:
        raise CommandError(str(error)) from None


def run_command(console: Console, body: Callable[[], int]) -> int:
    """Run ``body``; an error becomes one line and a non-zero exit status."""
    from zenhire_nb.client import ZenHireError

    try:
        return body()
    except CommandError as error:
        console.error(str(error))
    except ZenHireError as error:  # the platform's (or the client's) own words name the thing
        console.error(f"{type(error).__name__}: {error}")
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except Exception:  # a bug: the whole story, but still without the key
        print(console.scrub(traceback.format_exc()), file=console.err or sys.stderr, end="")
        console.error("unexpected failure (traceback above)")
    return 1
