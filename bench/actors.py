"""Benchmark the actors stage: load time and mentions resolved per second after load.

    .venv/bin/python bench/actors.py            # prints one JSON line

``load_s`` (wall) and ``load_cpu_s`` (CPU, steady on a shared machine) are the time to load the
compiled KB and resolve a first mention; ``kb_memory_mb`` the resident memory that adds
(targets: load <= 1 s, >= 20,000 mentions/s, memory <= +300 MB).
Mentions: the actors dev and held-out sets (tests/data/actors/*.actors.jsonl) plus names and
phrases of the reference article, at several dates. ``mentions_per_s`` is the rate over a stream where mentions
repeat as they do in news (each distinct mention seen 20 times, shuffled; repeats hit the cache);
``distinct_per_s`` is the cold rate, every mention resolved for the first time. Rates use CPU
time (``time.process_time``) so that other work on a shared machine does not skew them.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from actors_dev import DEV, build  # noqa: E402 - the dev set is derived from ../shared at run time

SETS = [DEV, *(ROOT / "tests" / "data" / "actors" / name for name in ("heldout.actors.jsonl", "longtail.actors.jsonl"))]
REFERENCE = ["Azerbaijan", "Armenia", "Stepanakert", "the authorities in Nagornyj Karabakh", "Civilians",
             "the Pro-Armenian rebels", "Nagornyj Karabach's President Araik Harutjunjan", "Nikol Pashinyan",
             "Pashinyan", "the Azerbaijani side", "the spokeswoman for the Armenian Defense Ministry", "Yerevan",
             "Baku", "Russia", "the AFP news agency"]
DATES = [None, date(2016, 5, 1), date(2020, 9, 27), date(2024, 2, 1)]
REPEATS = 20


def mentions() -> list[str]:
    """Return the distinct mentions to resolve."""
    build()  # the dev set, from ../shared when it is there
    texts = [json.loads(line)["text"] for path in SETS if path.exists()
             for line in path.read_text("utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys([*texts, *REFERENCE]))


def _rss_mb() -> float:
    """Return this process's resident memory in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> int:
    """Time the load, a cold pass over distinct mentions, and a news-like stream; print JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    from eventcoder.actors import load_kb
    from eventcoder.actors.kb import ActorKB  # noqa: F401  (imports counted before, the KB after)

    rss_before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    kb = load_kb()
    kb.resolve("Yerevan")
    load_s, load_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    kb_mb = _rss_mb() - rss_before
    distinct = [(text, when) for text in mentions() for when in DATES]
    started = time.process_time()
    for text, when in distinct:
        kb.resolve(text, when)
    distinct_per_s = len(distinct) / (time.process_time() - started)
    kb._cache.clear()
    stream = distinct * REPEATS
    random.Random(0).shuffle(stream)
    started = time.process_time()
    for text, when in stream:
        kb.resolve(text, when)
    mentions_per_s = len(stream) / (time.process_time() - started)
    print(json.dumps({"bench": "actors", "load_s": round(load_s, 3), "load_cpu_s": round(load_cpu_s, 3),
                      "mentions": len(stream),
                      "distinct_mentions": len(distinct), "mentions_per_s": round(mentions_per_s),
                      "distinct_per_s": round(distinct_per_s), "kb_entries": len(kb.index.entries),
                      "kb_memory_mb": round(kb_mb)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
