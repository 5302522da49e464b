"""Reading a response body under a size limit, decompressing it ourselves.

httpx decodes ``Content-Encoding`` chunk by chunk without an output bound: one 64 KiB gzip
chunk of zeros inflates to 64 MiB at once, so a 300 KB "gzip bomb" peaks at hundreds of MB
before anyone can count. The clients therefore read the raw bytes (``aiter_raw``) and decode
them here with ``zlib``'s ``max_length``, so no single step yields more than what is left of
the limit (plus one small slice), and the limit is enforced on the decoded size.

Only ``gzip`` and ``deflate`` (and ``identity``) are decoded, which is what the clients ask for
in ``Accept-Encoding``; a server that answers with anything else gets a clear error rather than
an unbounded third-party decoder.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator

import httpx

from zenhire_nb.client.errors import ResponseTooLargeError, ResponseValidationError

__all__ = ["ACCEPT_ENCODING", "BoundedBody"]

ACCEPT_ENCODING = "gzip, deflate"
_SLICE = 64 * 1024  # most decoded bytes handed out per step (beyond what the limit allows)


class _Inflater:
    """One zlib stream (gzip or deflate) decoded in bounded slices."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate = False
        self._started = False
        self._object = self._new()

    def _new(self) -> zlib._Decompress:
        if self._encoding == "gzip":
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def stream(self, source: Iterator[bytes], room: Callable[[], int]) -> Iterator[bytes]:
        """Decoded slices of what ``source`` yields, each at most ``room()`` (>= 1) bytes.

        Lazy: the next slice is decoded only when asked for, so a caller that stops at its
        limit never makes zlib produce the rest.
        """
        for data in source:
            pending = data
            while pending:
                try:
                    out = self._object.decompress(pending, max(1, min(room(), _SLICE)))
                except zlib.error:
                    retry_raw = self._encoding == "deflate" and not self._started
                    if retry_raw and not self._raw_deflate:
                        self._raw_deflate = True
                        self._object = self._new()
                        continue
                    raise
                self._started = True
                pending = self._object.unconsumed_tail
                if out:
                    yield out

    def flush(self) -> bytes:
        return self._object.flush()


class BoundedBody:
    """Decodes raw body chunks of ``response``, raising past ``limit`` decoded bytes.

    ``truncate=True`` (error bodies, read only for their message) stops quietly at the limit
    instead: :attr:`full` then tells the caller to stop reading.

    Raises:
        ResponseTooLargeError: ``Content-Length`` or the decoded size passes ``limit``.
        ResponseValidationError: an encoding the client did not ask for, or a corrupt stream.
    """

    def __init__(
        self, response: httpx.Response, *, limit: int, what: str, truncate: bool = False
    ) -> None:
        self.limit = limit
        self.what = what
        self.truncate = truncate
        self.decoded = 0
        self.full = False
        header = response.headers.get("Content-Encoding", "")
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        unknown = sorted(set(codings) - {"gzip", "x-gzip", "deflate"})
        if unknown:
            raise ResponseValidationError(
                f"{what}: the server sent Content-Encoding {header!r}; the client asked for "
                f"{ACCEPT_ENCODING!r} only and cannot safely decode {', '.join(unknown)}"
            )
        # Undone in reverse order of listing (the last coding listed was applied last).
        self._inflaters = [
            _Inflater("gzip" if c in ("gzip", "x-gzip") else "deflate") for c in reversed(codings)
        ]
        announced = response.headers.get("Content-Length", "")
        if not truncate and not codings and announced.isdigit() and int(announced) > limit:
            raise self._too_large(f"it announces {int(announced)} bytes")

    def whole(self, content: bytes) -> list[bytes]:
        """A body httpx already read and decoded (a response built in memory, e.g. by a
        ``MockTransport``): only the limit applies."""
        self._inflaters = []
        return self._take(iter([content]), 0)

    def feed(self, raw: bytes) -> list[bytes]:
        """The decoded bytes of the next raw chunk (possibly none)."""
        return self._take(iter([raw]), 0)

    def finish(self) -> list[bytes]:
        """What the decoders still hold once the raw body ended."""
        kept: list[bytes] = []
        for index, inflater in enumerate(self._inflaters):
            if self.full:
                break
            kept += self._take(iter([self._guarded(inflater.flush)]), index + 1)
        return kept

    def _room(self) -> int:
        return self.limit + 1 - self.decoded

    def _take(self, source: Iterator[bytes], first: int) -> list[bytes]:
        """Pass ``source`` through the inflaters from ``first`` on, counting what comes out."""
        for inflater in self._inflaters[first:]:
            source = inflater.stream(source, self._room)
        kept: list[bytes] = []
        try:
            for piece in source:
                if not piece:
                    continue
                room = self.limit - self.decoded
                if len(piece) > room:
                    if not self.truncate:
                        raise self._too_large(f"more than {self.limit} bytes after decoding")
                    kept.append(piece[:room])
                    self.decoded, self.full = self.limit, True
                    break
                kept.append(piece)
                self.decoded += len(piece)
        except zlib.error as exc:
            raise ResponseValidationError(f"{self.what}: corrupt compressed body ({exc})") from None
        return kept

    def _guarded(self, action: Callable[[], bytes]) -> bytes:
        try:
            return action()
        except zlib.error as exc:
            raise ResponseValidationError(f"{self.what}: corrupt compressed body ({exc})") from None

    def _too_large(self, detail: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{self.what}: the response is larger than the limit of {self.limit} bytes "
            f"({detail}); nothing was kept",
            limit=self.limit,
            what=self.what,
        )
