"""The hand-written duplicate corpus (tests/data/dedup/reports.yaml) as documents and events."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source

CORPUS = Path(__file__).resolve().parent / "data" / "dedup" / "reports.yaml"


def _actor(raw: list[Any] | None) -> ActorRef | None:
    return None if raw is None else ActorRef(raw[0], raw[0], raw[1], raw[2])


def load_corpus() -> tuple[dict[str, Document], list[tuple[Event, str]]]:
    """Return the documents by id and every (event, gold happening) pair."""
    documents: dict[str, Document] = {}
    pairs: list[tuple[Event, str]] = []
    for entry in yaml.safe_load(CORPUS.read_text(encoding="utf-8")):
        doc_id, published = entry["doc"], entry["published"]
        text = f"{documents[doc_id].text} {entry['sentence']}" if doc_id in documents else entry["sentence"]
        documents[doc_id] = Document(doc_id, text, published, "text", entry["publisher"])
        start = text.index(entry["sentence"])
        name, lat, lon, country, admin1, precision = entry["place"]
        event = Event(
            doc_id=doc_id, event_type=entry["type"], published=published, publisher=entry["publisher"],
            evidence=Evidence(entry["sentence"], start, start + len(entry["sentence"]), entry["sentence"].split()[1]),
            actor=_actor(entry["actor"]), recipient=_actor(entry["recipient"]),
            date=entry["date"], date_precision=entry["precision"],
            location=Location(name, lat, lon, country, admin1, None, precision),
            modality=entry.get("modality", "asserted"),
            sources=tuple(Source(s[0], ActorRef(s[0], s[0], s[1], s[2]), "said") for s in entry["sources"]))
        pairs.append((event, entry["happening"]))
    return documents, pairs


def merge_scores(dataset: list[dict[str, Any]], gold: dict[str, str]) -> tuple[float, float]:
    """Return pairwise merge precision and recall of dataset events against gold happenings."""
    predicted = {frozenset(p) for d in dataset for p in combinations([r["id"] for r in d["reports"]], 2)}
    expected = {frozenset((a, b)) for a, b in combinations(sorted(gold), 2) if gold[a] == gold[b]}
    hits = len(predicted & expected)
    return (hits / len(predicted) if predicted else 1.0), (hits / len(expected) if expected else 1.0)


