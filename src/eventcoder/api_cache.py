"""Answers of ``GET /events`` kept as their final bytes, with an ETag and 304 Not Modified.

A page of events is the same bytes for the same query as long as the store does not change, and many
clients ask for the same pages (everyone opening the web page asks for the first ones). ``PageCache``
answers ``GET /events`` before the route: it reads the store's version (one indexed row), and when it
has kept the answer to this query at this version, it sends the kept gzip bytes (or, to a client that
does not take gzip, those bytes unzipped) without routing, validation, query or compression. Otherwise
the route answers (with ``Accept-Encoding`` taken off, so its body is the JSON), and a 200 is gzipped
once and kept, least recently used first out past ``max_bytes``; any other answer is passed on as it is.

Every 200 carries a weak ETag (a digest of the JSON; the same whatever the encoding or the worker
process) and ``Cache-Control: no-cache``: a client that sends it back in ``If-None-Match`` gets 304 and
no body while the page is unchanged. A save bumps the store version, so no page of an older version is
ever served again (every worker process reads the version; the kept pages of older versions are dropped).
The key is the query's parameters, sorted by name (the order of a repeated name's values is kept, as the
route takes the last one): a query the route refused is never kept, so it is refused again.
"""

from __future__ import annotations

import asyncio
import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GZIP_LEVEL = 5  # a page compresses nearly as well as at 9 for a fraction of the CPU (it is done once per page)
MINIMUM_GZIP = 2048  # smaller bodies are sent as they are (as GZipMiddleware does)
PASSED_ON = {b"content-length", b"content-encoding", b"etag", b"vary", b"cache-control"}  # set here instead


@dataclass(frozen=True)
class Kept:
    """One kept answer: its headers (without length and encoding), body, whether gzipped, and ETag."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    gzipped: bool
    etag: bytes


def query_key(query_string: bytes) -> str:
    """Return the query's parameters sorted by name (stable: a repeated name keeps its values' order)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def etag_of(stored: bytes) -> bytes:
    """Return the weak ETag of a kept body (weak: the gzipped and the plain bytes carry the same one)."""
    return b'W/"' + hashlib.blake2b(stored, digest_size=16).hexdigest().encode("ascii") + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Say whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks), or is ``*``."""
    wanted = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return b"*" in wanted or etag.removeprefix(b"W/") in wanted


def accepts_gzip(accept_encoding: bytes) -> bool:
    """Say whether an Accept-Encoding header takes gzip (and does not refuse it with q=0)."""
    for item in accept_encoding.lower().split(b","):
        name, _, params = item.partition(b";")
        if name.strip() in (b"gzip", b"x-gzip", b"*"):
            quality = params.strip().removeprefix(b"q=")
            try:
                return not params.strip().startswith(b"q=") or float(quality) > 0
            except ValueError:
                return False
    return False


class PageCache:
    """ASGI middleware: keep and send the final bytes of ``GET path`` answers per store version (module doc)."""

    def __init__(self, app: ASGIApp, version: Callable[[], int], max_bytes: int, path: str = "/events",
                 make: Callable[[list[tuple[str, str]]], bytes | None] | None = None) -> None:
        self.app = app
        self.version = version
        self.make = make
        self.max_bytes = max_bytes
        self.path = path
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._kept_version: int | None = None
        self._size = 0
        self._pending: dict[str, tuple[int, asyncio.Future[Kept | None]]] = {}  # answers being made, by key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = query_key(scope.get("query_string", b""))
        version = self.version()
        kept = self._lookup(version, key)
        pending = self._pending.get(key)
        if kept is None and pending is not None and pending[0] == version:
            kept = await asyncio.shield(pending[1])  # the same page is being made: wait for it (None: not a 200)
        if kept is None:
            kept = await self._answer(scope, receive, send, key, version)
            if kept is None:
                return
        await self._send(kept, headers, send)

    def _lookup(self, version: int, key: str) -> Kept | None:
        if version != self._kept_version:  # the store changed: no kept page is right any more
            self._kept.clear()
            self._size = 0
            self._kept_version = version
            return None
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    async def _answer(self, scope: Scope, receive: Receive, send: Send, key: str, version: int) -> Kept | None:
        """Let the route answer; return what to send for a 200 (kept, if it fits), or pass the answer on. Requests
        for the same page meanwhile wait for this answer instead of making it again."""
        made: asyncio.Future[Kept | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = (version, made)
        kept: Kept | None = None
        try:
            kept = await self._make(scope, receive, send, key, version)
            return kept
        finally:
            made.set_result(kept)  # None (the waiters ask the route themselves) when it was no 200 or it failed
            if self._pending.get(key, (0, None))[1] is made:
                del self._pending[key]

    async def _make(self, scope: Scope, receive: Receive, send: Send, key: str, version: int) -> Kept | None:
        if self.make is not None:  # the page straight from the query string, in a worker thread (it queries)
            pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            made = await anyio.to_thread.run_sync(self.make, pairs)
            if made is not None:
                return self._keep(key, version, ((b"content-type", b"application/json"),), made)
        plain = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
        messages: list[Message] = []

        async def collect(message: Message) -> None:
            messages.append(message)

        await self.app({**scope, "headers": plain}, receive, collect)
        start = messages[0] if messages else {}
        if start.get("status") != 200 or any(m.get("more_body") for m in messages):
            for message in messages:
                await send(message)
            return None
        body = b"".join(m.get("body", b"") for m in messages[1:])
        headers = tuple((name, value) for name, value in start.get("headers", []) if name not in PASSED_ON)
        return self._keep(key, version, headers, body)

    def _keep(self, key: str, version: int, headers: tuple[tuple[bytes, bytes], ...], body: bytes) -> Kept:
        """Gzip a 200's body (when long enough), keep it if the store has not changed meanwhile and it fits."""
        gzipped = len(body) >= MINIMUM_GZIP
        if gzipped:
            packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            stored = packer.compress(body) + packer.flush()
        else:
            stored = body
        kept = Kept(headers, stored, gzipped, etag_of(stored))
        if version == self._kept_version and len(stored) <= self.max_bytes:  # not when the store changed meanwhile
            replaced = self._kept.pop(key, None)
            self._size -= len(replaced.body) if replaced is not None else 0
            self._kept[key] = kept
            self._size += len(stored)
            while self._size > self.max_bytes:
                _, old = self._kept.popitem(last=False)
                self._size -= len(old.body)
        return kept

    @staticmethod
    async def _send(kept: Kept, request_headers: dict[bytes, bytes], send: Send) -> None:
        headers = [*kept.headers, (b"etag", kept.etag), (b"cache-control", b"no-cache")]
        if kept.gzipped:
            headers.append((b"vary", b"Accept-Encoding"))
        condition = request_headers.get(b"if-none-match")
        if condition is not None and matches(condition, kept.etag):
            headers = [(name, value) for name, value in headers if name != b"content-type"]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = kept.body
        if kept.gzipped and accepts_gzip(request_headers.get(b"accept-encoding", b"")):
            headers.append((b"content-encoding", b"gzip"))
        elif kept.gzipped:
            body = zlib.decompress(body, wbits=16 + zlib.MAX_WBITS)
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
