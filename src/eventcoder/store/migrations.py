"""Schema versions: create a fresh store, or bring an older one up to ``SCHEMA_VERSION`` step by step.

Each applied version is recorded in ``schema_version``; a store newer than this eventcoder is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import ExecutableDDLElement

from eventcoder.errors import StoreError
from eventcoder.store.linking import rebuild
from eventcoder.store.locking import write_lock
from eventcoder.store.schema import (
    SCHEMA_VERSION,
    dataset_events,
    documents,
    event_links,
    events,
    filter_columns,
    metadata,
    now,
    schema_version,
)


def migrate(conn: sa.Connection, target: str) -> None:
    """Create the schema if absent, apply pending migrations and record each version applied."""
    write_lock(conn)  # two processes opening a new store at once must not both create it
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
        conn.execute(schema_version.insert().values(version=version, applied_at=now()))


def _no_migration(_conn: sa.Connection) -> None:
    """Apply a version that only added tables (``create_all`` made them)."""


def _migrate_2(conn: sa.Connection) -> None:
    """Version 2: dataset events and merge links (``create_all`` made them; version 4 groups the reports)."""
    conn.execute(event_links.delete())
    conn.execute(dataset_events.delete())


def _migrate_3(conn: sa.Connection) -> None:
    """Version 3: ``documents.political``, ``events.confidence`` and ``dataset_events.confidence``.

    Event records coded before carry their ``confidence`` (or none): the column is filled from them; version
    4 rebuilds every dataset record, with its ``confidence`` and its reports' ``political`` (NULL: unknown).
    """
    _add_column(conn, documents, "political")
    _add_column(conn, events, "confidence")
    _add_column(conn, dataset_events, "confidence")
    for table in (events, dataset_events):
        for index in table.indexes:
            if "confidence" in index.columns:
                index.create(conn, checkfirst=True)
    scored = [(event_id, json.loads(record).get("confidence"))
              for event_id, record in conn.execute(sa.select(events.c.id, events.c.record))]
    updates = [{"key": event_id, "value": value} for event_id, value in scored if value is not None]
    if updates:
        conn.execute(events.update().where(events.c.id == sa.bindparam("key"))
                     .values(confidence=sa.bindparam("value")), updates)


def _migrate_4(conn: sa.Connection) -> None:
    """Version 4: dataset events of reports all compatible with each other (no chains), with the articles'
    ``url`` and ``title``; ``event_links`` gains the keys that find a report's neighbourhood by index, and
    ``dataset_events`` its ``page_key`` (listing order, keyset paging).

    Every report is grouped again from scratch (the groups of version 3 chained).
    """
    for name in ("family", "kind", "block", "candidate", "attached"):
        _add_column(conn, event_links, name)
    _add_column(conn, dataset_events, "page_key")
    _add_filter_columns(conn)  # rebuild writes today's rows
    for index in (*event_links.indexes, *dataset_events.indexes):
        index.create(conn, checkfirst=True)
    rebuild(conn)


def _migrate_5(conn: sa.Connection) -> None:
    """Version 5: ``dataset_events`` gains the columns the web page filters on (modality, mode, dead, hurt,
    actor words), filled from each stored record, so that /events and the exports apply those filters too."""
    _add_filter_columns(conn)
    for index in dataset_events.indexes:
        index.create(conn, checkfirst=True)
    _fill_filter_columns(conn, dataset_events.c.modality)


def _migrate_6(conn: sa.Connection) -> None:
    """Version 6: ``dataset_events.search_text``, what the web page's text search reads, filled from each stored
    record, so that /events and the exports apply the text search too."""
    _add_filter_columns(conn)
    _fill_filter_columns(conn, dataset_events.c.search_text)


def _fill_filter_columns(conn: sa.Connection, unset: sa.Column[Any]) -> None:
    """Write the page's filter columns of every dataset event where ``unset`` is NULL (an older version's row)."""
    rows = conn.execute(sa.select(dataset_events.c.id, dataset_events.c.record).where(unset.is_(None))).all()
    updates = [{"key": event_id, **filter_columns(json.loads(record))} for event_id, record in rows]
    if updates:
        columns: dict[str, Any] = {name: sa.bindparam(name) for name in updates[0] if name != "key"}
        conn.execute(dataset_events.update().where(dataset_events.c.id == sa.bindparam("key")).values(columns),
                     updates)


def _add_filter_columns(conn: sa.Connection) -> None:
    for name in ("modality", "mode", "dead", "hurt", "actor_words", "search_text"):
        _add_column(conn, dataset_events, name)


class AddColumn(ExecutableDDLElement):
    """``ALTER TABLE ... ADD COLUMN ...`` for a column of the current schema, compiled for each dialect."""

    inherit_cache = False

    def __init__(self, column: sa.Column[Any]) -> None:
        self.column = column


@compiles(AddColumn)
def _compile_add_column(element: AddColumn, compiler: Any, **_kw: Any) -> str:
    table = compiler.preparer.format_table(element.column.table)
    return f"ALTER TABLE {table} ADD COLUMN {compiler.get_column_specification(element.column)}"


def _add_column(conn: sa.Connection, table: sa.Table, name: str) -> None:
    """Add a column of the current schema to a table made by an older version (none if it is there)."""
    if name not in {column["name"] for column in sa.inspect(conn).get_columns(table.name)}:
        conn.execute(AddColumn(table.c[name]))


MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {2: _migrate_2, 3: _migrate_3, 4: _migrate_4,
                                                           5: _migrate_5, 6: _migrate_6}
