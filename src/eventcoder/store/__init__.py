"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, one schema.

``schema`` holds the tables, ``migrations`` the versions, ``filters`` the dataset filters, ``locking``
how concurrent writers queue and retry, ``linking`` the incremental merge into dataset events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from eventcoder import dedup
from eventcoder.errors import StoreError
from eventcoder.model import Document, Event
from eventcoder.store import locking
from eventcoder.store.filters import EventFilter, parse_bbox
from eventcoder.store.linking import link_row, relink
from eventcoder.store.locking import (
    BUSY_ATTEMPTS,
    BUSY_BACKOFF_S,
    BUSY_TIMEOUT_MS,
    StoreBusy,
    is_busy,
    retry_busy,
    sqlite_pragmas,
    write_lock,
)
from eventcoder.store.migrations import MIGRATIONS, migrate
from eventcoder.store.schema import (
    SCHEMA_VERSION,
    dataset_events,
    document_row,
    documents,
    event_links,
    event_row,
    events,
    metadata,
    page_key,
    places,
    schema_version,
    sources,
    store_state,
)

__all__ = [
    "BUSY_ATTEMPTS", "BUSY_BACKOFF_S", "BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "EventFilter", "Store",
    "StoreBusy", "Summary", "database_url", "dataset_events", "documents", "event_links", "events", "is_busy",
    "metadata", "parse_bbox", "places", "retry_busy", "schema_version", "sources",
]


@dataclass(frozen=True)
class Summary:
    """Counts for the readable table after a run.

    ``low_confidence`` counts the events under ``min_confidence`` (when one was asked about).
    """

    documents: int
    events: int
    by_type: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    min_confidence: float | None = None
    low_confidence: int = 0


def database_url(target: str) -> str:
    """Turn a path or URL into an SQLAlchemy URL (a bare path means an SQLite file)."""
    if "://" in target:
        if target.startswith("postgresql://"):
            return "postgresql+psycopg://" + target[len("postgresql://"):]
        return target
    return f"sqlite:///{Path(target).expanduser()}"


class Store:
    """One store API for CLI, API and tests: save coded documents, read events back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str) -> Store:
        """Open (and create or migrate) the store at a path or database URL."""
        url = database_url(target)
        # sqlite3's ``timeout`` is SQLite's busy timeout, set at connect, before any statement may need a lock
        connect_args = {"timeout": locking.BUSY_TIMEOUT_MS / 1000} if url.startswith("sqlite") else {}
        try:
            engine = sa.create_engine(url, connect_args=connect_args)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open database {target!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa_event.listen(engine, "connect", sqlite_pragmas)
        store = cls(engine)
        store.migrate(target)
        return store

    def migrate(self, target: str = "") -> None:
        """Create the schema if absent, apply pending migrations and record each version applied."""
        try:
            retry_busy(lambda: self._migrate(target), f"cannot prepare database {target!r}")
        except StoreBusy:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot prepare database {target!r}: {exc}") from exc

    def _migrate(self, target: str) -> None:
        with self.engine.begin() as conn:
            migrate(conn, target)

    def save(self, document: Document, coded: Iterable[Event], political: float | None = None) -> int:
        """Store one document, its events and its political score in one transaction, replacing an earlier coding.

        A lock conflict with another writer is retried (``BUSY_ATTEMPTS``); past that, ``StoreBusy``.
        """
        rows = list(coded)
        what = f"cannot store document {document.origin or document.id}"
        try:
            return retry_busy(lambda: self._save(document, rows, political), what)
        except StoreBusy:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"{what}: {exc}") from exc

    def _save(self, document: Document, rows: list[Event], political: float | None) -> int:
        with self.engine.begin() as conn:
            write_lock(conn)  # merging reads then writes: take the write lock first, so saves serialise
            removed = _drop_document(conn, document.id)
            conn.execute(documents.insert().values(**document_row(document, political)))
            seen: set[str] = set()
            rules = dedup.load_rules()
            tables: dict[str, list[dict[str, Any]]] = {"events": [], "sources": [], "places": [], "links": []}
            for seq, item in enumerate(rows):
                if item.id in seen:
                    continue
                seen.add(item.id)
                record = item.to_dict()
                tables["events"].append(event_row(record, seq))
                for number, source in enumerate(record["sources"]):
                    actor = source["actor"] or {}
                    tables["sources"].append({
                        "event_id": record["id"], "seq": number, "text": source["text"], "name": actor.get("name"),
                        "country": actor.get("country"), "sector": actor.get("sector"), "cue": source["cue"]})
                if record["location"] is not None:
                    tables["places"].append({"event_id": record["id"], **record["location"]})
                tables["links"].append(link_row(record, rules))
            for table, key in ((events, "events"), (sources, "sources"), (places, "places"), (event_links, "links")):
                if tables[key]:
                    conn.execute(table.insert(), tables[key])
            relink(conn, sorted(seen), removed)
            _bump_version(conn)
        return len(seen)

    def forget(self, doc_id: str) -> None:
        """Remove a document and its events (the dataset events they joined are merged again without them)."""
        def drop() -> None:
            with self.engine.begin() as conn:
                write_lock(conn)
                relink(conn, [], _drop_document(conn, doc_id))
                _bump_version(conn)

        try:
            retry_busy(drop, f"cannot remove document {doc_id}")
        except StoreBusy:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot remove document {doc_id}: {exc}") from exc

    def has_document(self, doc_id: str) -> bool:
        """Say whether a document is stored; a save is one transaction, so a stored one is complete."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def political(self, doc_id: str) -> float | None:
        """Return a stored document's political score (``None``: not scored, or no such document)."""
        with self.engine.connect() as conn:
            score = conn.execute(sa.select(documents.c.political).where(documents.c.id == doc_id)).scalar()
        return None if score is None else float(score)

    def records(self, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield stored event records in document and coding order."""
        query = sa.select(events.c.record).order_by(events.c.doc_id, events.c.seq)
        if doc_id is not None:
            query = query.where(events.c.doc_id == doc_id)
        with self.engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield json.loads(record)

    def dataset(self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                after: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield dataset event records (merged across articles) by date (undated last) then id, filtered.

        ``after`` is a page cursor (``cursor_of`` the last record of the page before): the page starts
        right after it, through the index, whatever the depth (keyset paging; ``offset`` scans).
        """
        for text, _key in self.dataset_texts(where, limit, offset, after):
            yield json.loads(text)

    def dataset_texts(self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                      after: str | None = None) -> Iterator[tuple[str, str]]:
        """Yield ``dataset``'s records as stored JSON text, each with its page cursor (the API sends the text
        as it is, without parsing it and writing it again)."""
        t = dataset_events.c
        query = (sa.select(t.record, t.page_key).where((where or EventFilter()).clause())
                 .order_by(t.page_key).offset(offset))
        if after is not None:
            query = query.where(t.page_key > after)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            for record, key in self._listing(conn, query):
                yield str(record), str(key)

    @staticmethod
    def _listing(conn: sa.Connection, query: sa.Select[tuple[str, str]]) -> Iterable[Any]:
        """Run a listing query; on SQLite, walk the listing order's index and filter on the way (a page stops
        after ``limit`` rows) rather than fetch every row a filter's index finds and sort them all per page."""
        if conn.dialect.name != "sqlite":
            return conn.execute(query)
        compiled = query.compile(conn)
        sql = str(compiled).replace("FROM dataset_events", "FROM dataset_events INDEXED BY ix_dataset_events_page", 1)
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        return conn.exec_driver_sql(sql, params)

    @staticmethod
    def cursor_of(record: dict[str, Any]) -> str:
        """Return the page cursor that follows a dataset record (see ``dataset``)."""
        return page_key(record)

    def version(self) -> int:
        """Return a number that changes whenever a save changes the store (0: nothing saved yet)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(store_state.c.version).where(store_state.c.id == 1)).scalar() or 0)

    def version_reader(self) -> Callable[[], int]:
        """Return a function that reads ``version()``, for one thread: on SQLite through a connection it keeps (a few
        µs a read instead of ~0.1 ms through the pool; the API reads the version for every page it serves)."""
        if self.engine.dialect.name != "sqlite":
            return self.version
        kept: list[Any] = []

        def read() -> int:
            if not kept:
                kept.append(self.engine.raw_connection())
            cursor = kept[0].cursor()
            try:  # a SELECT opens no transaction (sqlite3 begins one before a write only): it sees the last commit
                cursor.execute("SELECT version FROM store_state WHERE id = 1")
                row = cursor.fetchone()
            finally:
                cursor.close()
            return int(row[0]) if row is not None and row[0] is not None else 0

        return read

    def count(self, where: EventFilter | None = None) -> int:
        """Count dataset events matching a filter."""
        query = sa.select(sa.func.count()).select_from(dataset_events).where((where or EventFilter()).clause())
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def dataset_event(self, event_id: str) -> dict[str, Any] | None:
        """Return one dataset event with every report, source and evidence span, or ``None``.

        It also names the dataset events linked by a denial: ``rejected_by`` (the REJECT events that deny
        its reports) and ``rejects`` (for a REJECT, the events whose reports it denies); never merged.
        """
        with self.engine.connect() as conn:
            text = conn.execute(sa.select(dataset_events.c.record).where(dataset_events.c.id == event_id)).scalar()
            if text is None:
                return None
            record: dict[str, Any] = json.loads(text)
            denials = sorted({d for r in record["reports"] for d in r["disputed_by"] or []})
            record["rejected_by"] = self._datasets_of(conn, denials)
            mine = {r["id"] for r in record["reports"]}
            docs = sorted({r["doc_id"] for r in record["reports"]}) if record["event_type"] == "REJECT" else []
            denied: list[str] = []
            for (report_text,) in conn.execute(sa.select(events.c.record).where(events.c.doc_id.in_(docs))):
                report = json.loads(report_text)
                if mine & set(report["disputed_by"]):  # a denial links the reports of its own article
                    denied.append(report["id"])
            record["rejects"] = self._datasets_of(conn, denied)
        return record

    @staticmethod
    def _datasets_of(conn: sa.Connection, report_ids: list[str]) -> list[str]:
        """Return the dataset events the given reports belong to."""
        if not report_ids:
            return []
        query = sa.select(event_links.c.dataset_id).where(event_links.c.event_id.in_(report_ids)).distinct()
        return sorted(conn.execute(query).scalars())

    def dataset_ids(self, doc_id: str) -> list[str]:
        """Return the ids of the dataset events a document's reports belong to."""
        query = (sa.select(event_links.c.dataset_id).distinct()
                 .select_from(event_links.join(events, events.c.id == event_links.c.event_id))
                 .where(events.c.doc_id == doc_id).order_by(event_links.c.dataset_id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def summary(self, min_confidence: float | None = None) -> Summary:
        """Count documents and events, by type and by claim status, and those under ``min_confidence``."""
        with self.engine.connect() as conn:
            n_docs = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
            n_events = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
            by_type = conn.execute(
                sa.select(events.c.event_type, sa.func.count()).group_by(events.c.event_type)
                .order_by(sa.func.count().desc(), events.c.event_type)).all()
            by_status = conn.execute(
                sa.select(events.c.claim_status, sa.func.count()).group_by(events.c.claim_status)
                .order_by(events.c.claim_status)).all()
            low = 0 if min_confidence is None else conn.execute(
                sa.select(sa.func.count()).select_from(events)
                .where(events.c.confidence < min_confidence, events.c.event_type != "REJECT")  # as EventFilter
            ).scalar_one()
        return Summary(n_docs, n_events, tuple((t, n) for t, n in by_type),
                       tuple((s, n) for s, n in by_status), min_confidence, int(low))

    def close(self) -> None:
        self.engine.dispose()


def _bump_version(conn: sa.Connection) -> None:
    """Count a change to the store (cached totals of ``/events`` pages are per version)."""
    bumped = conn.execute(store_state.update().where(store_state.c.id == 1)
                          .values(version=store_state.c.version + 1)).rowcount
    if not bumped:
        conn.execute(store_state.insert().values(id=1, version=1))


def _drop_document(conn: sa.Connection, doc_id: str) -> list[dict[str, Any]]:
    """Delete a document, its events and their rows; return their link rows, for ``relink`` to re-group."""
    old = sa.select(events.c.id).where(events.c.doc_id == doc_id)
    removed = [dict(row) for row in conn.execute(
        sa.select(event_links.c.dataset_id, event_links.c.kind, event_links.c.block, event_links.c.candidate)
        .where(event_links.c.event_id.in_(old))).mappings()]
    conn.execute(event_links.delete().where(event_links.c.event_id.in_(old)))
    conn.execute(sources.delete().where(sources.c.event_id.in_(old)))
    conn.execute(places.delete().where(places.c.event_id.in_(old)))
    conn.execute(events.delete().where(events.c.doc_id == doc_id))
    conn.execute(documents.delete().where(documents.c.id == doc_id))
    return removed
