"""Gazetteer load time and toponyms resolved per second after load (parsing excluded).

Usage: .venv/bin/python bench/geo.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from _texts import bench_documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="documents to use (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()

    from eventcoder.nlp import Parser, build_nlp
    from eventcoder.places import Geocoder
    from eventcoder.places.compiled import INDEX_NAME, compiled_dir, read_compiled
    from eventcoder.places.gazetteer import Gazetteer

    began = time.perf_counter()
    data = read_compiled(compiled_dir() / INDEX_NAME)
    load_s = time.perf_counter() - began
    if data is None:
        print("no compiled gazetteer: run `python -m eventcoder.places compile` first", file=sys.stderr)
        return 1
    geocoder = Geocoder(Gazetteer(data))
    name, documents = bench_documents(args.limit)
    parsed = list(Parser(build_nlp()).pipe(documents))
    geocoder.toponyms(parsed[0])  # warm caches
    began = time.perf_counter()
    toponyms = sum(len(geocoder.toponyms(p, demonyms=True)) for p in parsed)
    seconds = time.perf_counter() - began
    result = {"bench": "geo", "text": name, "documents": len(parsed), "toponyms": toponyms,
              "load_s": round(load_s, 3), "toponyms_per_s": round(toponyms / seconds, 1)}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>15}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
