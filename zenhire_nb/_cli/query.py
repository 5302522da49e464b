"""The cohort filter options of ``report``, ``fetch`` and ``check``, as one CohortQuery.

``--persona`` takes a persona id or a role name (matched without regard to case); the name is
looked up in the platform's personas, so a typo is an error naming what exists instead of an
empty cohort.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from zenhire_nb._cli.common import CommandError

if TYPE_CHECKING:
    from zenhire_nb.client import Client
    from zenhire_nb.frames import CohortQuery

__all__ = ["QUERY_EXAMPLES", "add_query_arguments", "query_from_args"]

_LIST_FILTERS = ("tags", "metadata", "candidate_ref", "created_after", "created_before")
_OPTIONS = {  # CohortQuery field -> the option that sets it
    "created_after": "--created-after",
    "created_before": "--created-before",
    "candidate_ref": "--candidate-ref",
    "session_ids": "--session-id",
    "metadata": "--metadata",
    "tags": "--tag",
}
_STATUSES = ("completed", "failed", "active", "initiated", "any")
QUERY_EXAMPLES = """\
  --persona "Data Analyst" --tag batch-7        one persona (id or role name), one tag
  --metadata region=emea --status any           a metadata value, every status
  --created-after 2026-11-01 --created-before 2026-12-01
  --session-id 0b7c... --session-id 4f21...     exactly these sessions
"""


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "which sessions", "Filters combine (AND); without any, every completed session."
    )
    group.add_argument("--persona", metavar="ID_OR_ROLE", help="persona id or role name")
    group.add_argument(
        "--tag", action="append", dest="tags", metavar="TAG", help="has this tag (repeatable)"
    )
    group.add_argument(
        "--metadata",
        action="append",
        metavar="KEY=VALUE",
        help="metadata KEY equals VALUE (repeatable)",
    )
    group.add_argument(
        "--status",
        choices=_STATUSES,
        default="completed",
        help="session status (default: %(default)s; 'any': every status)",
    )
    group.add_argument("--candidate-ref", metavar="REF", help="your reference of the candidate")
    group.add_argument("--created-after", metavar="WHEN", help="ISO date or time (UTC if naive)")
    group.add_argument("--created-before", metavar="WHEN", help="ISO date or time (UTC if naive)")
    group.add_argument(
        "--session-id",
        action="append",
        dest="session_ids",
        metavar="ID",
        help="exactly this session (repeatable; no other filter but --status)",
    )


def _metadata(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--metadata wants KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value
    return pairs


def resolve_persona(client: Client, wanted: str) -> str:
    """The id of the persona ``wanted`` names (its id, or its role name)."""
    personas = client.personas.list()
    for persona in personas:
        if persona.id == wanted:
            return str(persona.id)
    named = [p for p in personas if p.role_name.casefold() == wanted.strip().casefold()]
    if len(named) == 1:
        return str(named[0].id)
    if len(named) > 1:
        ids = ", ".join(str(p.id) for p in named)
        raise CommandError(
            f"persona {wanted!r} is ambiguous ({len(named)} personas: {ids}); pass an id"
        )
    known = sorted({p.role_name for p in personas})
    shown = ", ".join(repr(name) for name in known[:10]) + (" ..." if len(known) > 10 else "")
    raise CommandError(
        f"unknown persona {wanted!r}: "
        + (f"the platform has {shown}" if known else "the platform has none")
    )


def query_from_args(args: argparse.Namespace, client: Client) -> CohortQuery:
    """The :class:`CohortQuery` of the filter options (persona names looked up)."""
    from zenhire_nb.frames import CohortQuery

    fields: dict[str, Any] = {
        "status": None if args.status == "any" else args.status,
        "tags": args.tags,
        "metadata": _metadata(args.metadata),
        "candidate_ref": args.candidate_ref,
        "created_after": args.created_after,
        "created_before": args.created_before,
        "session_ids": args.session_ids,
    }
    combined = [n for n in _LIST_FILTERS if fields[n]] + (["persona"] if args.persona else [])
    if args.session_ids and combined:
        raise CommandError("--session-id cannot be combined with other filters (except --status)")
    try:
        CohortQuery(**fields)  # bad dates and the like, before any request
    except (TypeError, ValueError) as error:
        raise CommandError(_option_words(str(error))) from None
    if args.persona:
        fields["persona_id"] = resolve_persona(client, args.persona)
    return CohortQuery(**fields)


def _option_words(message: str) -> str:
    """A query error in the command's words (``created_after`` -> ``--created-after``)."""
    for name, option in _OPTIONS.items():
        message = message.replace(name, option)
    return message
