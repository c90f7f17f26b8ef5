"""Seconds per 100k characters coding one long article, for 20k ... 1M characters, and the peak memory.

The article is bench news text (_texts.py) joined paragraph after paragraph up to each length. Targets
(issue 18): a 1,000,000-character article in <= 30 s with peak memory <= 1.5 GB, and seconds per 100k
characters flat within 1.5x from 20k to 1M ("slope_ratio": the largest over the smallest, in CPU
seconds, which other processes on a shared machine disturb far less than wall-clock seconds; both are printed).

``--dump FILE`` writes every event of the largest size as JSON lines (sorted keys), to compare two versions
of the coder with ``cmp`` (a change meant to be faster only must give the same file).

Usage: PYTHONPATH=src .venv/bin/python bench/long_text.py [--sizes 20000,50000,...] [--json] [--dump FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))

from _texts import bench_documents

SIZES = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)


def long_text(texts: list[str], size: int) -> str:
    """Join texts as paragraphs until ``size`` characters, then cut there at a space."""
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        text = texts[n % len(texts)].strip()
        parts.append(text)
        total += len(text) + 2
        n += 1
    joined = "\n\n".join(parts)[:size]
    return joined[: joined.rfind(" ")] if " " in joined[size // 2:] else joined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated lengths in characters")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--dump", default=None, help="write the events of the largest size here (JSON lines)")
    args = parser.parse_args()
    from eventcoder.ingest import parse_text_document
    from eventcoder.pipeline import Pipeline

    text_name, documents = bench_documents()
    texts = [d.text for d in documents]
    pipeline = Pipeline(keep_all=True)  # as the API codes: every event, however unsure
    pipeline.code_text("Russia attacked Ukraine on Monday.", published=date(2020, 1, 1))  # load the models
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        document = parse_text_document(long_text(texts, size), origin=f"<{size}>", published=date(2020, 1, 1))
        seconds = cpu = float("inf")
        for _ in range(max(1, min(5, 200_000 // size))):  # short texts: the best of a few runs (shared CPUs)
            start, start_cpu = time.perf_counter(), time.process_time()
            coded = next(pipeline.code([document]))
            seconds = min(seconds, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        per = 100_000 / len(document.text)
        rows.append({"chars": len(document.text), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                     "events": len(coded.events), "s_per_100k": round(seconds * per, 2),
                     "cpu_s_per_100k": round(cpu * per, 2)})
        if not args.json:
            print(f"{len(document.text):>9,} chars: {seconds:6.1f} s ({cpu:6.1f} s CPU), {rows[-1]['s_per_100k']:5.2f} "
                  f"s/100k ({rows[-1]['cpu_s_per_100k']:5.2f} CPU), {len(coded.events)} events", file=sys.stderr)
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as out:
                out.writelines(json.dumps(e.to_dict(), sort_keys=True) + "\n" for e in coded.events)
    rates = [r["cpu_s_per_100k"] for r in rows]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"bench": "long_text", "text": text_name, "rows": rows, "slope_ratio": round(max(rates) / min(rates), 2),
              "peak_rss_mb": round(peak_mb), "load_average_1min": round(os.getloadavg()[0], 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
