"""Load test: concurrent clients reading GET /events pages against a live `eventcoder serve` on 127.0.0.1.

Seeds a store with --events dataset events (written straight into the dataset table from synthetic
reports of bench/dedup_store.py's stream, one report each: this measures reading, not merging), starts
`eventcoder serve --workers N` on it (or uses --url), runs --clients concurrent clients for --seconds,
each walking pages by cursor (keyset paging) with a few filters, and prints one JSON line: requests,
errors, requests per second, p50/p99/max latency in ms, the connections the clients opened, and the
CPU the server processes and this client process spent per request (what the machine's cores must
supply, which other processes on a shared machine do not change much), with the load average.
The target (issue 15): 200 clients, 100,000 events, --workers 2 on two cores: 0 errors and p99 <= 1000 ms.

The clients are what an API client does, with little Python in between, so that the figures are the
server's: each holds one keep-alive HTTP/1.1 connection (asyncio streams), asks for gzip (as browsers,
curl --compressed, requests and httpx do), reads the whole body and gunzips it (checking its CRC),
takes next_cursor from the page head (written before the items) and parses every --check-every'th
page as JSON. A failed request (reset, closed, timed out, not 200) counts as an error and is not
retried; the client opens a new connection for its next request.
With --spread, clients start their walks at different pages (cold pages, not one walk shared by all).

Usage: .venv/bin/python bench/load.py [--clients 200] [--seconds 30] [--events 100000] [--workers 2]
       [--spread EVENTS] [--store PATH] [--set NAME=VALUE] [--url http://...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from dedup_store import stream

from eventcoder import dedup
from eventcoder.store import Store
from eventcoder.store.schema import dataset_events, dataset_row

SERVER = ("from eventcoder.serving import serve; from eventcoder.config import load_config; "
          "serve(load_config(db={db!r}, port={port}, token='bench-only', **{settings!r}), {workers})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(db: str, n_events: int) -> int:
    """Write ``n_events`` dataset events (one synthetic report each); return how many the store holds."""
    store = Store.open(db)
    try:
        rows = []
        for _document, found in stream(n_events // 5 + 1):
            for event in found:
                record = event.to_dict()
                rows.append(dataset_row(dedup.merge([record], record["id"])))
        with store.engine.begin() as conn:
            for start in range(0, n_events, 5000):
                conn.execute(dataset_events.insert(), rows[start:min(start + 5000, n_events)])
        return store.count()
    finally:
        store.close()


def start_cursors(db: str, clients: int, spread: int) -> list[str | None]:
    """Return where each client starts its walk: client k of a filter at the cursor of the event k x ``spread``
    in the listing order (so that with ``spread``, clients read different pages from their first request)."""
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            keys = [str(key) for (key,) in conn.execute(
                sa.select(dataset_events.c.page_key).order_by(dataset_events.c.page_key))]
    finally:
        store.close()
    starts: list[str | None] = []
    for number in range(clients):
        position = (number // len(QUERIES)) * spread
        starts.append(keys[position % len(keys)] if spread and keys and position % len(keys) else None)
    return starts


def tree_cpu_seconds(pid: int) -> float | None:
    """Return the user + system CPU seconds of a process and its descendants (Linux /proc; None elsewhere)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    if pid not in times:
        return None
    tree = {pid}
    grew = True
    while grew:
        found = {c for c, p in parents.items() if p in tree} - tree
        grew = bool(found)
        tree |= found
    return sum(times[p] for p in tree)


def start_server(db: str, workers: int, settings: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start `eventcoder serve` in a subprocess and wait until /health answers."""
    port = _free_port()
    code = SERVER.format(db=db, port=port, workers=workers, settings=settings)
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


HEAD_LIMIT = 64 * 1024  # longest response head accepted
CURSOR = re.compile(rb'"next_cursor": ?(?:"([^"]+)"|null)')
QUERIES: list[dict[str, str | int]] = [{}, {"limit": 20}, {"event_type": "ASSAULT"}, {"country": "AZE", "limit": 10}]


class Connection:
    """One keep-alive HTTP/1.1 connection, as an API client holds it: GET, read the head, read the body
    (Content-Length or chunked), gunzip it when the server gzipped it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def get(self, target: str) -> tuple[int, bytes]:
        """Send one GET and return (status, decoded body); the connection is opened again when it was closed."""
        if self.writer is None or self.reader is None or self.reader.at_eof():
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        reader, writer = self.reader, self.writer
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n"
                     "Accept-Encoding: gzip\r\n\r\n".encode("ascii"))
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {name.strip().lower(): value.strip()
                   for name, _, value in (line.partition(":") for line in lines[1:] if line)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")  # no trailers are sent
            body = b"".join(parts)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        if headers.get("content-encoding") == "gzip":
            body = zlib.decompress(body, wbits=31)  # checks the gzip trailer's CRC and length
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def target(params: dict[str, str | int]) -> str:
    return "/events" + ("?" + urlencode(params) if params else "")


def next_cursor(body: bytes, check: bool) -> str | None:
    """Return the page's next_cursor: read from the page head (written before the items); with ``check``,
    parse the whole page as JSON and check it is a page of events."""
    if check:
        page = json.loads(body)
        if not isinstance(page.get("items"), list) or not isinstance(page.get("total"), int):
            raise ValueError("not a page of events")
        following = page.get("next_cursor")
        return str(following) if following else None
    found = CURSOR.search(body, 0, 1024)
    if found is None:
        raise ValueError("no next_cursor in the page head")
    return found.group(1).decode("ascii") if found.group(1) else None


async def client_loop(url: str, until: float, latencies: list[float], errors: list[str], number: int,
                      start: str | None, check_every: int, timeout: float, opened: list[int]) -> None:
    """Walk pages of /events by cursor (a few filters, varied by client) until ``until``; the first page after
    the cursor ``start``, and from the first page when the walk ends."""
    parts = urlsplit(url)
    connection = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
    base = QUERIES[number % len(QUERIES)]
    params: dict[str, str | int] = {**base, "cursor": start} if start else dict(base)
    done = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            status, body = await asyncio.wait_for(connection.get(target(params)), timeout)
            if status != 200:
                errors.append(f"HTTP {status}")
                params = dict(base)
            else:
                following = next_cursor(body, check=done % check_every == 0)
                params = {**base, "cursor": following} if following else dict(base)
        except (OSError, EOFError, asyncio.LimitOverrunError, TimeoutError, ValueError, IndexError,
                zlib.error) as exc:  # IncompleteReadError is an EOFError
            errors.append(type(exc).__name__)
            await connection.close()  # a fresh connection for the next request
        latencies.append(time.perf_counter() - started)
        done += 1
    await connection.close()
    opened.append(connection.opened)


async def run_load(url: str, clients: int, seconds: float, starts: list[str | None], check_every: int,
                   timeout: float) -> dict[str, object]:
    """Run ``clients`` concurrent loops for ``seconds``; return counts and latency percentiles."""
    latencies: list[float] = []
    errors: list[str] = []
    opened: list[int] = []
    until = time.monotonic() + seconds
    await asyncio.gather(*(client_loop(url, until, latencies, errors, n, starts[n], check_every, timeout, opened)
                           for n in range(clients)))
    ordered = sorted(latencies)
    cuts = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else [ordered[0]] * 99
    return {"clients": clients, "seconds": seconds, "requests": len(ordered), "errors": len(errors),
            "rps": round(len(ordered) / seconds, 1), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "error_kinds": sorted(set(errors))[:5], "connections_opened": sum(opened)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--events", type=int, default=100000, help="dataset events to seed the store with")
    parser.add_argument("--workers", type=int, default=2, help="server processes (eventcoder serve --workers)")
    parser.add_argument("--url", default=None, help="load this running server instead of starting one")
    parser.add_argument("--store", default=None, help="seeded store file, kept for the next run (seeded when "
                                                      "missing); default: a temporary one")
    parser.add_argument("--spread", type=int, default=0, metavar="EVENTS",
                        help="client k of a filter starts its walk at the k x EVENTS'th event (default 0: every "
                             "client starts at the first page, as people opening the web page do)")
    parser.add_argument("--check-every", type=int, default=20, metavar="N",
                        help="parse every Nth page as JSON and check it (the others: the next_cursor of the head)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a request may take (then an error)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a server setting (e.g. response_cache_mb=0), repeatable")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    process = None
    with tempfile.TemporaryDirectory() as folder:
        extra: dict[str, object] = {}
        url = args.url
        starts: list[str | None] = [None] * args.clients
        if url is None:
            db = args.store or str(Path(folder) / "load.sqlite")
            extra["dataset_events"] = _count(db) if Path(db).exists() else seed(db, args.events)
            extra["workers"] = args.workers
            extra["settings"] = settings
            starts = start_cursors(db, args.clients, args.spread)
            process, url = start_server(db, args.workers, settings)
        elif args.spread:
            raise SystemExit("--spread reads the start cursors from the store: it cannot be used with --url")
        try:
            server_before = tree_cpu_seconds(process.pid) if process is not None else None
            client_before = time.process_time()
            result = asyncio.run(run_load(url, args.clients, args.seconds, starts, max(args.check_every, 1),
                                          args.timeout))
            client_cpu = time.process_time() - client_before
            server_after = tree_cpu_seconds(process.pid) if process is not None else None
            requests = max(int(str(result["requests"])), 1)
            extra["client_cpu_ms_per_request"] = round(client_cpu * 1000 / requests, 2)
            if server_before is not None and server_after is not None:
                extra["server_cpu_s"] = round(server_after - server_before, 1)
                extra["server_cpu_ms_per_request"] = round((server_after - server_before) * 1000 / requests, 2)
            extra["load_average_1min"] = round(os.getloadavg()[0], 2)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        print(json.dumps({"bench": "load", "endpoint": "GET /events", "spread": args.spread, **result, **extra,
                          "cpus": os.cpu_count()}))


def _count(db: str) -> int:
    store = Store.open(db)
    try:
        return store.count()
    finally:
        store.close()

if __name__ == "__main__":
    main()
