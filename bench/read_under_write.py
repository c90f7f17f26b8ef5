"""Read latency (GET /health, GET /events) while 60 articles are POSTed and coded by `eventcoder serve`.

Starts the real server (coding queue, child coding process) on a free loopback port with a fresh store,
posts the articles at once from 60 threads, and reads in a loop until every job is done. Target (issue 18):
read p99 <= 200 ms.

Usage: PYTHONPATH=src .venv/bin/python bench/read_under_write.py [--articles 60] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "tests"))

from _texts import bench_documents

from live_server import free_port, wait_for_health

TOKEN = "bench-token-7c1e"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    text_name, documents = bench_documents(args.articles)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "EVENTCODER_TOKEN": TOKEN, "EVENTCODER_WRITE_BURST": "1000",
               "EVENTCODER_QUEUE_SIZE": "1000"}  # the other settings as shipped
        server = subprocess.Popen([sys.executable, "-m", "eventcoder.cli", "serve", "--db",
                                   str(Path(folder) / "b.sqlite"), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            if wait_for_health(base, server, 120) is None:
                raise SystemExit("the server did not start")
            headers = {"Authorization": f"Bearer {TOKEN}"}
            bodies = [{"text": d.text, "published": "2020-01-01"} for d in documents]
            start = time.perf_counter()
            with ThreadPoolExecutor(len(bodies)) as pool:
                posts = list(pool.map(lambda b: httpx.post(f"{base}/documents", json=b, headers=headers, timeout=60),
                                      bodies))
            post_seconds = [p.elapsed.total_seconds() for p in posts]
            jobs = [p.json()["job_id"] for p in posts if p.status_code == 202]
            waits: list[float] = []
            with httpx.Client(base_url=base, timeout=30) as client:
                while jobs:
                    for path in ("/health", "/events?limit=50"):
                        began = time.perf_counter()
                        client.get(path).raise_for_status()
                        waits.append(time.perf_counter() - began)
                    if len(waits) % 20 == 0:
                        jobs = [j for j in jobs if client.get(f"/jobs/{j}").json()["status"] not in ("done", "failed")]
                    time.sleep(0.02)
            coding = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    result = {"bench": "read_under_write", "text": text_name, "articles": len(bodies),
              "statuses": sorted({p.status_code for p in posts}), "post_max_s": round(max(post_seconds), 3),
              "reads": len(waits), "read_p50_ms": round(statistics.median(waits) * 1000, 1),
              "read_p99_ms": round(p99 * 1000, 1), "read_max_ms": round(waits[-1] * 1000, 1),
              "coding_s": round(coding, 1), "load_average_1min": round(os.getloadavg()[0], 2)}
    if not args.json:
        print(f"{len(bodies)} articles coded in {coding:.1f} s; {len(waits)} reads: p50 {result['read_p50_ms']} ms, "
              f"p99 {result['read_p99_ms']} ms", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
