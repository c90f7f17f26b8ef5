"""Seconds per 100k characters coding one long article, for 20k ... 1M characters, and the peak memory.

The article is bench news text (_texts.py) joined paragraph after paragraph up to each length. Targets
(issue 18): a 1,000,000-character article in <= 30 s with peak memory <= 1.5 GB, and seconds per 100k
characters flat within 1.5x from 20k to 1M ("slope_ratio": the largest over the smallest, in CPU
seconds, which other processes on a shared machine disturb far less than wall-clock seconds; both are printed).

``--dump FILE`` writes every event of the largest size as JSON lines (sorted keys), to compare two versions
of the coder with ``cmp`` (a change meant to be faster only must give the same file).

The pieces of a long text are coded by ``--processes`` processes (default: the pipeline's setting,
``EVENTCODER_PIECE_PROCESSES`` or 2), so CPU seconds are those of the whole process tree (this process and
the helpers it forked and waited for; ``cpu_helpers_seconds``: the helpers' share). Short texts are timed
a few times: the row is the fastest run (wall), with its CPU seconds (warm caches make those runs cheaper,
which raises ``slope_ratio``). Memory: ``peak_rss_mb`` of this process, ``peak_rss_helper_mb`` of the
largest helper (each counts the pages it shares with this process), and ``peak_pss_tree_mb``, the tree's
proportional set size sampled every 0.2 s by a watcher process (shared pages counted once): the memory the
tree holds. ``target_1m`` says whether the 1,000,000-character row is within 30 s (wall) and 1.5 GB.

Usage: PYTHONPATH=src .venv/bin/python bench/long_text.py [--sizes 20000,50000,...] [--json] [--dump FILE]
       [--processes N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import subprocess
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))

from _texts import bench_documents

SIZES = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
TARGET_CHARS, TARGET_SECONDS, TARGET_MB = 1_000_000, 30.0, 1536
SAMPLE_SECONDS = 0.2


def _tree(root: int) -> list[int]:
    """Return ``root`` and every process under it (from /proc)."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def watch(root: int) -> None:
    """Sample the tree's PSS until standard input closes; print the peak in MB (``--watch PID``)."""
    peak = 0.0
    while not select.select([sys.stdin], [], [], SAMPLE_SECONDS)[0]:
        peak = max(peak, _pss_mb([p for p in _tree(root) if p != os.getpid()]))
    print(round(peak))


def _cpu_helpers() -> float:
    """CPU seconds of this process' children that ended and were waited for (the piece helpers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


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
    parser.add_argument("--processes", type=int, default=None, help="processes coding the pieces (1: one)")
    parser.add_argument("--watch", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch is not None:
        watch(args.watch)
        return
    from eventcoder.ingest import parse_text_document
    from eventcoder.pipeline import Pipeline

    text_name, documents = bench_documents()
    texts = [d.text for d in documents]
    pipeline = Pipeline(keep_all=True)  # as the API codes: every event, however unsure
    if args.processes is not None:
        pipeline.piece_processes = args.processes
    pipeline.code_text("Russia attacked Ukraine on Monday.", published=date(2020, 1, 1))  # load the models
    watcher = subprocess.Popen([sys.executable, __file__, "--watch", str(os.getpid())],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        document = parse_text_document(long_text(texts, size), origin=f"<{size}>", published=date(2020, 1, 1))
        seconds = cpu = helpers = float("inf")
        for _ in range(max(1, min(5, 200_000 // size))):  # short texts: the best of a few runs (shared CPUs)
            start, start_cpu, start_helpers = time.perf_counter(), time.process_time(), _cpu_helpers()
            coded = next(pipeline.code([document]))
            if time.perf_counter() - start < seconds:
                seconds = time.perf_counter() - start
                helpers = _cpu_helpers() - start_helpers
                cpu = time.process_time() - start_cpu + helpers
        per = 100_000 / len(document.text)
        rows.append({"chars": len(document.text), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                     "cpu_helpers_seconds": round(helpers, 2),
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
    helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    watched, _ = watcher.communicate()
    pss_mb = float(watched.strip() or "nan")
    result = {"bench": "long_text", "text": text_name, "rows": rows, "slope_ratio": round(max(rates) / min(rates), 2),
              "processes": pipeline.piece_processes, "peak_rss_mb": round(peak_mb),
              "peak_rss_helper_mb": round(helper_mb), "peak_pss_tree_mb": pss_mb,
              "load_average_1min": round(os.getloadavg()[0], 2)}
    big = [r for r in rows if r["chars"] >= TARGET_CHARS - 100]
    if big:
        met = big[0]["seconds"] <= TARGET_SECONDS and pss_mb <= TARGET_MB
        result["target_1m"] = (f"{'met' if met else 'not met'}: {big[0]['seconds']} s wall (<= {TARGET_SECONDS:.0f}), "
                               f"{big[0]['cpu_seconds']} s CPU, {pss_mb:.0f} MB tree PSS (<= {TARGET_MB})")
    if not args.json and big:
        print(f"1M target {result['target_1m']} (load {result['load_average_1min']})", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
