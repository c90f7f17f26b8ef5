"""Store, schema versions 5 and 6: the web page's filters (modality, mode, fatalities, actor substring, text search)
in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventcoder.model import ActorRef, Document, Event, Evidence, Fatalities, Location, Modality, Source
from eventcoder.store import SCHEMA_VERSION, EventFilter, Store, database_url
from pg import sqlite_or_postgres

# the columns each version added: (version, columns)
VERSION_COLUMNS = ((5, ("modality", "mode", "dead", "hurt", "actor_words")), (6, ("search_text",)))


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return sqlite_or_postgres(request, tmp_path, "f")


@pytest.fixture()
def store(target: str) -> Iterator[Store]:
    opened = Store.open(target)
    yield opened
    opened.close()


def _document(doc_id: str) -> Document:
    return Document(id=doc_id, text="x" * 200, published=date(2020, 9, 27), origin=f"{doc_id}.txt")


def _event(doc_id: str, event_type: str, modality: Modality, mode: str | None, dead: int | None,
           injured: int | None, actor: ActorRef | None, start: int) -> Event:
    return Event(doc_id=doc_id, event_type=event_type, published=date(2020, 9, 27), mode=mode, modality=modality,
                 date=date(2020, 9, 1 + start // 20), date_precision="day",
                 evidence=Evidence("A sentence.", start, start + 11, "x", start), actor=actor,
                 recipient=ActorRef("the villagers", None, "ARM", "CVL"),
                 fatalities=Fatalities(dead=dead, injured=injured))


AZ = ActorRef("Azerbaijani forces", "Azerbaijan", "AZE", "MIL")
PM = ActorRef("Prime Minister Pashinyan", "Nikol Pashinyan", "ARM", "GOV")
# Each in its own document and on its own day, so that none merge: (type, modality, mode, dead, injured, actor)
ROWS = (
    ("ASSAULT", "asserted", "aerial", 3, 2, AZ),
    ("ASSAULT_", "negated", "aerial", None, None, AZ),
    ("PROTEST", "asserted", "demonstrate", None, 4, None),
    ("THREATEN", "future", None, None, None, PM),
    ("MOBILIZE", "hypothetical", None, 0, 0, ActorRef("100% volunteers_unit", None, None, None)),
)


def _fill(store: Store) -> None:
    for n, (kind, modality, mode, dead, injured, actor) in enumerate(ROWS):
        event_type = kind.rstrip("_")
        store.save(_document(f"doc-{n}"), [_event(f"doc-{n}", event_type, modality, mode,  # type: ignore[arg-type]
                                                  dead, injured, actor, n * 20)])


def _kinds(store: Store, where: EventFilter) -> list[tuple[str, str]]:
    found = sorted((d["event_type"], d["modality"]) for d in store.dataset(where))
    assert store.count(where) == len(found)
    return found


@pytest.mark.parametrize(("where", "expected"), [
    (EventFilter(modality="negated"), [("ASSAULT", "negated")]),
    (EventFilter(modality="asserted"), [("ASSAULT", "asserted"), ("PROTEST", "asserted")]),
    (EventFilter(mode="aerial"), [("ASSAULT", "asserted"), ("ASSAULT", "negated")]),
    (EventFilter(mode="aerial", modality="asserted"), [("ASSAULT", "asserted")]),
    (EventFilter(fatalities="dead"), [("ASSAULT", "asserted")]),
    (EventFilter(fatalities="hurt"), [("ASSAULT", "asserted"), ("PROTEST", "asserted")]),
    (EventFilter(actor_contains="pashin"), [("THREATEN", "future")]),  # the name
    (EventFilter(actor_contains="  PRIME minister "), [("THREATEN", "future")]),  # the mention, any case
    (EventFilter(actor_contains="aze"), [("ASSAULT", "asserted"), ("ASSAULT", "negated")]),  # a code
    (EventFilter(actor_contains="villagers"), sorted((k.rstrip("_"), m) for k, m, *_ in ROWS)),  # recipients too
    (EventFilter(actor_contains="100%"), [("MOBILIZE", "hypothetical")]),  # LIKE wildcards are plain characters
    (EventFilter(actor_contains="0% v"), [("MOBILIZE", "hypothetical")]),
    (EventFilter(actor_contains="s_u"), [("MOBILIZE", "hypothetical")]),
    (EventFilter(actor_contains="s%u"), []),
    (EventFilter(actor_contains="forces azer"), []),  # never across two words of different fields
])
def test_store_filters_as_the_page_does(store: Store, where: EventFilter, expected: list[tuple[str, str]]) -> None:
    _fill(store)
    assert _kinds(store, where) == expected


# Three articles, one event each (none merge): what the page's text search reads (web/src/filters.js haystack)
SEARCHED = (
    ("ASSAULT", "Shelling hit Tartar overnight.", "Night of shelling", "APA",
     Location("Tartar", 40.34, 46.93, "AZE", "Tartar District"),
     (Source("the ministry", ActorRef("the ministry", "Ministry of Defence", "AZE", "GOV")),)),
    ("PROTEST", "Crowds marched in Yerevan.", "100% turnout_day", "Armenpress", None, ()),
    ("THREATEN", "Officials warned of more strikes.", "Заявление: ЕРЕВАН", None, None, ()),
)


def _fill_searched(store: Store) -> None:
    for n, (kind, sentence, title, publisher, place, sources) in enumerate(SEARCHED):
        text = f"{sentence} " + "x" * 100
        document = Document(id=f"news-{n}", text=text, published=date(2020, 10, 1 + n), title=title,
                            publisher=publisher, origin=f"{n}.txt")
        store.save(document, [Event(doc_id=document.id, event_type=kind, published=document.published,
                                    publisher=publisher, date=document.published, date_precision="day",
                                    evidence=Evidence(sentence, 0, len(sentence), "x", 0), location=place,
                                    actor=AZ if n == 0 else None, sources=sources)])


@pytest.mark.parametrize(("search", "expected"), [
    ("tartar", ["ASSAULT"]),  # the place (and the sentence)
    ("  Tartar   DISTRICT ", ["ASSAULT"]),  # admin1; words split on white space, any case
    ("defence", ["ASSAULT"]),  # a source's speaker
    ("apa overnight", ["ASSAULT"]),  # every word, each in its own field
    ("apa yerevan", []),  # the words of two events
    ("armenpress", ["PROTEST"]),  # a publisher
    ("night", ["ASSAULT"]),  # a title (and the sentence)
    ("azerbaijan", ["ASSAULT"]),  # the actor's name
    ("assault", ["ASSAULT"]),  # the type
    ("ереван", ["THREATEN"]),  # lower case beyond ASCII (SQLite's LIKE folds ASCII only)
    ("100%", ["PROTEST"]),  # LIKE wildcards are plain characters
    ("t_d", ["PROTEST"]),
    ("n%d", []),
    ("a_t", []),
    ("", ["ASSAULT", "PROTEST", "THREATEN"]),
    ("hit\u00a0tartar", ["ASSAULT"]),  # a no-break space splits words, as JavaScript's \s does
])
def test_store_text_search_as_the_page_does(store: Store, search: str, expected: list[str]) -> None:
    _fill_searched(store)
    where = EventFilter(search=search)
    assert sorted(d["event_type"] for d in store.dataset(where)) == expected
    assert store.count(where) == len(expected)


@pytest.mark.parametrize("version", [4, 5])
def test_store_migrates_an_older_database(target: str, version: int) -> None:
    store = Store.open(target)
    target = store.engine.url.render_as_string(hide_password=False)
    _fill(store)
    _fill_searched(store)
    expected = _kinds(store, EventFilter(fatalities="hurt", actor_contains="a"))
    store.close()
    engine = sa.create_engine(database_url(target))
    with engine.begin() as conn:  # what the older version wrote: none of the later columns
        for name in (name for added, names in VERSION_COLUMNS if added > version for name in names):
            if name in ("modality", "mode"):
                conn.exec_driver_sql(f"DROP INDEX ix_dataset_events_{name}")
            conn.exec_driver_sql(f"ALTER TABLE dataset_events DROP COLUMN {name}")
        conn.exec_driver_sql(f"DELETE FROM schema_version WHERE version > {version}")
    engine.dispose()

    store = Store.open(target)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar_one() == SCHEMA_VERSION == 6
        columns = {c["name"] for c in sa.inspect(conn).get_columns("dataset_events")}
        assert {name for _, names in VERSION_COLUMNS for name in names} <= columns
    assert _kinds(store, EventFilter(fatalities="hurt", actor_contains="a")) == expected
    assert _kinds(store, EventFilter(modality="hypothetical")) == [("MOBILIZE", "hypothetical")]
    assert _kinds(store, EventFilter(search="defence tartar")) == [("ASSAULT", "asserted")]
    assert _kinds(store, EventFilter(search="ЕРЕВАН")) == [("THREATEN", "asserted")]
    store.close()
