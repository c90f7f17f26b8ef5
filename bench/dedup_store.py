"""Store + dedup throughput: synthetic articles saved one by one; incremental cost must stay flat.

Usage: .venv/bin/python bench/dedup_store.py [--docs 2000] [--db PATH_OR_URL] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source
from eventcoder.store import Store

TYPES = ["ASSAULT", "PROTEST", "REQUEST", "MOBILIZE", "ACCUSE"]
COUNTRIES = ["AZE", "ARM", "RUS", "UKR", "ISR", "SDN", "KEN"]


def synthetic(n_docs: int, seed: int = 1) -> list[tuple[Document, list[Event]]]:
    """Make articles of 5 events each over 200 towns and 60 days, many told several times."""
    rng = random.Random(seed)
    towns = [(f"town{i}", rng.uniform(-60, 60), rng.uniform(-150, 150), rng.choice(COUNTRIES)) for i in range(200)]
    out = []
    for d in range(n_docs):
        day = date(2020, 9, 1) + timedelta(days=rng.randrange(60))
        text = f"Article {d}."
        doc = Document(f"doc{d}", text, day, "text", rng.choice(["AFP", "Reuters", "TASS"]))
        found = []
        for k in range(5):
            name, lat, lon, country = rng.choice(towns)
            found.append(Event(
                doc_id=doc.id, event_type=rng.choice(TYPES), published=day, publisher=doc.publisher,
                evidence=Evidence(f"Sentence {k}.", k, k + 10, "did"),
                actor=ActorRef("x", "x", rng.choice(COUNTRIES), "GOV"), date=day, date_precision="day",
                location=Location(name, lat, lon, country, None, None, "city"),
                sources=(Source("y", ActorRef("y", "y", country, "GOV"), "said"),)))
        out.append((doc, found))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    articles = synthetic(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.db or str(Path(tmp) / "bench.sqlite"))
        timings = []
        start = time.perf_counter()
        for document, found in articles:
            t0 = time.perf_counter()
            store.save(document, found)
            timings.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        tenth = max(1, len(timings) // 10)
        result = {"docs": len(articles), "events": 5 * len(articles), "dataset_events": store.count(),
                  "docs_per_s": round(len(articles) / total, 1),
                  "ms_per_doc_first_tenth": round(1000 * sum(timings[:tenth]) / tenth, 2),
                  "ms_per_doc_last_tenth": round(1000 * sum(timings[-tenth:]) / tenth, 2)}
        store.close()
    print(json.dumps(result) if args.json else "\n".join(f"{k:>24}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
