"""The client's public signatures are precise: no ``Any`` where the contract knows the type."""

from __future__ import annotations

import inspect
import re

import pytest

from zenhire_nb.client import AsyncClient, Client, errors
from zenhire_nb.client._async_resources import AsyncPersonas, AsyncSessions
from zenhire_nb.client._sync_resources import Personas, Sessions

PUBLIC_CLASSES = [
    Client,
    AsyncClient,
    Personas,
    Sessions,
    AsyncPersonas,
    AsyncSessions,
    errors.APIStatusError,
    errors.InvalidInputError,
]


def _public_callables(cls: type) -> list[tuple[str, object]]:
    found = []
    for name, member in vars(cls).items():
        if name.startswith("_") and name not in ("__init__", "__enter__", "__aenter__"):
            continue
        if isinstance(member, property):
            member = member.fget
        if callable(member):
            found.append((name, member))
    return found


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda cls: cls.__name__)
def test_no_any_in_public_signatures(cls: type) -> None:
    for name, member in _public_callables(cls):
        signature = str(inspect.signature(member))  # type: ignore[arg-type]
        assert not re.search(r"\bAny\b", signature), f"{cls.__name__}.{name}{signature}"


def test_sync_and_async_surfaces_match() -> None:
    # The generated twin has the same public methods with the same parameters.
    for sync_cls, async_cls in ((Client, AsyncClient), (Sessions, AsyncSessions)):
        sync_methods = dict(_public_callables(sync_cls))
        async_methods = dict(_public_callables(async_cls))
        renamed = {"close": "aclose", "__enter__": "__aenter__"}
        for name, method in sync_methods.items():
            twin = async_methods[renamed.get(name, name)]
            sync_params = list(inspect.signature(method).parameters)  # type: ignore[arg-type]
            assert sync_params == list(inspect.signature(twin).parameters), name  # type: ignore[arg-type]
