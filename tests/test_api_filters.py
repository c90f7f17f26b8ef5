"""REST API: the web page's filters (modality, mode, fatalities, actor substring, text search) on /events and
/export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from eventcoder.api import create_app
from eventcoder.config import load_config
from eventcoder.model import ActorRef, Document, Event, Evidence, Fatalities, Modality
from eventcoder.store import Store
from live_server import live_server
from page_search import page_finds

MODALITIES: tuple[Modality, ...] = ("asserted", "negated", "hypothetical", "future", "historical")
MODES = ("aerial", "demonstrate", "ground", None)
ACTORS = (ActorRef("Azerbaijani forces", "Azerbaijan", "AZE", "MIL"),
          ActorRef("Prime Minister Pashinyan", "Nikol Pashinyan", "ARM", "GOV"),
          ActorRef("the rebels", None, None, None), None)
SENTENCES = ("Shells hit Tartar.", "Crowds marched in Yerevan.", "Officials warned of strikes.", "A sentence.",
             "Talks ended.")
TITLES = ("Night of shelling", "50% turnout_claims", None)
PUBLISHERS = ("APA", "Armenpress", None, "AFP")


def _records() -> list[tuple[Document, Event]]:
    """Sixty events, each on its own day and in its own article (none merge), the filtered fields varied."""
    found = []
    for n in range(60):
        sentence = SENTENCES[n % 5]
        document = Document(id=f"doc-{n}", text=f"{sentence} " + "x" * 40, published=date(2021, 1, 1),
                            origin=f"{n}.txt", title=TITLES[n % 3], publisher=PUBLISHERS[n % 4])
        event = Event(doc_id=document.id, event_type=("ASSAULT", "PROTEST", "THREATEN")[n % 3],
                      published=date(2021, 1, 1), date=date(2020, 1, 1 + n % 28).replace(month=1 + n // 28),
                      date_precision="day", modality=MODALITIES[n % 5], mode=MODES[n % 4],
                      publisher=document.publisher,
                      evidence=Evidence(sentence, 0, len(sentence), "x", 0), actor=ACTORS[n % 4],
                      recipient=ActorRef("villagers of Tartar", None, "AZE", "CVL") if n % 7 == 0 else None,
                      fatalities=Fatalities(dead=(n % 3) or None, injured=(n % 4) or None) if n % 2 else Fatalities())
        found.append((document, event))
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    db = str(tmp_path_factory.mktemp("filters") / "api.sqlite")
    store = Store.open(db)
    for document, event in _records():
        store.save(document, [event])
    store.close()
    config = load_config(env={}, db=db, token="t0ken", min_confidence=0.0)
    with live_server(create_app(config, coder=lambda d: None)) as url, \
            httpx.Client(base_url=url, timeout=20) as opened:
        yield opened


def _words(event: dict[str, Any]) -> str:
    parts = [(event.get(role) or {}).get(key) for role in ("actor", "recipient") for key in ("name", "text", "country")]
    return " \x01 ".join(p for p in parts if p).lower()


def _hurt(event: dict[str, Any], dead_only: bool) -> bool:
    fatalities = event.get("fatalities") or {}
    dead = fatalities.get("dead") or 0
    return dead > 0 if dead_only else dead + (fatalities.get("injured") or 0) > 0


# The page's own predicates (web/src/filters.js), applied here to the unfiltered listing
CASES: list[tuple[dict[str, str], Callable[[dict[str, Any]], bool]]] = [
    ({"modality": "negated"}, lambda e: e["modality"] == "negated"),
    ({"modality": "asserted", "mode": "aerial"}, lambda e: e["modality"] == "asserted" and e["mode"] == "aerial"),
    ({"mode": "ground"}, lambda e: e["mode"] == "ground"),
    ({"fatalities": "dead"}, lambda e: _hurt(e, True)),
    ({"fatalities": "hurt"}, lambda e: _hurt(e, False)),
    ({"actor_contains": "pashin"}, lambda e: "pashin" in _words(e)),
    ({"actor_contains": "AZE"}, lambda e: "aze" in _words(e)),
    ({"actor_contains": "tartar", "fatalities": "hurt"}, lambda e: "tartar" in _words(e) and _hurt(e, False)),
    ({"q": "tartar"}, lambda e: page_finds(e, "tartar")),
    ({"q": " APA  yerevan "}, lambda e: page_finds(e, "apa yerevan")),
    ({"q": "50%"}, lambda e: page_finds(e, "50%")),
    ({"q": "t_c"}, lambda e: page_finds(e, "t_c")),
    ({"q": "pashin shelling", "modality": "asserted"}, lambda e: page_finds(e, "pashin shelling")
     and e["modality"] == "asserted"),
    ({"q": "assault talks"}, lambda e: page_finds(e, "assault talks")),
]


def _everything(client: httpx.Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/events", params={"limit": 500}).json()["items"]
    assert len(items) == 60
    return items


@pytest.mark.parametrize(("query", "keep"), CASES)
def test_api_events_filter_as_the_page_does(client: httpx.Client, query: dict[str, str],
                                            keep: Callable[[dict[str, Any]], bool]) -> None:
    expected = sorted(e["id"] for e in _everything(client) if keep(e))
    assert expected  # every case selects something, and not everything
    assert len(expected) < 60
    page = client.get("/events", params={**query, "limit": 500}).json()
    assert page["total"] == len(expected)
    assert sorted(e["id"] for e in page["items"]) == expected


@pytest.mark.parametrize(("query", "keep"), CASES)
def test_api_export_filters_as_the_page_does(client: httpx.Client, query: dict[str, str],
                                             keep: Callable[[dict[str, Any]], bool]) -> None:
    expected = sorted(e["id"] for e in _everything(client) if keep(e))
    lines = client.get("/export", params={**query, "format": "jsonl"}).text.splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == expected
    rows = list(csv.DictReader(io.StringIO(client.get("/export", params={**query, "format": "csv"}).text)))
    assert sorted(row["id"] for row in rows) == expected


@pytest.mark.parametrize(("query", "where"), [({"modality": "maybe"}, "modality"), ({"fatalities": "some"},
                                              "fatalities"), ({"mode": "Air strike"}, "mode"),
                                              ({"actor_contains": ""}, "actor_contains"),
                                              ({"q": "word " * 201}, "q")])
def test_api_page_filters_refuse_bad_values(client: httpx.Client, query: dict[str, str], where: str) -> None:
    answer = client.get("/events", params=query)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == where


def test_api_page_filters_are_documented(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/events", "/export"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"modality", "mode", "fatalities", "actor_contains", "q"} <= names

