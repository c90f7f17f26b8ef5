"""Docs/s coding on a Dask LocalCluster with 1 and 2 workers, and the second worker's efficiency.

Usage: .venv/bin/python bench/scale.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from _texts import bench_documents


def _rate(documents: list, workers: int) -> float:  # type: ignore[type-arg]
    from distributed import Client, LocalCluster

    from eventcoder.batch import PARTITION_SIZE, _ordered_results, _partitions, code_partition

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("eventcoder.batch").batch.worker_pipeline().parser.nlp)  # warm the models
        client.submit(code_partition, documents[:2], pure=False).result()
        start = time.perf_counter()
        n = sum(1 for _ in _ordered_results(client, _partitions(documents, PARTITION_SIZE), workers * 3))
        return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200, help="documents to code (default 200)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    text_name, documents = bench_documents(args.limit)
    one = _rate(documents, 1)
    two = _rate(documents, 2)
    result = {"bench": "scale", "text": text_name, "documents": len(documents), "cpus": os.cpu_count(),
              "docs_per_s_1_worker": round(one, 2), "docs_per_s_2_workers": round(two, 2),
              "second_worker_efficiency": round(two / (2 * one), 3),
              "load_average_1min": round(os.getloadavg()[0], 2)}
    if not args.json:
        print(f"{len(documents)} {text_name} documents: 1 worker {one:.1f} docs/s, 2 workers {two:.1f} docs/s",
              file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
