"""Store + dedup cost as the store grows: a news stream saved article by article must not slow down.

A seeded stream of articles in the order they are published (``--per-day`` a day), 5 events each, drawn
from each day's happenings over 300 towns in 12 countries; an outlet reports a happening the same day
or the next ("yesterday"), now and then "last week"; many happenings are told by several articles, so
the store merges as it goes. Prints articles/s over the first and the last tenth of the run and their
ratio (``end_over_start``; flat is 1.0, the target is >= 0.8), on SQLite or on PostgreSQL (``--db
postgres`` starts a throwaway server, as the tests do: tests/pg.py, scripts/ensure-postgres).

Usage: .venv/bin/python bench/dedup_store.py [--docs 20000] [--db sqlite|postgres|PATH_OR_URL] [--json]
(20,000 articles are 100,000 reports.)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source
from eventcoder.store import Store

TYPES = ["ASSAULT", "PROTEST", "REQUEST", "MOBILIZE", "ACCUSE", "FIGHT", "CONSULT"]
COUNTRIES = ["AZE", "ARM", "RUS", "UKR", "ISR", "PSE", "SDN", "KEN", "ETH", "MLI", "SYR", "YEM"]
OUTLETS = ["AFP", "Reuters", "TASS", "AP", "BBC", "Al Jazeera", "DW", "Anadolu", "APA", "Armenpress"]


def stream(n_docs: int, per_day: int = 50, seed: int = 1) -> Iterator[tuple[Document, list[Event]]]:
    """Yield ``n_docs`` articles in publication order, ``per_day`` a day, 5 events each."""
    rng = random.Random(seed)
    towns = [(f"town{i}", rng.uniform(-40, 60), rng.uniform(-20, 80), COUNTRIES[i % len(COUNTRIES)])
             for i in range(300)]
    start = date(2020, 1, 1)
    pools: dict[int, list[tuple[str, tuple[str, float, float, str], str, str | None]]] = {}
    for number in range(n_docs):
        day_number = number // per_day
        for d in (day_number, day_number - 1):
            if d >= 0 and d not in pools:  # each day: 120 happenings, of which articles tell a few each
                pools[d] = [(rng.choice(TYPES), rng.choice(towns), rng.choice(COUNTRIES),
                             rng.choice([*COUNTRIES, None])) for _ in range(120)]
        pools.pop(day_number - 2, None)
        published = start + timedelta(days=day_number)
        outlet = rng.choice(OUTLETS)
        document = Document(f"doc{number}", f"Article {number}.", published, "text", outlet,
                            f"https://{outlet.lower().replace(' ', '')}.example/{number}", f"Story {number}")
        found = []
        for k in range(5):
            back = rng.random() < 0.3 and day_number > 0
            event_type, (name, lat, lon, country), actor, recipient = rng.choice(pools[day_number - back])
            when, precision = published - timedelta(days=back), "day"
            if rng.random() < 0.03:
                when, precision = published - timedelta(days=7), "week"
            found.append(Event(
                doc_id=document.id, event_type=event_type, published=published, publisher=outlet,
                evidence=Evidence(f"Sentence {k}.", k, k + 10, "did"), actor=ActorRef(actor, actor, actor, "GOV"),
                recipient=ActorRef(recipient, recipient, recipient, "GOV") if recipient else None,
                date=when, date_precision=precision, location=Location(name, lat, lon, country, None, None, "city"),
                sources=(Source("officials", ActorRef("officials", "officials", country, "GOV"), "said"),)))
        yield document, found


def synthetic(n_docs: int, seed: int = 1) -> list[tuple[Document, list[Event]]]:
    """Return the first ``n_docs`` articles of the stream (``bench/load.py`` seeds its store with them)."""
    return list(stream(n_docs, seed=seed))


@contextmanager
def database(choice: str | None, folder: str) -> Iterator[str]:
    """Yield the store target: a new SQLite file, a throwaway PostgreSQL server, or the given path/URL."""
    if choice in (None, "sqlite"):
        yield str(Path(folder) / "bench.sqlite")
    elif choice == "postgres":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from pg import postgres_server

        with postgres_server() as url:
            yield url
    else:
        yield choice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--per-day", type=int, default=50)
    parser.add_argument("--db", default=None, help="sqlite (default), postgres, or a path / database URL")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.db, tmp) as target:
        store = Store.open(target)
        timings: list[float] = []
        cpu: list[float] = []
        n_events = 0
        started = time.perf_counter()
        for document, found in stream(args.docs, args.per_day):
            t0, c0 = time.perf_counter(), time.process_time()
            n_events += store.save(document, found)
            timings.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        total = time.perf_counter() - started
        tenth = max(1, len(timings) // 10)
        first, last = tenth / sum(timings[:tenth]), tenth / sum(timings[-tenth:])
        result = {"backend": store.engine.dialect.name, "docs": len(timings), "reports": n_events,
                  "dataset_events": store.count(), "articles_per_s": round(len(timings) / total, 1),
                  "articles_per_s_first_tenth": round(first, 1), "articles_per_s_last_tenth": round(last, 1),
                  "end_over_start": round(last / first, 3),
                  # this process's CPU alone (SQLite works in it; a PostgreSQL server does not): steadier on a
                  # shared machine, where wall time also counts other programs' turns
                  "cpu_ms_per_article_first_tenth": round(1000 * sum(cpu[:tenth]) / tenth, 2),
                  "cpu_ms_per_article_last_tenth": round(1000 * sum(cpu[-tenth:]) / tenth, 2)}
        store.close()
    print(json.dumps(result) if args.json else "\n".join(f"{k:>26}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
