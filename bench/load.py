"""Load test: concurrent clients reading GET /events pages against a live `eventcoder serve` on 127.0.0.1.

Seeds a store with --events dataset events (written straight into the dataset table from synthetic
reports of bench/dedup_store.py's stream, one report each: this measures reading, not merging), starts
`eventcoder serve --workers N` on it (or uses --url), runs --clients concurrent clients (httpx, asyncio)
for --seconds, each walking pages by cursor (keyset paging) with a few filters, and prints one JSON
line: requests, errors, requests per second, p50/p99/max latency in ms, and the CPU seconds the server
processes and this client process spent (per request: what the machine's cores must supply, which other
processes on a shared machine do not change much). The target (issue 15): 200
clients, 100,000 events, --workers 2 on two cores: 0 errors and p99 <= 1000 ms.

Usage: .venv/bin/python bench/load.py [--clients 200] [--seconds 30] [--events 100000] [--workers 2]
       [--url http://...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from dedup_store import stream

from eventcoder import dedup
from eventcoder.store import Store
from eventcoder.store.schema import dataset_events, dataset_row

SERVER = ("from eventcoder.serving import serve; from eventcoder.config import load_config; "
          "serve(load_config(db={db!r}, port={port}, token='bench-only'), {workers})")


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


def start_server(db: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start `eventcoder serve` in a subprocess and wait until /health answers."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER.format(db=db, port=port, workers=workers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


async def client_loop(http: httpx.AsyncClient, until: float, latencies: list[float], errors: list[str],
                      number: int) -> None:
    """Walk pages of /events by cursor (a few filters, varied by client) until ``until``."""
    queries: list[dict[str, str | int]] = [{}, {"limit": 20}, {"event_type": "ASSAULT"},
                                           {"country": "AZE", "limit": 10}]
    base = queries[number % len(queries)]
    params = dict(base)
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            answer = await http.get("/events", params=params)
            if answer.status_code != 200:
                errors.append(f"HTTP {answer.status_code}")
                params = dict(base)
            else:
                following = answer.json().get("next_cursor")
                params = {**base, "cursor": following} if following else dict(base)
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        latencies.append(time.perf_counter() - started)


async def run_load(url: str, clients: int, seconds: float) -> dict[str, float | int]:
    """Run ``clients`` concurrent loops for ``seconds``; return counts and latency percentiles."""
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        until = time.monotonic() + seconds
        await asyncio.gather(*(client_loop(http, until, latencies, errors, n) for n in range(clients)))
    ordered = sorted(latencies)
    cuts = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else [ordered[0]] * 99
    return {"clients": clients, "seconds": seconds, "requests": len(ordered), "errors": len(errors),
            "rps": round(len(ordered) / seconds, 1), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "error_kinds": sorted(set(errors))[:5]}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--events", type=int, default=100000, help="dataset events to seed the store with")
    parser.add_argument("--workers", type=int, default=2, help="server processes (eventcoder serve --workers)")
    parser.add_argument("--url", default=None, help="load this running server instead of starting one")
    args = parser.parse_args()
    process = None
    with tempfile.TemporaryDirectory() as folder:
        extra: dict[str, object] = {}
        url = args.url
        if url is None:
            db = str(Path(folder) / "load.sqlite")
            extra["dataset_events"] = seed(db, args.events)
            extra["workers"] = args.workers
            process, url = start_server(db, args.workers)
        try:
            server_before = tree_cpu_seconds(process.pid) if process is not None else None
            client_before = time.process_time()
            result = asyncio.run(run_load(url, args.clients, args.seconds))
            client_cpu = time.process_time() - client_before
            server_after = tree_cpu_seconds(process.pid) if process is not None else None
            requests = max(int(result["requests"]), 1)
            extra["client_cpu_ms_per_request"] = round(client_cpu * 1000 / requests, 1)
            if server_before is not None and server_after is not None:
                extra["server_cpu_s"] = round(server_after - server_before, 1)
                extra["server_cpu_ms_per_request"] = round((server_after - server_before) * 1000 / requests, 1)
            extra["load_average_1min"] = round(os.getloadavg()[0], 2)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        print(json.dumps({"bench": "load", "endpoint": "GET /events", **result, **extra, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
