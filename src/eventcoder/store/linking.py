"""Incremental dataset writes: re-group only the neighbourhood a saved (or re-coded) document touches.

The dataset is ``dedup.group_all`` of every stored report, whatever the order documents came in; this
module reaches the same groups by re-deciding only what a change can alter (see ``dedup.groups``): the
day blocks of the reports added or removed, the vague reports whose interval covers such a day, the day
events those vague reports fit (or fitted), and the leftover blocks of all of them. Every lookup goes
through an index of ``event_links`` (block; family, kind and date; candidate; dataset id), so the cost of
a save does not grow with the store.

Reports read back here carry their document's ``political`` score, ``url`` and ``title`` beside the
stored record, so that a dataset event lists them with each report (the per-article record itself stays
the contract, unchanged).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from eventcoder import dedup
from eventcoder.dedup import groups
from eventcoder.store.schema import dataset_events, dataset_row, documents, event_links, events

Record = dict[str, Any]
L = event_links.c


@dataclass
class Stored:
    """A stored report with its link row."""

    record: Record
    dataset_id: str
    candidate: str | None
    kind: str
    block: str
    attached: bool


def load(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[Stored]:
    """Return the stored reports (with their document's political score, url and title) where ``condition``."""
    query = sa.select(events.c.record, documents.c.political, documents.c.url, documents.c.title, L.dataset_id,
                      L.candidate, L.kind, L.block, L.attached).select_from(
        events.join(event_links, L.event_id == events.c.id).join(documents, documents.c.id == events.c.doc_id)
    ).where(condition)
    return [Stored({**json.loads(record), "political": political, "url": url, "title": title},
                   dataset_id, candidate, kind or "", block or "", bool(attached))
            for record, political, url, title, dataset_id, candidate, kind, block, attached in conn.execute(query)]


def link_row(record: Record, rules: dedup.Rules) -> Record:
    """Return the ``event_links`` row of a new report (its dataset event is decided by ``relink``)."""
    span = dedup.date_interval(record, rules)
    place = record["location"]
    return {
        "event_id": record["id"], "dataset_id": "", "event_type": record["event_type"],
        "date_start": span[0].isoformat() if span else None, "date_end": span[1].isoformat() if span else None,
        "located": place is not None, "place_country": (place or {}).get("country"),
        "actor_country": (record["actor"] or {}).get("country"),
        "recipient_country": (record["recipient"] or {}).get("country"),
        "family": groups.family(record, rules), "kind": groups.kind(record, rules),
        "block": groups.block(record, rules), "candidate": None, "attached": False,
    }


Group = list[Record]


@dataclass
class _Change:
    """What one save re-decides: dirty day blocks, vague reports (by id), day events and leftover blocks."""

    rules: dedup.Rules
    day_blocks: set[str] = field(default_factory=set)
    vague: dict[str, Stored] = field(default_factory=dict)
    clusters: set[str] = field(default_factory=set)
    loose_blocks: set[str] = field(default_factory=set)
    old_ids: set[str] = field(default_factory=set)
    new_clusters: dict[str, Group] = field(default_factory=dict)
    block_clusters: dict[str, list[tuple[str, Group]]] = field(default_factory=dict)
    attached: set[str] = field(default_factory=set)
    known: dict[str, Stored] = field(default_factory=dict)

    def load(self, conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[Stored]:
        """Load stored reports, remembering each one's link row (the first one read)."""
        found = load(conn, condition)
        for item in found:
            self.known.setdefault(item.record["id"], item)
        return found


def relink(conn: sa.Connection, added: Sequence[str], removed: Iterable[Record]) -> None:
    """Re-group after reports were added (their link rows inserted) or removed (their link rows given)."""
    change = _Change(dedup.load_rules())
    for row in removed:
        change.old_ids.add(row["dataset_id"])
        if row["kind"] == "day":
            change.day_blocks.add(row["block"])
        else:
            change.loose_blocks.add(row["block"])
            if row["candidate"]:
                change.clusters.add(row["candidate"])
    for start in range(0, len(added), 500):
        for item in change.load(conn, L.event_id.in_(list(added[start:start + 500]))):
            if item.kind == "day":
                change.day_blocks.add(item.block)
            elif item.kind == "vague":
                change.vague[item.record["id"]] = item
            else:
                change.loose_blocks.add(item.block)
    _recluster_days(conn, change)
    written = _attach_vague(conn, change)
    written.extend(_recluster_loose(conn, change))
    _write(conn, change, written)


def _recluster_days(conn: sa.Connection, change: _Change) -> None:
    """Re-cluster every dirty day block; every vague report covering one of its days becomes dirty."""
    rules = change.rules
    names = sorted(change.day_blocks)
    by_block: dict[str, list[Stored]] = {name: [] for name in names}
    for start in range(0, len(names), 200):
        for item in change.load(conn, sa.and_(L.block.in_(names[start:start + 200]), L.kind == "day")):
            by_block[item.block].append(item)
    for name in names:
        stored = by_block[name]
        change.old_ids.update(item.dataset_id for item in stored)
        clusters = [(dedup.dataset_id(groups.group_key(c, rules)), c)
                    for c in groups.cluster_block([s.record for s in stored], rules)]
        change.block_clusters[name] = clusters
        change.new_clusters.update(clusters)
    dirty_days: dict[str, set[str]] = {}
    for name in names:
        family, day = name.rsplit("|", 2)[0], name.rsplit("|", 1)[1]
        dirty_days.setdefault(family, set()).add(day)
    for family, days in sorted(dirty_days.items()):
        earliest = (date.fromisoformat(min(days)) - timedelta(days=rules.max_attach_days)).isoformat()
        for item in change.load(conn, sa.and_(L.family == family, L.kind == "vague", L.date_start <= max(days),
                                              L.date_start >= earliest, L.date_end >= min(days))):
            span = groups.days(item.record, rules)
            if any(day.isoformat() in days for day in span):  # it covers a day re-clustered here
                change.vague.setdefault(item.record["id"], item)


def _day_clusters(conn: sa.Connection, change: _Change, family: str, day: date) -> list[tuple[str, Group]]:
    """Return the day events of a family on a day, as now decided (dirty blocks) or stored."""
    name = groups.day_block(family, day)
    if name not in change.block_clusters:
        by_id: dict[str, Group] = {}
        for item in change.load(conn, sa.and_(L.block == name, L.kind == "day")):
            by_id.setdefault(item.dataset_id, []).append(item.record)
        change.block_clusters[name] = sorted(by_id.items())
    return change.block_clusters[name]


def _attach_vague(conn: sa.Connection, change: _Change) -> list[Group]:
    """Decide each dirty vague report's candidate, then the members of every day event concerned."""
    rules = change.rules
    pending: dict[str, list[Stored]] = {}
    for item in change.vague.values():
        family = groups.family(item.record, rules)
        near = [pair for day in groups.days(item.record, rules) for pair in _day_clusters(conn, change, family, day)]
        found = groups.candidates(item.record, near, rules)
        if item.candidate:
            change.clusters.add(item.candidate)
        change.loose_blocks.add(item.block)
        change.old_ids.add(item.dataset_id)
        item.candidate = found[0] if len(found) == 1 else None
        if item.candidate:
            change.clusters.add(item.candidate)
            pending.setdefault(item.candidate, []).append(item)
    written: list[Group] = []
    keys = sorted(set(change.new_clusters) | change.clusters)
    waiting: dict[str, list[Stored]] = {}
    for start in range(0, len(keys), 200):
        for item in change.load(conn, sa.and_(L.candidate.in_(keys[start:start + 200]), L.kind == "vague")):
            if item.record["id"] not in change.vague and item.candidate:
                waiting.setdefault(item.candidate, []).append(item)
    for key in keys:
        if key in change.new_clusters:
            day_members = change.new_clusters[key]
        else:
            stored = change.load(conn, sa.and_(L.dataset_id == key, L.kind == "day"))
            if not stored or stored[0].block in change.day_blocks:
                continue  # its reports were removed, or its block was re-clustered (under new ids)
            day_members = [s.record for s in stored]
            change.old_ids.add(key)
        others = waiting.get(key, [])
        for item in others:
            change.old_ids.add(item.dataset_id)
            change.loose_blocks.add(item.block)
            change.vague[item.record["id"]] = item  # re-decided here: it may now clash, or no longer
        vague = [s.record for s in [*pending.get(key, []), *others]]
        members, _clashing = groups.attach(day_members, vague, rules)
        written.append(members)
        change.attached.update(r["id"] for r in members[len(day_members):])
    return written


def _recluster_loose(conn: sa.Connection, change: _Change) -> list[Group]:
    """Re-cluster every dirty leftover block: loose reports and vague ones that joined no day event."""
    written: list[Group] = []
    for name in sorted(change.loose_blocks):
        members: dict[str, Record] = {}
        for item in change.load(conn, sa.and_(L.block == name, L.kind != "day")):
            key = item.record["id"]
            leftover = key not in change.attached if key in change.vague else not item.attached
            if leftover:
                change.old_ids.add(item.dataset_id)
                members[key] = item.record
        written.extend(groups.leftover_groups(members.values()))
    return written


def _write(conn: sa.Connection, change: _Change, written: list[Group]) -> None:
    """Replace the old dataset events by the new groups and point every member's link at its group."""
    change.old_ids.discard("")
    ids = sorted(change.old_ids)
    for start in range(0, len(ids), 500):
        conn.execute(dataset_events.delete().where(dataset_events.c.id.in_(ids[start:start + 500])))
    updates: list[Record] = []
    rows: list[Record] = []
    for members in written:
        merged = dedup.merge(members, dedup.group_key(members, change.rules), change.rules)
        rows.append(dataset_row(merged))
        for report in members:
            key = report["id"]
            source = change.vague.get(key) or change.known.get(key)
            updates.append({"key": key, "dataset": merged["id"], "candidate": source.candidate if source else None,
                            "attached": key in change.attached})
    if rows:
        conn.execute(dataset_events.insert(), rows)
    if updates:
        conn.execute(event_links.update().where(L.event_id == sa.bindparam("key")).values(
            dataset_id=sa.bindparam("dataset"), candidate=sa.bindparam("candidate"),
            attached=sa.bindparam("attached")), updates)


def rebuild(conn: sa.Connection) -> None:
    """Re-group every stored report from scratch (a migration): new link rows, new dataset events."""
    rules = dedup.load_rules()
    conn.execute(dataset_events.delete())
    conn.execute(event_links.delete())
    records = [json.loads(text) for (text,) in conn.execute(sa.select(events.c.record))]
    if records:
        conn.execute(event_links.insert(), [link_row(r, rules) for r in records])
        relink(conn, [r["id"] for r in records], [])
