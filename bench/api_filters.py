"""Time of each /events filter in SQL on a 10,000-event store: the count and the first page, as the API asks.

Seeds an SQLite store (a temporary file) with --events dataset events whose modality, mode, fatalities,
actors, types, countries and days vary (a fixed random seed), written straight into the dataset table as
bench/load.py does, then for each filter times ``Store.count`` plus ``Store.dataset_texts(limit=500)``
(what ``GET /events`` runs; best of --repeat, and the CPU time of that best run). The target (issue 16):
every filter <= 300 ms with 10,000 events. Prints one JSON line.

Usage: PYTHONPATH=src .venv/bin/python bench/api_filters.py [--events 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventcoder import dedup
from eventcoder.model import ActorRef, Event, Evidence, Fatalities, Location, Modality
from eventcoder.store import EventFilter, Store
from eventcoder.store.schema import dataset_events, dataset_row

MODALITIES: tuple[Modality, ...] = ("asserted",) * 6 + ("negated", "hypothetical", "future", "historical")
MODES = ("aerial", "ground", "shelling", "demonstrate", "sanction", None, None)
COUNTRIES = ("ARM", "AZE", "RUS", "UKR", "TUR", "IRN", "USA", "FRA")
NAMES = ("Armenia", "Azerbaijan", "Russia", "Ukraine", "Turkey", "Iran", "United States", "France")
TYPES = ("ASSAULT", "PROTEST", "ACCUSE", "THREATEN", "CONSULT", "AID", "COERCE", "REJECT")


def _event(rng: random.Random, n: int) -> Event:
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
    a, r = rng.sample(range(len(COUNTRIES)), 2)
    actor = ActorRef(rng.choice([f"the {NAMES[a]} army", f"{NAMES[a]} officials", f"Minister {n % 97}"]),
                     NAMES[a], COUNTRIES[a], rng.choice(["GOV", "MIL", None]))
    recipient = ActorRef(f"people of {NAMES[r]}", NAMES[r], COUNTRIES[r], "CVL") if rng.random() < 0.7 else None
    dead = rng.choice([None, None, None, 0, 1, 3, 12])
    return Event(doc_id=f"doc-{n}", event_type=rng.choice(TYPES), published=day, date=day, date_precision="day",
                 modality=rng.choice(MODALITIES), mode=rng.choice(MODES), confidence=round(rng.random(), 3),
                 evidence=Evidence(f"Sentence {n}.", 0, 12, "did"), actor=actor, recipient=recipient,
                 location=Location(f"Town {n % 500}", 40 + rng.random(), 45 + rng.random(), COUNTRIES[r], None,
                                   n, "city"),
                 fatalities=Fatalities(dead=dead, injured=rng.choice([None, None, 2, 5])))


def seed(db: str, n_events: int) -> int:
    rng = random.Random(16)
    rows = []
    for n in range(n_events):
        record = _event(rng, n).to_dict()
        rows.append(dataset_row(dedup.merge([record], record["id"])))
    store = Store.open(db)
    try:
        with store.engine.begin() as conn:
            for start in range(0, len(rows), 5000):
                conn.execute(dataset_events.insert(), rows[start:start + 5000])
        return store.count()
    finally:
        store.close()


FILTERS: dict[str, EventFilter] = {
    "none": EventFilter(),
    "modality=asserted": EventFilter(modality="asserted"),
    "modality=negated": EventFilter(modality="negated"),
    "mode=shelling": EventFilter(mode="shelling"),
    "fatalities=dead": EventFilter(fatalities="dead"),
    "fatalities=hurt": EventFilter(fatalities="hurt"),
    "actor_contains=arm": EventFilter(actor_contains="arm"),
    "actor_contains=minister 5": EventFilter(actor_contains="minister 5"),
    "actor_contains=zzz (none)": EventFilter(actor_contains="zzz"),
    "modality+mode+fatalities+actor": EventFilter(modality="asserted", mode="aerial", fatalities="hurt",
                                                  actor_contains="ukr"),
    "type+country+min_confidence": EventFilter(event_type="ASSAULT", country="AZE", min_confidence=0.5),
    "q=town 12": EventFilter(search="town 12"),
    "q=sentence 99 army": EventFilter(search="sentence 99 army"),
    "q=zzz (none)": EventFilter(search="zzz"),
    "modality+q": EventFilter(modality="asserted", search="ukraine"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "filters.sqlite")
        held = seed(db, args.events)
        store = Store.open(db)
        timings = {}
        for name, where in FILTERS.items():
            best = best_cpu = float("inf")
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                total = store.count(where)
                rows = list(store.dataset_texts(where, limit=500))
                elapsed = time.perf_counter() - start
                if elapsed < best:
                    best, best_cpu = elapsed, time.process_time() - start_cpu
            timings[name] = {"ms": round(best * 1000, 1), "cpu_ms": round(best_cpu * 1000, 1), "total": total,
                             "page": len(rows)}
        store.close()
    worst = max(timings.values(), key=lambda t: t["ms"])
    print(json.dumps({"bench": "api_filters", "events": held, "filters": timings, "worst_ms": worst["ms"],
                      "load_average_1min": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
