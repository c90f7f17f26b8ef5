"""Store: a real SQLite file, one transaction per document, re-coding replaces."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from eventcoder.model import ActorRef, Document, Event, Evidence, Location, Source
from eventcoder.store import Store, database_url


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
        assert conn.execute("select version from schema_version").fetchall() == [(1,)]


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
