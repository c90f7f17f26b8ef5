"""Store, schema version 3: each event's confidence and each document's political score, kept and filtered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventcoder.model import ActorRef, Document, Event, Evidence, Location
from eventcoder.store import SCHEMA_VERSION, EventFilter, Store, database_url
from pg import sqlite_or_postgres

TYPES = ("REQUEST", "ASSAULT", "PROTEST", "CONSULT")


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return sqlite_or_postgres(request, tmp_path, "c")


@pytest.fixture()
def store(target: str) -> Iterator[Store]:
    opened = Store.open(target)
    yield opened
    opened.close()


def _document(doc_id: str = "doc-1") -> Document:
    return Document(id=doc_id, text="Russia called for a ceasefire.", published=date(2020, 9, 27), origin="a.txt")


def _event(event_type: str, confidence: float | None, doc_id: str = "doc-1") -> Event:
    return Event(
        doc_id=doc_id, event_type=event_type, published=date(2020, 9, 27), confidence=confidence,
        evidence=Evidence("Russia called for a ceasefire.", 0, 30, "called", 7),
        actor=ActorRef("Russia", "Russia", "RUS", "GOV"),
        location=Location("Moscow", 55.75, 37.62, "RUS", "Moscow", 524901, "city"),
    )


def _scored(store: Store) -> dict[str, float | None]:
    return {d["event_type"]: d["confidence"] for d in store.dataset()}


def test_store_confidence_and_political_round_trip_on_every_backend(store: Store) -> None:
    sure, unsure = _event("REQUEST", 0.91), _event("ASSAULT", 0.27)
    store.save(_document(), [sure, unsure], political=0.82)
    assert list(store.records()) == [sure.to_dict(), unsure.to_dict()]
    assert store.political("doc-1") == 0.82 and store.political("nope") is None
    assert _scored(store) == {"REQUEST": 0.91, "ASSAULT": 0.27}
    for merged in store.dataset():
        assert merged["political"] == 0.82
        assert [(r["confidence"], r["political"]) for r in merged["reports"]] == [(merged["confidence"], 0.82)]
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT political FROM documents")).scalar_one() == 0.82
        assert sorted(conn.execute(sa.text("SELECT confidence FROM events")).scalars()) == [0.27, 0.91]
        assert sorted(conn.execute(sa.text("SELECT confidence FROM dataset_events")).scalars()) == [0.27, 0.91]


def test_store_unscored_document_keeps_nulls(store: Store) -> None:
    store.save(_document(), [_event("REQUEST", None)])
    assert store.political("doc-1") is None
    [merged] = list(store.dataset())
    assert (merged["confidence"], merged["political"]) == (None, None)


@pytest.mark.parametrize(("scores", "expected"), [
    ((0.4, 0.7), 0.7),
    ((None, 0.6), 0.6),
    ((None, None), None),
])
def test_store_dataset_confidence_is_the_highest_of_its_reports(
        tmp_path: Path, scores: tuple[float | None, float | None], expected: float | None) -> None:
    store = Store.open(str(tmp_path / "events.sqlite"))
    for number, score in enumerate(scores):
        doc_id = f"doc-{number}"
        store.save(_document(doc_id), [_event("REQUEST", score, doc_id)], political=0.5 + number / 10)
    [merged] = list(store.dataset())
    assert merged["n_reports"] == 2
    assert merged["confidence"] == expected
    assert merged["political"] == 0.6
    assert store.count(EventFilter(min_confidence=0.65)) == (expected is None or expected >= 0.65)
    store.close()


@pytest.mark.parametrize(("min_confidence", "expected"), [
    (None, {"REQUEST", "ASSAULT", "PROTEST", "CONSULT"}),
    (0.0, {"REQUEST", "ASSAULT", "PROTEST", "CONSULT"}),
    (0.5, {"REQUEST", "ASSAULT", "CONSULT"}),  # at the threshold is kept; never scored is kept
    (0.95, {"CONSULT"}),
    (1.0, {"CONSULT"}),
])
def test_store_filter_min_confidence_keeps_unscored_events(store: Store, min_confidence: float | None,
                                                           expected: set[str]) -> None:
    store.save(_document(), [_event(kind, score) for kind, score in zip(TYPES, (0.9, 0.5, 0.2, None), strict=True)])
    where = EventFilter(min_confidence=min_confidence)
    assert {d["event_type"] for d in store.dataset(where)} == expected
    assert store.count(where) == len(expected)


def test_store_summary_counts_events_under_a_threshold(store: Store) -> None:
    store.save(_document(), [_event(kind, score) for kind, score in zip(TYPES, (0.9, 0.5, 0.2, None), strict=True)])
    assert store.summary().low_confidence == 0
    summary = store.summary(min_confidence=0.5)
    assert (summary.events, summary.min_confidence, summary.low_confidence) == (4, 0.5, 1)


def _make_version_2(target: str) -> None:
    """Turn a fresh store into what schema version 2 wrote: no confidence or political columns or keys."""
    engine = sa.create_engine(database_url(target))
    with engine.begin() as conn:
        for table, column in (("events", "confidence"), ("dataset_events", "confidence")):
            conn.exec_driver_sql(f"DROP INDEX ix_{table}_{column}")
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.exec_driver_sql("ALTER TABLE documents DROP COLUMN political")
        conn.exec_driver_sql("DELETE FROM schema_version WHERE version > 2")
        for dataset_id, text in conn.exec_driver_sql("SELECT id, record FROM dataset_events").all():
            record = json.loads(text)
            for part in (record, *record["reports"]):
                del part["confidence"], part["political"]
            conn.execute(sa.text("UPDATE dataset_events SET record = :record WHERE id = :id"),
                         {"record": json.dumps(record, sort_keys=True), "id": dataset_id})
    engine.dispose()


def test_store_migrates_a_version_2_database(target: str) -> None:
    store = Store.open(target)
    target = store.engine.url.render_as_string(hide_password=False)
    # a version 2 store coded by the relevance stage: the records carry confidence, the columns do not
    store.save(_document("doc-1"), [_event("REQUEST", 0.4, "doc-1"), _event("ASSAULT", None, "doc-1")])
    store.save(_document("doc-2"), [_event("REQUEST", 0.8, "doc-2")])
    records = list(store.records())
    store.close()
    _make_version_2(target)
    engine = sa.create_engine(database_url(target))
    with engine.connect() as conn:
        assert "confidence" not in {c["name"] for c in sa.inspect(conn).get_columns("events")}
    engine.dispose()

    store = Store.open(target)
    with store.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar_one() == SCHEMA_VERSION == 6
        assert "political" in {c["name"] for c in inspector.get_columns("documents")}
        for table in ("events", "dataset_events"):
            assert "confidence" in {c["name"] for c in inspector.get_columns(table)}
            assert f"ix_{table}_confidence" in {i["name"] for i in inspector.get_indexes(table)}
        assert sorted(conn.execute(sa.text("SELECT confidence FROM events")).scalars(),
                      key=lambda v: -1 if v is None else v) == [None, 0.4, 0.8]
    assert list(store.records()) == records
    assert _scored(store) == {"REQUEST": 0.8, "ASSAULT": None}
    assert {d["event_type"] for d in store.dataset(EventFilter(min_confidence=0.5))} == {"REQUEST", "ASSAULT"}
    assert {d["event_type"] for d in store.dataset(EventFilter(min_confidence=0.9))} == {"ASSAULT"}
    request = next(d for d in store.dataset() if d["event_type"] == "REQUEST")
    assert request["n_reports"] == 2 and request["political"] is None
    assert [r["confidence"] for r in request["reports"]] == [0.4, 0.8]
    store.save(_document("doc-3"), [_event("REQUEST", 0.95, "doc-3")], political=0.9)  # and it goes on working
    assert _scored(store)["REQUEST"] == 0.95
    store.close()
