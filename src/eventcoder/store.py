"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, one schema."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from eventcoder import dedup
from eventcoder.errors import StoreError
from eventcoder.model import Document, Event

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000  # SQLite waits this long for another writer's lock before answering "locked"
BUSY_ATTEMPTS = 4  # then a write is tried again this many times in all, backing off, before StoreBusy
BUSY_BACKOFF_S = 0.2  # first pause between attempts; doubles each time, with jitter
# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock detected, lock not available
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_T = TypeVar("_T")

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("published", sa.String(10)),
    sa.Column("date_source", sa.String(16)),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("origin", sa.Text),
    sa.Column("language", sa.String(8)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("coded_at", sa.String(32), nullable=False),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(16), nullable=False, index=True),
    sa.Column("mode", sa.String(32)),
    sa.Column("quad_class", sa.String(24)),
    sa.Column("cameo_root", sa.String(4)),
    sa.Column("actor_country", sa.String(8), index=True),
    sa.Column("actor_sector", sa.String(8)),
    sa.Column("recipient_country", sa.String(8), index=True),
    sa.Column("recipient_sector", sa.String(8)),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("modality", sa.String(16), nullable=False),
    sa.Column("claim_status", sa.String(16), nullable=False),
    sa.Column("record", sa.Text, nullable=False),  # the full JSON record, the contract
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("country", sa.String(8)),
    sa.Column("sector", sa.String(8)),
    sa.Column("cue", sa.Text),
)

places = sa.Table(
    "places", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(8)),
    sa.Column("admin1", sa.Text),
    sa.Column("geonameid", sa.Integer),
    sa.Column("precision", sa.String(8)),
)

dataset_events = sa.Table(
    "dataset_events", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("event_type", sa.String(16), nullable=False, index=True),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("date_start", sa.String(10), index=True),
    sa.Column("date_end", sa.String(10), index=True),
    sa.Column("actor_name", sa.Text),
    sa.Column("actor_country", sa.String(8), index=True),
    sa.Column("recipient_name", sa.Text),
    sa.Column("recipient_country", sa.String(8), index=True),
    sa.Column("country", sa.String(8), index=True),  # of the location
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("claim_status", sa.String(16), nullable=False, index=True),
    sa.Column("n_reports", sa.Integer, nullable=False),
    sa.Column("record", sa.Text, nullable=False),  # the dataset record: lead fields plus every report
)

# One row per report: its dataset event and the blocking keys that find merge candidates without a scan
# (a candidate must share the type, overlap in time, and not contradict a known country).
event_links = sa.Table(
    "event_links", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("dataset_id", sa.String(40), nullable=False, index=True),
    sa.Column("event_type", sa.String(16)),
    sa.Column("date_start", sa.String(10)),
    sa.Column("date_end", sa.String(10)),
    sa.Column("located", sa.Boolean),
    sa.Column("place_country", sa.String(8)),
    sa.Column("actor_country", sa.String(8)),
    sa.Column("recipient_country", sa.String(8)),
    sa.Index("ix_event_links_block", "event_type", "date_start"),
)


@dataclass(frozen=True)
class EventFilter:
    """Filters shared by queries, exports and the API; ``None`` means no filter.

    ``country`` matches the place, actor or recipient country; ``actor`` matches an actor or recipient
    country code or name (case-insensitive); ``bbox`` is (min_lon, min_lat, max_lon, max_lat).
    """

    date_from: date | None = None
    date_to: date | None = None
    event_type: str | None = None
    country: str | None = None
    actor: str | None = None
    status: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def clause(self) -> sa.ColumnElement[bool]:
        """Return the SQL condition on ``dataset_events``."""
        t = dataset_events.c
        conditions: list[sa.ColumnElement[bool]] = []
        if self.date_from is not None:
            conditions.append(t.date_end >= self.date_from.isoformat())
        if self.date_to is not None:
            conditions.append(t.date_start <= self.date_to.isoformat())
        if self.event_type is not None:
            conditions.append(t.event_type == self.event_type.upper())
        if self.country is not None:
            code = self.country.upper()
            conditions.append(sa.or_(t.country == code, t.actor_country == code, t.recipient_country == code))
        if self.actor is not None:
            name = self.actor.casefold()
            conditions.append(sa.or_(
                t.actor_country == self.actor.upper(), t.recipient_country == self.actor.upper(),
                sa.func.lower(t.actor_name) == name, sa.func.lower(t.recipient_name) == name))
        if self.status is not None:
            conditions.append(t.claim_status == self.status)
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            conditions.append(sa.and_(t.lon >= min_lon, t.lon <= max_lon, t.lat >= min_lat, t.lat <= max_lat))
        return sa.and_(sa.true(), *conditions)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``min_lon,min_lat,max_lon,max_lat``; raise ``ValueError`` saying what is wrong."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"bbox {text!r} must be four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"bbox {text!r} must be four numbers: min_lon,min_lat,max_lon,max_lat") from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError(f"bbox {text!r} needs -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
    return min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class Summary:
    """Counts for the readable table after a run."""

    documents: int
    events: int
    by_type: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]


def database_url(target: str) -> str:
    """Turn a path or URL into an SQLAlchemy URL (a bare path means an SQLite file)."""
    if "://" in target:
        if target.startswith("postgresql://"):
            return "postgresql+psycopg://" + target[len("postgresql://"):]
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # the busy timeout is set at connect (``timeout``): this may wait
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class StoreBusy(StoreError):
    """Another writer kept the database locked through every retry; trying again later may succeed."""


def is_busy(exc: BaseException) -> bool:
    """Say whether a database error is a lock or serialization conflict that a retry may get past."""
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRY_SQLSTATES
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def retry_busy(work: Callable[[], _T], what: str, attempts: int | None = None) -> _T:
    """Run ``work`` (one whole transaction), again after a lock conflict, at most ``attempts`` times in all."""
    attempts = attempts or BUSY_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if not is_busy(exc):
                raise
            if attempt == attempts:
                raise StoreBusy(f"{what}: the database stayed locked by another writer through {attempts} attempts; "
                                "try again in a moment") from exc
            time.sleep(BUSY_BACKOFF_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))  # jitter parts colliding writers
    raise AssertionError("unreachable: the loop returns or raises")


class Store:
    """One store API for CLI, API and tests: save coded documents, read events back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str) -> Store:
        """Open (and create or migrate) the store at a path or database URL."""
        url = database_url(target)
        # sqlite3's ``timeout`` is SQLite's busy timeout, set at connect, before any statement may need a lock
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000} if url.startswith("sqlite") else {}
        try:
            engine = sa.create_engine(url, connect_args=connect_args)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open database {target!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa_event.listen(engine, "connect", _sqlite_pragmas)
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
            _write_lock(conn)  # two processes opening a new store at once must not both create it
            fresh = not sa.inspect(conn).has_table("documents")
            metadata.create_all(conn)
            current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
            if current is not None and current > SCHEMA_VERSION:
                raise StoreError(
                    f"database {target!r} has schema version {current}, newer than this eventcoder "
                    f"({SCHEMA_VERSION}); upgrade eventcoder")
            for version in range((current or 0) + 1, SCHEMA_VERSION + 1):
                if not fresh:
                    MIGRATIONS.get(version, _no_migration)(conn)
                conn.execute(schema_version.insert().values(version=version, applied_at=_now()))

    def save(self, document: Document, coded: Iterable[Event]) -> int:
        """Store one document and its events in one transaction, replacing an earlier coding.

        A lock conflict with another writer is retried (``BUSY_ATTEMPTS``); past that, ``StoreBusy``.
        """
        rows = list(coded)
        what = f"cannot store document {document.origin or document.id}"
        try:
            return retry_busy(lambda: self._save(document, rows), what)
        except StoreBusy:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"{what}: {exc}") from exc

    def _save(self, document: Document, rows: list[Event]) -> int:
        with self.engine.begin() as conn:
            _write_lock(conn)  # merging reads then writes: take the write lock first, so saves serialise
            old = sa.select(events.c.id).where(events.c.doc_id == document.id)
            touched = set(conn.execute(
                sa.select(event_links.c.dataset_id).where(event_links.c.event_id.in_(old))).scalars())
            conn.execute(event_links.delete().where(event_links.c.event_id.in_(old)))
            conn.execute(sources.delete().where(sources.c.event_id.in_(old)))
            conn.execute(places.delete().where(places.c.event_id.in_(old)))
            conn.execute(events.delete().where(events.c.doc_id == document.id))
            _regroup(conn, touched)
            conn.execute(documents.delete().where(documents.c.id == document.id))
            conn.execute(documents.insert().values(**_document_row(document)))
            seen: set[str] = set()
            for seq, item in enumerate(rows):
                if item.id in seen:
                    continue
                seen.add(item.id)
                record = item.to_dict()
                conn.execute(events.insert().values(**_event_row(record, seq)))
                for number, source in enumerate(record["sources"]):
                    actor = source["actor"] or {}
                    conn.execute(sources.insert().values(
                        event_id=record["id"], seq=number, text=source["text"], name=actor.get("name"),
                        country=actor.get("country"), sector=actor.get("sector"), cue=source["cue"]))
                if record["location"] is not None:
                    conn.execute(places.insert().values(event_id=record["id"], **record["location"]))
                _link(conn, record)
        return len(seen)

    def has_document(self, doc_id: str) -> bool:
        """Say whether a document is stored; a save is one transaction, so a stored one is complete."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def records(self, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield stored event records in document and coding order."""
        query = sa.select(events.c.record).order_by(events.c.doc_id, events.c.seq)
        if doc_id is not None:
            query = query.where(events.c.doc_id == doc_id)
        with self.engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield json.loads(record)

    def dataset(self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0
                ) -> Iterator[dict[str, Any]]:
        """Yield dataset event records (merged across articles) by date then id, filtered."""
        t = dataset_events.c
        query = (sa.select(t.record).where((where or EventFilter()).clause())
                 .order_by(t.date_start.is_(None), t.date_start, t.id).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield json.loads(record)

    def count(self, where: EventFilter | None = None) -> int:
        """Count dataset events matching a filter."""
        query = sa.select(sa.func.count()).select_from(dataset_events).where((where or EventFilter()).clause())
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def dataset_event(self, event_id: str) -> dict[str, Any] | None:
        """Return one dataset event with every report, source and evidence span, or ``None``."""
        with self.engine.connect() as conn:
            record = conn.execute(sa.select(dataset_events.c.record).where(dataset_events.c.id == event_id)).scalar()
        return None if record is None else dict(json.loads(record))

    def dataset_ids(self, doc_id: str) -> list[str]:
        """Return the ids of the dataset events a document's reports belong to."""
        query = (sa.select(event_links.c.dataset_id).distinct()
                 .select_from(event_links.join(events, events.c.id == event_links.c.event_id))
                 .where(events.c.doc_id == doc_id).order_by(event_links.c.dataset_id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def summary(self) -> Summary:
        """Count documents and events, by type and by claim status."""
        with self.engine.connect() as conn:
            n_docs = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
            n_events = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
            by_type = conn.execute(
                sa.select(events.c.event_type, sa.func.count()).group_by(events.c.event_type)
                .order_by(sa.func.count().desc(), events.c.event_type)).all()
            by_status = conn.execute(
                sa.select(events.c.claim_status, sa.func.count()).group_by(events.c.claim_status)
                .order_by(events.c.claim_status)).all()
        return Summary(n_docs, n_events, tuple((t, n) for t, n in by_type),
                       tuple((s, n) for s, n in by_status))

    def close(self) -> None:
        self.engine.dispose()


def _write_lock(conn: sa.Connection) -> None:
    """Take the database's write lock at the start of a transaction, so writers queue instead of conflicting."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7201)"))
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _document_row(document: Document) -> dict[str, Any]:
    return {
        "id": document.id, "published": document.published.isoformat() if document.published else None,
        "date_source": document.date_source, "publisher": document.publisher, "url": document.url,
        "title": document.title, "origin": document.origin, "language": document.language,
        "text": document.text, "coded_at": _now(),
    }


def _event_row(record: dict[str, Any], seq: int) -> dict[str, Any]:
    actor = record["actor"] or {}
    recipient = record["recipient"] or {}
    return {
        "id": record["id"], "doc_id": record["doc_id"], "seq": seq, "event_type": record["event_type"],
        "mode": record["mode"], "quad_class": record["quad_class"], "cameo_root": record["cameo_root"],
        "actor_country": actor.get("country"), "actor_sector": actor.get("sector"),
        "recipient_country": recipient.get("country"), "recipient_sector": recipient.get("sector"),
        "date": record["date"], "date_precision": record["date_precision"], "modality": record["modality"],
        "claim_status": record["claim_status"], "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }


def _reports(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    query = sa.select(events.c.record).select_from(
        events.join(event_links, event_links.c.event_id == events.c.id)).where(condition)
    return [json.loads(record) for (record,) in conn.execute(query)]


def _write_groups(conn: sa.Connection, groups: Sequence[Sequence[dict[str, Any]]]) -> None:
    for group in groups:
        merged = dedup.merge(group)
        conn.execute(dataset_events.insert().values(**_dataset_row(merged)))
        conn.execute(event_links.delete().where(event_links.c.event_id.in_([r["id"] for r in group])))
        conn.execute(event_links.insert(),
                     [{"event_id": r["id"], "dataset_id": merged["id"], **_link_keys(r)} for r in group])


def _link(conn: sa.Connection, record: dict[str, Any]) -> None:
    """Merge one new report into the dataset events it is compatible with (and only those)."""
    keys = _link_keys(record)
    window = dedup.search_window(record, dedup.load_rules())
    l = event_links.c  # noqa: E741
    query = sa.select(l.dataset_id, events.c.record).select_from(
        event_links.join(events, events.c.id == l.event_id)).where(
        l.event_type == record["event_type"], l.located == keys["located"])
    if window is None:
        query = query.where(l.date_start.is_(None))
    else:
        query = query.where(l.date_start <= window[1], l.date_end >= window[0])
    for column in ("place_country", "actor_country", "recipient_country"):
        if keys[column] is not None:
            query = query.where(sa.or_(l[column] == keys[column], l[column].is_(None)))
    joined: set[str] = set()
    for dataset_id, text in conn.execute(query):
        if dataset_id not in joined and dedup.compatible(record, json.loads(text)):
            joined.add(dataset_id)
    members: list[dict[str, Any]] = [record]
    if joined:
        members.extend(_reports(conn, l.dataset_id.in_(joined)))
        conn.execute(dataset_events.delete().where(dataset_events.c.id.in_(joined)))
    _write_groups(conn, [members])


def _link_keys(record: dict[str, Any]) -> dict[str, Any]:
    span = dedup.date_interval(record, dedup.load_rules())
    place = record["location"]
    return {
        "event_type": record["event_type"], "date_start": span[0].isoformat() if span else None,
        "date_end": span[1].isoformat() if span else None, "located": place is not None,
        "place_country": (place or {}).get("country"), "actor_country": (record["actor"] or {}).get("country"),
        "recipient_country": (record["recipient"] or {}).get("country"),
    }


def _regroup(conn: sa.Connection, dataset_ids: set[str]) -> None:
    """Re-split dataset events that lost reports (a document was re-coded); touch no others."""
    if not dataset_ids:
        return
    remaining = _reports(conn, event_links.c.dataset_id.in_(dataset_ids))
    conn.execute(dataset_events.delete().where(dataset_events.c.id.in_(dataset_ids)))
    _write_groups(conn, dedup.components(remaining))


def _dataset_row(record: dict[str, Any]) -> dict[str, Any]:
    actor = record["actor"] or {}
    recipient = record["recipient"] or {}
    place = record["location"] or {}
    return {
        "id": record["id"], "event_type": record["event_type"], "date": record["date"],
        "date_precision": record["date_precision"], "date_start": record["date_start"],
        "date_end": record["date_end"], "actor_name": actor.get("name"), "actor_country": actor.get("country"),
        "recipient_name": recipient.get("name"), "recipient_country": recipient.get("country"),
        "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
        "claim_status": record["claim_status"], "n_reports": record["n_reports"],
        "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }


def _no_migration(_conn: sa.Connection) -> None:
    """Apply a version that only added tables (``create_all`` made them)."""


def _migrate_2(conn: sa.Connection) -> None:
    """Version 2: dataset events and merge links; group the reports already stored."""
    stored = [json.loads(record) for (record,) in conn.execute(sa.select(events.c.record))]
    conn.execute(event_links.delete())
    conn.execute(dataset_events.delete())
    if stored:
        conn.execute(event_links.insert(), [{"event_id": r["id"], "dataset_id": ""} for r in stored])
        _write_groups(conn, dedup.components(stored))


MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {2: _migrate_2}
