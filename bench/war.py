"""A whole war as reports, with known truth: how well does the cross-article merge hold up?

Generates (seeded) a war of ``--days`` days told by ``--outlets`` outlets: several happenings a day in
several towns on both sides (shellings both ways, the same front towns hit day after day, clashes,
protests, mobilisations, calls for a ceasefire, denials as REJECT events), each told by one to six
outlets on the day or one or two days later. Each report's date comes from the phrase an outlet would
use, resolved by the project's date stage against the report's publication day ("today", "yesterday",
"on Sunday", "last week", "in October"); outlets leave out the actor or the target, name the town by
another spelling, give only the province, deny what the other side reports, re-publish a wire story
(duplicates) or rewrite it. Then merges every report with ``eventcoder.dedup`` and prints pairwise and
B-cubed merge precision and recall against the truth (one happening per id), and how many reports and
dataset events it made; ``--store`` also saves the articles (shuffled) into an SQLite store and checks
that it holds the same dataset.

Usage: .venv/bin/python bench/war.py [--days 45] [--outlets 18] [--seed 1] [--store] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from eventcoder.dates import resolve_expression
from eventcoder.dedup import Deduplicator
from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source

START = date(2020, 9, 27)
# name, spellings, lat, lon, country, admin1, side whose town it is (the other side shells it)
TOWNS = [
    ("Stepanakert", ["Khankendi"], 39.8153, 46.7519, "AZE", "Xankandi", "ARM"),
    ("Martuni", ["Khojavend"], 39.7931, 47.1117, "AZE", "Khojavend", "ARM"),
    ("Hadrut", [], 39.5200, 47.0300, "AZE", "Khojavend", "ARM"),
    ("Martakert", ["Aghdara"], 40.2100, 46.8100, "AZE", "Tartar", "ARM"),
    ("Goris", [], 39.5111, 46.3386, "ARM", "Syunik", "ARM"),
    ("Vardenis", [], 40.1833, 45.7333, "ARM", "Gegharkunik", "ARM"),
    ("Tartar", ["Terter"], 40.3418, 46.9307, "AZE", "Tartar", "AZE"),
    ("Ganja", ["Gandja"], 40.6828, 46.3606, "AZE", "Ganja", "AZE"),
    ("Barda", [], 40.3744, 47.1267, "AZE", "Barda", "AZE"),
    ("Mingachevir", ["Mingacevir"], 40.7703, 47.0496, "AZE", "Mingachevir", "AZE"),
    ("Aghdam", ["Agdam"], 39.9911, 46.9275, "AZE", "Aghdam", "AZE"),
    ("Fuzuli", ["Fizuli"], 39.6003, 47.1431, "AZE", "Fuzuli", "AZE"),
]
FRONT = ("Stepanakert", "Tartar", "Martuni")  # shelled almost every day
CAPITALS = {"ARM": ("Yerevan", 40.1811, 44.5136, "Yerevan"), "AZE": ("Baku", 40.3777, 49.892, "Baku"),
            "RUS": ("Moscow", 55.7522, 37.6156, "Moscow"), "FRA": ("Paris", 48.8534, 2.3488, "Ile-de-France"),
            "TUR": ("Ankara", 39.9199, 32.8543, "Ankara"), "USA": ("Washington", 38.8951, -77.0364, "DC")}
OUTLETS = [("Armenpress", "ARM"), ("News.am", "ARM"), ("Azatutyun", "ARM"), ("APA", "AZE"), ("Trend", "AZE"),
           ("Report.az", "AZE"), ("AzerNews", "AZE"), ("AFP", None), ("Reuters", None), ("AP", None),
           ("BBC", None), ("TASS", None), ("RIA", None), ("Anadolu", None), ("Al Jazeera", None),
           ("DW", None), ("Eurasianet", None), ("OC Media", None), ("Le Monde", None), ("CNN", None)]
OTHER = {"ARM": "AZE", "AZE": "ARM"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Happening:
    """One thing that happened (the truth): what, who to whom, where, when."""

    id: str
    event_type: str
    actor: str
    recipient: str | None
    town: tuple[Any, ...]
    day: date
    negated_by: str | None = None  # the side that denies it, if any


@dataclass(frozen=True)
class Report:
    """One outlet's report of a happening, as the coder would give it, with the truth."""

    document: Document
    event: Event
    happening: str


def happenings(rng: random.Random, days: int) -> list[Happening]:
    """Make the war's happenings: front towns shelled daily, other strikes, clashes, politics."""
    towns = {t[0]: t for t in TOWNS}
    out: list[Happening] = []
    for n in range(days):
        day = START + timedelta(days=n)
        todays: list[Happening] = []
        for name in FRONT:
            if rng.random() < 0.85:
                town = towns[name]
                todays.append(Happening("", "ASSAULT", OTHER[town[6]], town[6], town, day))
        for town in rng.sample(TOWNS, 3):
            if town[0] not in FRONT:
                todays.append(Happening("", "ASSAULT", OTHER[town[6]], town[6], town, day))
        if rng.random() < 0.5:
            town = rng.choice(TOWNS)
            todays.append(Happening("", "FIGHT", "ARM", "AZE", town, day))
        if rng.random() < 0.3:
            side = rng.choice(["ARM", "AZE"])
            todays.append(Happening("", "PROTEST", side, OTHER[side], CAPITALS[side] + (side,), day))
        if rng.random() < 0.25:
            caller = rng.choice(["RUS", "FRA", "USA", "TUR"])
            todays.append(Happening("", "REQUEST", caller, rng.choice(["ARM", "AZE"]), CAPITALS[caller] + (caller,),
                                    day))
        if n % 9 == 0:
            side = rng.choice(["ARM", "AZE"])
            todays.append(Happening("", "MOBILIZE", side, None, CAPITALS[side] + (side,), day))
        for k, item in enumerate(todays):
            denier = item.actor if item.event_type == "ASSAULT" and rng.random() < 0.12 else None
            out.append(Happening(f"h{n:03d}-{k}", item.event_type, item.actor, item.recipient, item.town, day,
                                 denier))
    return out


def _place(rng: random.Random, happening: Happening) -> Location:
    """Where an outlet puts it: the town (sometimes by another spelling, a little off), or its province."""
    name, spellings, lat, lon, country, admin1 = happening.town[:6] if len(happening.town) == 7 else (
        happening.town[0], [], happening.town[1], happening.town[2], happening.town[4], happening.town[3])
    roll = rng.random()
    if roll < 0.04:
        return Location(admin1, lat + 0.2, lon - 0.2, country, admin1, None, "admin1")
    if roll < 0.25 and spellings:
        return Location(rng.choice(spellings), lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02),
                        country, admin1, None, "city")
    return Location(name, lat, lon, country, admin1, None, "city")


def _when(rng: random.Random, day: date, vague: tuple[bool, bool]) -> tuple[date, str | None]:
    """Pick a publication day and the phrase the outlet dates the happening with (``vague``: may say
    "last week", "in October")."""
    roll = rng.random()
    if roll < 0.06 and vague[0]:
        published = day + timedelta(days=rng.randint(7, 12))
        return published, "last week"
    if 0.06 <= roll < 0.1 and vague[1]:
        published = day + timedelta(days=rng.randint(2, 20))
        return published, "in " + day.strftime("%B")
    delay = rng.choices([0, 1, 2], weights=[50, 35, 15])[0]
    published = day + timedelta(days=delay)
    if delay == 0:
        return published, rng.choice(["today", "on " + WEEKDAYS[day.weekday()], "overnight", None])
    if delay == 1:
        return published, rng.choice(["yesterday", "on " + WEEKDAYS[day.weekday()]])
    return published, "on " + WEEKDAYS[day.weekday()]


def _actor(country: str | None, rng: random.Random, sector: str = "MIL") -> ActorRef | None:
    if country is None:
        return None
    return ActorRef(country, country, country, rng.choice([sector, "GOV"]) if sector in ("MIL", "GOV") else sector)


def distinctive(happening: Happening, everything: list[Happening]) -> tuple[bool, bool]:
    """Say whether "last week" and "in October" still pick the happening out: nothing else of its type, by
    its actor, in its town within ten days, within its month (a town shelled day after day is told with a
    day: a vague phrase about it is a summary of many happenings, not a report of one)."""
    alike = [other for other in everything if other is not happening and other.event_type == happening.event_type
             and other.actor == happening.actor and other.town[0] == happening.town[0]]
    return (not any(abs((other.day - happening.day).days) <= 10 for other in alike),
            not any((other.day.year, other.day.month) == (happening.day.year, happening.day.month) for other in alike))


def reports(seed: int = 1, days: int = 45, n_outlets: int = 18, ambiguous_vague: bool = False) -> list[Report]:
    """Generate every report of the war (and the REJECT of each denial), each in its own article.

    ``ambiguous_vague``: outlets also use vague phrases for happenings that are not distinctive.
    """
    rng = random.Random(seed)
    outlets = OUTLETS[:n_outlets]
    out: list[Report] = []
    everything = happenings(rng, days)
    for happening in everything:
        vague = (True, True) if ambiguous_vague else distinctive(happening, everything)
        tellers = rng.sample(outlets, rng.choices([1, 2, 3, 4, 5, 6], weights=[15, 25, 25, 15, 12, 8])[0])
        for outlet, _lean in tellers:
            out.extend(_tell(rng, happening, outlet, len(out), vague))
        if happening.negated_by:
            for outlet, lean in outlets:
                if lean == happening.negated_by or (lean is None and rng.random() < 0.15):
                    out.extend(_deny(rng, happening, outlet, len(out)))
    return out


def _tell(rng: random.Random, happening: Happening, outlet: str, number: int, vague: tuple[bool, bool]
          ) -> list[Report]:
    """One outlet's article about a happening (and, 1 in 20, the same wire story re-published)."""
    published, phrase = _when(rng, happening.day, vague)
    resolved = resolve_expression(phrase, published) if phrase else None
    when, precision = resolved if resolved else (published, "day")
    sector = {"PROTEST": "CVL", "REQUEST": "GOV", "MOBILIZE": "GOV"}.get(happening.event_type, "MIL")
    actor = None if happening.event_type == "ASSAULT" and rng.random() < 0.15 else _actor(happening.actor, rng, sector)
    recipient = _actor(happening.recipient, rng, "GOV") if happening.recipient and rng.random() < 0.6 else None
    sentence = f"{outlet} story {number}: {happening.event_type.lower()} at {happening.town[0]} {phrase or ''}."
    documents = [Document(f"{outlet}-{number}", sentence, published, "text", outlet)]
    if rng.random() < 0.05:  # a wire story picked up as it is by another outlet
        documents.append(Document(f"{outlet}-{number}-copy", sentence, published, "text", rng.choice(OUTLETS)[0]))
    place = _place(rng, happening)
    speaker = happening.recipient or happening.actor
    return [Report(doc, Event(
        doc_id=doc.id, event_type=happening.event_type, published=published, publisher=doc.publisher,
        evidence=Evidence(sentence, 0, len(sentence), happening.event_type.lower()), actor=actor,
        recipient=recipient, date=when, date_precision=precision, date_text=phrase, location=place,
        sources=(Source(f"{speaker} officials", ActorRef(speaker, speaker, speaker, "GOV"), "said"),)),
        happening.id) for doc in documents]


def _deny(rng: random.Random, happening: Happening, outlet: str, number: int) -> list[Report]:
    """An article where the accused side denies it: a negated report of it, and the REJECT itself.

    A side's ministry denies once a day, on the day of the attack, whatever it denies: that statement
    is one happening, told by each outlet that reports it.
    """
    published = happening.day
    sentence = f"{outlet} story {number}: {happening.actor} denied the {happening.town[0]} attack."
    doc = Document(f"{outlet}-{number}", sentence, published, "text", outlet)
    phrase = "on " + WEEKDAYS[happening.day.weekday()]
    when, precision = resolve_expression(phrase, published) or (published, "day")
    denier = ActorRef(happening.actor, happening.actor, happening.actor, "GOV")
    negated = Event(doc_id=doc.id, event_type="ASSAULT", published=published, publisher=outlet,
                    evidence=Evidence(sentence, 0, len(sentence), "attack"), actor=_actor(happening.actor, rng),
                    recipient=None, date=when, date_precision=precision, date_text=phrase,
                    location=_place(rng, happening), modality="negated",
                    sources=(Source(happening.actor, denier, "denied"),))
    capital = CAPITALS[happening.actor]
    reject = Event(doc_id=doc.id, event_type="REJECT", published=published, publisher=outlet,
                   evidence=Evidence(sentence, 0, len(sentence), "denied"), actor=denier,
                   recipient=_actor(happening.recipient, rng, "GOV"), date=published, date_precision="day",
                   location=Location(capital[0], capital[1], capital[2], happening.actor, capital[3], None, "city"),
                   sources=(Source(happening.actor, denier, "denied"),))
    return [Report(doc, negated, happening.id), Report(doc, reject, f"denial-{happening.actor}-{happening.day}")]


def scores(dataset: list[dict[str, Any]], truth: dict[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed merge precision and recall of dataset events against the truth."""
    predicted = {frozenset(p) for d in dataset for p in combinations([r["id"] for r in d["reports"]], 2)}
    by_truth: dict[str, list[str]] = defaultdict(list)
    for report_id, happening in truth.items():
        by_truth[happening].append(report_id)
    expected = {frozenset(p) for ids in by_truth.values() for p in combinations(ids, 2)}
    hits = len(predicted & expected)
    cluster_of = {r["id"]: [x["id"] for x in d["reports"]] for d in dataset for r in d["reports"]}
    b_precision = b_recall = 0.0
    for report_id, happening in truth.items():
        mine = cluster_of[report_id]
        same = sum(truth[other] == happening for other in mine)
        b_precision += same / len(mine)
        b_recall += same / len(by_truth[happening])
    return {"pair_precision": round(hits / len(predicted), 4) if predicted else 1.0,
            "pair_recall": round(hits / len(expected), 4) if expected else 1.0,
            "bcubed_precision": round(b_precision / len(truth), 4), "bcubed_recall": round(b_recall / len(truth), 4)}


def through_store(items: list[Report], seed: int) -> list[dict[str, Any]]:
    """Save the articles in a shuffled order into a fresh SQLite store; return its dataset."""
    from eventcoder.store import Store

    articles: dict[str, tuple[Document, list[Event]]] = {}
    for item in items:
        articles.setdefault(item.document.id, (item.document, []))[1].append(item.event)
    order = sorted(articles)
    random.Random(seed).shuffle(order)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "war.sqlite"))
        for doc_id in order:
            store.save(*articles[doc_id])
        dataset = sorted(store.dataset(), key=lambda d: d["id"])
        store.close()
    return dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--outlets", type=int, default=18)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", action="store_true", help="also save into SQLite (shuffled) and compare")
    parser.add_argument("--ambiguous-vague", action="store_true",
                        help="vague phrases also for happenings they cannot pick out (recall falls: see the docstring)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    items = reports(args.seed, args.days, args.outlets, args.ambiguous_vague)
    truth = {item.event.id: item.happening for item in items}
    started = time.perf_counter()
    dataset = Deduplicator()([item.event.to_dict() for item in items])
    vague = sum(item.event.date_precision in ("week", "month") for item in items)
    result: dict[str, Any] = {
        "vague_reports": vague, "days": args.days, "outlets": len({i.document.publisher for i in items}),
        "articles": len({i.document.id for i in items}),
        "reports": len(truth), "happenings": len(set(truth.values())), "dataset_events": len(dataset),
        **scores(dataset, truth), "merge_s": round(time.perf_counter() - started, 2)}
    if args.store:
        stored = through_store(items, args.seed)
        result["store_same_as_memory"] = [{k: v for k, v in d.items()} for d in stored] == dataset
    print(json.dumps(result) if args.json else "\n".join(f"{k:>22}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
