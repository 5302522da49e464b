"""Client configuration: API key and base URL from arguments or the environment.

The environment is read when a client is built, never at import time, so a notebook can set
``os.environ`` after importing the package.
"""

from __future__ import annotations

import os
from typing import NoReturn
from urllib.parse import urlsplit

from zenhire_nb.client.errors import ConfigurationError

__all__ = ["DEFAULT_BASE_URL", "Secret", "resolve_api_key", "resolve_base_url"]

DEFAULT_BASE_URL = "https://platform.zenhire.ai"
API_KEY_ENV = "ZENHIRE_API_KEY"
BASE_URL_ENV = "ZENHIRE_BASE_URL"

# Suffixes users copy from the docs; the client wants the bare origin.
_API_SUFFIXES = ("/api/v1/interview", "/api/v1")


class Secret:
    """A string that never shows itself in ``repr``/``str``; ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        # Pickling would write the key to disk (e.g. a dask task graph): refuse.
        raise TypeError("an API key is not picklable")


def resolve_api_key(api_key: str | None) -> Secret:
    """The key from the argument, else ``ZENHIRE_API_KEY``.

    Raises ConfigurationError (without echoing any value) when neither is a non-empty string.
    """
    if api_key is None:
        api_key = os.environ.get(API_KEY_ENV)
    if not isinstance(api_key, str) or not api_key.strip():
        raise ConfigurationError(
            "no ZenHire API key: pass Client(api_key='zh_api_...') or set the environment "
            f"variable {API_KEY_ENV} (for example in a notebook: "
            f"os.environ['{API_KEY_ENV}'] = '...'; for a local sandbox use sb.client())"
        )
    key = api_key.strip()
    if any(ch in key for ch in "\r\n"):
        raise ConfigurationError("the API key holds a line break; check how it was pasted")
    return Secret(key)


def resolve_base_url(base_url: str | None) -> str:
    """The platform origin from the argument, else ``ZENHIRE_BASE_URL``, else the hosted one.

    A URL ending in ``/api/v1/interview`` or ``/api/v1`` is cut back to its origin. Raises
    ConfigurationError naming the value when it is not an http(s) URL.
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    url = base_url.strip().rstrip("/")
    for suffix in _API_SUFFIXES:
        if url.endswith(suffix):
            url = url[: -len(suffix)].rstrip("/")
            break
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"base_url {base_url!r} is not an http(s) URL such as 'https://platform.zenhire.ai'"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError(
            f"base_url must be a plain origin without credentials, query or fragment: {url!r}"
            if not (parts.username or parts.password)
            else "base_url must not hold credentials; pass the API key as api_key="
        )
    return url
