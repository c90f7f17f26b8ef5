"""Load test: concurrent clients on GET /events against a live uvicorn server on 127.0.0.1.

Starts `eventcoder serve` on a store seeded with synthetic merged events (or uses --url), runs
--clients concurrent clients (httpx, asyncio) for --seconds, and prints one JSON line: requests,
errors, requests per second, p50/p99/max latency in ms.

Usage: .venv/bin/python bench/load.py [--clients 200] [--seconds 30] [--docs 300] [--url http://...]
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
from dedup_store import synthetic

from eventcoder.store import Store

SERVER = ("from eventcoder.api import serve; from eventcoder.config import load_config; "
          "serve(load_config(db={db!r}, port={port}, token='bench-only'))")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(db: str, n_docs: int) -> int:
    """Store synthetic articles; return the number of merged dataset events."""
    store = Store.open(db)
    try:
        for document, found in synthetic(n_docs):
            store.save(document, found)
        return store.count()
    finally:
        store.close()


def start_server(db: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start `eventcoder serve` in a subprocess and wait until /health answers."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER.format(db=db, port=port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 30 s")


async def client_loop(http: httpx.AsyncClient, until: float, latencies: list[float], errors: list[str],
                      number: int) -> None:
    """Ask for pages of /events (a few filters, varied by client) until ``until``."""
    queries = [{}, {"limit": 20, "offset": number % 50}, {"event_type": "ASSAULT"}, {"country": "AZE", "limit": 10}]
    turn = number
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            answer = await http.get("/events", params=queries[turn % len(queries)])
            if answer.status_code != 200:
                errors.append(f"HTTP {answer.status_code}")
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        latencies.append(time.perf_counter() - started)
        turn += 1


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
    parser.add_argument("--docs", type=int, default=300, help="synthetic articles to seed (5 events each)")
    parser.add_argument("--url", default=None, help="load this running server instead of starting one")
    args = parser.parse_args()
    process = None
    with tempfile.TemporaryDirectory() as folder:
        extra: dict[str, object] = {}
        url = args.url
        if url is None:
            db = str(Path(folder) / "load.sqlite")
            extra["dataset_events"] = seed(db, args.docs)
            process, url = start_server(db)
        try:
            result = asyncio.run(run_load(url, args.clients, args.seconds))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        print(json.dumps({"bench": "load", "endpoint": "GET /events", **result, **extra, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
