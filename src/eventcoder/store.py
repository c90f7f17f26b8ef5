"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, one schema."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from eventcoder.errors import StoreError
from eventcoder.model import Document, Event

SCHEMA_VERSION = 1

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
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Store:
    """One store API for CLI, API and tests: save coded documents, read events back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str) -> Store:
        """Open (and create or migrate) the store at a path or database URL."""
        url = database_url(target)
        try:
            engine = sa.create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open database {target!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa_event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate(target)
        return store

    def migrate(self, target: str = "") -> None:
        """Create the schema if absent and record its version."""
        try:
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
                if current is None:
                    conn.execute(schema_version.insert().values(
                        version=SCHEMA_VERSION, applied_at=_now()))
                elif current > SCHEMA_VERSION:
                    raise StoreError(
                        f"database {target!r} has schema version {current}, newer than this eventcoder "
                        f"({SCHEMA_VERSION}); upgrade eventcoder")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot prepare database {target!r}: {exc}") from exc

    def save(self, document: Document, coded: Iterable[Event]) -> int:
        """Store one document and its events in one transaction, replacing an earlier coding."""
        rows = list(coded)
        try:
            with self.engine.begin() as conn:
                old = sa.select(events.c.id).where(events.c.doc_id == document.id)
                conn.execute(sources.delete().where(sources.c.event_id.in_(old)))
                conn.execute(places.delete().where(places.c.event_id.in_(old)))
                conn.execute(events.delete().where(events.c.doc_id == document.id))
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
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store document {document.origin or document.id}: {exc}") from exc
        return len(seen)

    def records(self, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield stored event records in document and coding order."""
        query = sa.select(events.c.record).order_by(events.c.doc_id, events.c.seq)
        if doc_id is not None:
            query = query.where(events.c.doc_id == doc_id)
        with self.engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield json.loads(record)

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
