"""Incremental dataset writes: link a new report to the dataset events it matches, regroup after a re-code.

Reports read back here carry their document's ``political`` score beside the stored record, so that a
dataset event lists it with each report (the per-article record itself stays the contract, unchanged).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder import dedup
from eventcoder.store.schema import dataset_events, dataset_row, documents, event_links, events


def reports(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    """Return the stored reports (with their document's political score) linked where ``condition`` holds."""
    query = sa.select(events.c.record, documents.c.political).select_from(
        events.join(event_links, event_links.c.event_id == events.c.id)
        .join(documents, documents.c.id == events.c.doc_id)).where(condition)
    return [{**json.loads(record), "political": political} for record, political in conn.execute(query)]


def write_groups(conn: sa.Connection, groups: Sequence[Sequence[dict[str, Any]]]) -> None:
    """Write one dataset event per group of reports and point the reports' links at it."""
    for group in groups:
        merged = dedup.merge(group)
        conn.execute(dataset_events.insert().values(**dataset_row(merged)))
        conn.execute(event_links.delete().where(event_links.c.event_id.in_([r["id"] for r in group])))
        conn.execute(event_links.insert(),
                     [{"event_id": r["id"], "dataset_id": merged["id"], **link_keys(r)} for r in group])


def link(conn: sa.Connection, record: dict[str, Any]) -> None:
    """Merge one new report into the dataset events it is compatible with (and only those)."""
    keys = link_keys(record)
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
        members.extend(reports(conn, l.dataset_id.in_(joined)))
        conn.execute(dataset_events.delete().where(dataset_events.c.id.in_(joined)))
    write_groups(conn, [members])


def link_keys(record: dict[str, Any]) -> dict[str, Any]:
    """Return the blocking keys of a report's ``event_links`` row."""
    span = dedup.date_interval(record, dedup.load_rules())
    place = record["location"]
    return {
        "event_type": record["event_type"], "date_start": span[0].isoformat() if span else None,
        "date_end": span[1].isoformat() if span else None, "located": place is not None,
        "place_country": (place or {}).get("country"), "actor_country": (record["actor"] or {}).get("country"),
        "recipient_country": (record["recipient"] or {}).get("country"),
    }


def regroup(conn: sa.Connection, dataset_ids: set[str]) -> None:
    """Re-split dataset events that lost reports (a document was re-coded); touch no others."""
    if not dataset_ids:
        return
    remaining = reports(conn, event_links.c.dataset_id.in_(dataset_ids))
    conn.execute(dataset_events.delete().where(dataset_events.c.id.in_(dataset_ids)))
    write_groups(conn, dedup.components(remaining))


def rewrite(conn: sa.Connection) -> None:
    """Rebuild every dataset record from its reports, keeping the groups as linked (ids do not change)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    query = (sa.select(event_links.c.dataset_id, events.c.record, documents.c.political)
             .select_from(event_links.join(events, events.c.id == event_links.c.event_id)
                          .join(documents, documents.c.id == events.c.doc_id)))
    for dataset_id, record, political in conn.execute(query):
        groups.setdefault(dataset_id, []).append({**json.loads(record), "political": political})
    conn.execute(dataset_events.delete())
    write_groups(conn, [groups[key] for key in sorted(groups)])
