"""Store: a real SQLite file, one transaction per document, re-coding replaces."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcoder.errors import StoreError
from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source
from eventcoder.store import SCHEMA_VERSION, EventFilter, Store, database_url, parse_bbox
from pg import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        target = str(tmp_path / "events.sqlite")
    else:
        target = fresh_database(request.getfixturevalue("postgres_url"), f"t_{abs(hash(request.node.name))}")
    opened = Store.open(target)
    yield opened
    opened.close()


def _document(text: str = "Russia called for a ceasefire.") -> Document:
    return Document(id="doc-1", text=text, published=date(2020, 9, 27), date_source="text", origin="a.txt")


def _event(trigger: str = "called", event_type: str = "REQUEST", start: int = 0) -> Event:
    return Event(
        doc_id="doc-1", event_type=event_type, published=date(2020, 9, 27),
        evidence=Evidence("Russia called for a ceasefire.", start, start + 30, trigger, start + 7),
        actor=ActorRef("Russia", "Russia", "RUS", "GOV"),
        location=Location("Moscow", 55.75, 37.62, "RUS", "Moscow", 524901, "city"),
        sources=(Source("TASS", ActorRef("TASS", "TASS", "RUS", "MED"), "according to"),),
    )


def test_store_round_trip_keeps_the_record(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "events.sqlite"))
    event = _event()
    assert store.save(_document(), [event]) == 1
    [record] = list(store.records())
    assert record == event.to_dict()
    store.close()


def test_store_recoding_replaces_not_duplicates(tmp_path: Path) -> None:
    path = str(tmp_path / "events.sqlite")
    store = Store.open(path)
    store.save(_document(), [_event(), _event("ceasefire", start=1)])
    store.save(_document(), [_event()])
    assert store.summary().events == 1
    assert store.summary().documents == 1
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from sources").fetchone() == (1,)
        assert conn.execute("select count(*) from places").fetchone() == (1,)


def test_store_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    Store.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
        assert conn.execute("select version from schema_version").fetchall() == [(1,), (2,), (3,), (4,), (5,), (6,)]


def test_store_url_from_path_and_postgresql() -> None:
    assert database_url("x/events.sqlite") == "sqlite:///x/events.sqlite"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_store_summary_counts_by_type_and_status(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "s.sqlite"))
    store.save(_document(), [_event(), replace(_event("hit", "ASSAULT", 3), claim_status="disputed")])
    summary = store.summary()
    assert dict(summary.by_type) == {"ASSAULT": 1, "REQUEST": 1}
    assert dict(summary.by_status) == {"disputed": 1, "uncontested": 1}
    store.close()


@settings(max_examples=25, deadline=None)
@given(text=st.text(min_size=1, max_size=80), trigger=st.text(min_size=1, max_size=12),
       status=st.sampled_from(["uncontested", "corroborated", "disputed"]))
def test_store_round_trip_any_text(tmp_path_factory, text: str, trigger: str, status: str) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(str(tmp_path_factory.mktemp("h") / "h.sqlite"))
    event = replace(_event(trigger), evidence=Evidence(text, 0, len(text), trigger), claim_status=status)  # type: ignore[arg-type]
    store.save(_document(text), [event])
    assert list(store.records()) == [event.to_dict()]
    store.close()


def test_store_same_schema_and_round_trip_on_every_backend(store: Store) -> None:
    event = _event()
    store.save(_document(), [event])
    assert list(store.records()) == [event.to_dict()]
    [merged] = list(store.dataset())
    assert merged["reports"][0]["id"] == event.id
    assert store.dataset_event(merged["id"]) == {**merged, "rejected_by": [], "rejects": []}
    assert store.dataset_event("nope") is None
    assert set(sa.inspect(store.engine).get_table_names()) >= {
        "documents", "events", "sources", "places", "schema_version", "dataset_events", "event_links"}


def test_store_recoding_a_document_regroups_only_its_events(store: Store) -> None:
    other = Document(id="doc-2", text="Moscow asked for a truce.", published=date(2020, 9, 27), publisher="TASS")
    mine, theirs = _event(), replace(_event("asked"), doc_id="doc-2")
    store.save(_document(), [mine])
    store.save(other, [theirs])
    [merged] = list(store.dataset())
    assert merged["n_reports"] == 2
    store.save(_document(), [replace(mine, event_type="ASSAULT")])
    assert sorted(d["event_type"] for d in store.dataset()) == ["ASSAULT", "REQUEST"]
    assert store.count() == 2


@pytest.mark.parametrize(("where", "expected"), [
    (EventFilter(), {"REQUEST", "ASSAULT", "PROTEST"}),
    (EventFilter(event_type="assault"), {"ASSAULT"}),
    (EventFilter(date_from=date(2020, 9, 28)), {"PROTEST"}),
    (EventFilter(date_to=date(2020, 9, 27)), {"REQUEST", "ASSAULT"}),
    (EventFilter(country="arm"), {"ASSAULT", "PROTEST"}),
    (EventFilter(actor="Russia"), {"REQUEST"}),
    (EventFilter(status="disputed"), {"ASSAULT"}),
    (EventFilter(bbox=(30.0, 50.0, 40.0, 60.0)), {"REQUEST"}),
    (EventFilter(bbox=(0.0, 0.0, 1.0, 1.0)), set()),
])
def test_store_filters_dataset_events(store: Store, where: EventFilter, expected: set[str]) -> None:
    yerevan = Location("Yerevan", 40.18, 44.51, "ARM", "Yerevan", 616052, "city")
    store.save(_document(), [
        _event(),
        replace(_event("hit", "ASSAULT", 3), claim_status="disputed", location=yerevan,
                actor=ActorRef("Baku", "Azerbaijan", "AZE", "GOV")),
        replace(_event("rallied", "PROTEST", 5), date=date(2020, 9, 28), date_precision="day", location=yerevan,
                actor=ActorRef("protesters", None, "ARM", "CVL")),
    ])
    assert {d["event_type"] for d in store.dataset(where)} == expected
    assert store.count(where) == len(expected)


def test_store_pages_in_a_stable_order(store: Store) -> None:
    store.save(_document(), [_event(str(n), start=n) for n in range(5)] +
               [replace(_event("x", "ASSAULT", 9), location=None)])
    everything = [d["id"] for d in store.dataset()]
    assert [d["id"] for d in store.dataset(limit=2)] + [d["id"] for d in store.dataset(limit=10, offset=2)] \
        == everything


def test_store_version_reader_sees_every_save(store: Store) -> None:
    read = store.version_reader()  # the API reads the version for each page it serves, through a kept connection
    before = read()
    assert before == store.version()
    store.save(_document(), [_event()])
    assert read() == store.version() > before
    store.forget("doc-1")
    assert read() == store.version() > before + 1


def test_store_migrates_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = Store.open(str(path))
    store.save(_document(), [_event(), _event("ceasefire", start=1)])
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("drop table event_links")
        conn.execute("drop table dataset_events")
        conn.execute("delete from schema_version where version > 1")
    store = Store.open(str(path))
    assert store.count() == 1
    assert next(store.dataset())["n_reports"] == 2
    store.close()


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Store.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert into schema_version values (?, 'later')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this eventcoder"):
        Store.open(str(path))


@pytest.mark.parametrize(("text", "expected"), [
    ("44,39,47,41", (44.0, 39.0, 47.0, 41.0)),
    ("-10.5, 0, 10, 1.25", (-10.5, 0.0, 10.0, 1.25)),
])
def test_store_parse_bbox(text: str, expected: tuple[float, float, float, float]) -> None:
    assert parse_bbox(text) == expected


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,0,5,1", "0,95,1,96"])
def test_store_parse_bbox_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="bbox"):
        parse_bbox(text)


def test_store_concurrent_saves_merge_like_one_writer(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from dedup_corpus import load_corpus
    from eventcoder.dedup import Deduplicator

    documents, pairs = load_corpus()

    def save(doc_id: str) -> int:
        return store.save(documents[doc_id], [event for event, _ in pairs if event.doc_id == doc_id])

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(save, sorted(documents))) == len(pairs)
    assert sorted(store.dataset(), key=lambda d: d["id"]) == Deduplicator()([e.to_dict() for e, _ in pairs])
