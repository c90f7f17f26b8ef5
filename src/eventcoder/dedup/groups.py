"""Group reports into dataset events: every report compatible with every other, unknowns never bridging.

Each report is of one *kind*:

- ``day``: dated to one day (an undated report is dated to its published day). Day reports of one
  *block* (event type, modality group, place country, day) are clustered greedily in a canonical order
  (most specific first, then id): a report joins the one cluster whose every member it is compatible
  with; compatible with none, it starts a cluster; with several (it would bridge them), it stays alone.
- ``vague``: dated to a week or a month (``attach_precisions``). It joins the one day cluster of its
  *family* (type, modality group, place country) within its interval that it fits (compatible with every
  member), if it is also compatible with the vague reports that joined before it (canonical order). With
  several such clusters, or none, it is a *leftover*.
- ``loose`` (a year, or no date at all) and leftovers stay apart, one dataset event each (their block,
  family and exact date interval, only says where the store finds them).

A dataset event's date span is therefore one day for day clusters (a vague report only joins a cluster
whose day lies in its interval), and a report never bridges two clusters. Every decision depends only on
the set of reports, never on their order, and reads a bounded neighbourhood (a block; a family's days
within one vague interval), which lets the store update incrementally (``store.linking``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from eventcoder.dedup.rules import Record, Rules, compatible, date_interval, load_rules, rank


def family(record: Record, rules: Rules) -> str:
    """Return the key reports must share to be compared at all: type, modality group, place country."""
    place = record["location"]
    where = "~" if place is None else (place.get("country") or "-")
    return f"{record['event_type']}|{rules.modality_group.get(record['modality'], -1)}|{where}"


def kind(record: Record, rules: Rules) -> str:
    """Say whether a report is a ``day``, ``vague`` (week or month) or ``loose`` report."""
    span = date_interval(record, rules)
    if span is None:
        return "loose"
    if span[0] == span[1]:
        return "day"
    vague = record.get("date_precision") in rules.attach_precisions
    return "vague" if vague and (span[1] - span[0]).days < rules.max_attach_days else "loose"


def block(record: Record, rules: Rules) -> str:
    """Return the block a report is clustered in: its family and exact date interval."""
    span = date_interval(record, rules)
    first, last = (span[0].isoformat(), span[1].isoformat()) if span else ("", "")
    return f"{family(record, rules)}|{first}|{last}"


def day_block(family_key: str, day: date) -> str:
    """Return the block of a family's day reports on one day."""
    return f"{family_key}|{day.isoformat()}|{day.isoformat()}"


def days(record: Record, rules: Rules) -> list[date]:
    """Return every day of a report's date interval (none when undated)."""
    span = date_interval(record, rules)
    if span is None:
        return []
    return [span[0] + timedelta(days=n) for n in range((span[1] - span[0]).days + 1)]


def order_key(record: Record, rules: Rules) -> tuple[bool, int, int, str]:
    """Canonical order: asserted before denials, the most specific first, then by id."""
    unknown = 0
    for role in ("actor", "recipient"):
        actor = record[role]
        unknown += 2 if actor is None else (not actor.get("country")) + (not actor.get("sector"))
    place = record["location"]
    where = len(rules.place_rank) if place is None else rank(place.get("precision"), rules.place_rank)
    return record["modality"] == "negated", unknown, where, record["id"]


def cluster_block(reports: Iterable[Record], rules: Rules) -> list[list[Record]]:
    """Cluster one block: each report joins the one cluster it fits entirely, or starts one if it fits none.

    A report that fits several is set apart, alone, and no later report may join it (it would gather the
    reports that fit it and one of the clusters, as a chain would).
    """
    clusters: list[list[Record]] = []
    apart: list[list[Record]] = []
    for report in sorted(reports, key=lambda r: order_key(r, rules)):
        fits = [c for c in clusters if all(compatible(report, member, rules) for member in c)]
        if len(fits) == 1:
            fits[0].append(report)
        else:
            (apart if fits else clusters).append([report])
    return clusters + apart


def group_key(members: Sequence[Record], rules: Rules) -> str:
    """Return the report id that names a group: its smallest day report's (stable as vague ones come and go)."""
    day_ids = [str(m["id"]) for m in members if kind(m, rules) == "day"]
    return min(day_ids or [str(m["id"]) for m in members])


def fits(report: Record, cluster: Sequence[Record], rules: Rules) -> bool:
    """Say whether a vague report may join a day cluster: it is compatible with every member."""
    return all(compatible(report, member, rules) for member in cluster)


def candidates(report: Record, clusters: Iterable[tuple[str, Sequence[Record]]], rules: Rules) -> list[str]:
    """Return the keys of the day clusters (of the report's family and interval) a vague report fits."""
    return sorted({key for key, cluster in clusters if fits(report, cluster, rules)})


def attach(cluster: Sequence[Record], vague: Iterable[Record], rules: Rules) -> tuple[list[Record], list[Record]]:
    """Add the vague reports whose one candidate is ``cluster`` in canonical order, each compatible with every
    member so far (two of them may fill in an unknown actor differently); return members and those that clash."""
    members, clashing = list(cluster), []
    for report in sorted(vague, key=lambda r: order_key(r, rules)):
        if all(compatible(report, member, rules) for member in members):
            members.append(report)
        else:
            clashing.append(report)
    return members, clashing


def group_all(reports: Iterable[Record], rules: Rules | None = None) -> list[list[Record]]:
    """Group every report (unique by id) into dataset events, whatever their order."""
    rules = rules or load_rules()
    unique = sorted({r["id"]: r for r in reports}.values(), key=lambda r: r["id"])
    day_blocks: dict[str, list[Record]] = {}
    vague: list[Record] = []
    leftovers: list[Record] = []
    for report in unique:
        sort = kind(report, rules)
        if sort == "day":
            day_blocks.setdefault(block(report, rules), []).append(report)
        else:
            (vague if sort == "vague" else leftovers).append(report)
    clusters: dict[str, list[Record]] = {}
    by_block: dict[str, list[str]] = {}
    for name in sorted(day_blocks):
        for cluster in cluster_block(day_blocks[name], rules):
            key = group_key(cluster, rules)
            clusters[key] = cluster
            by_block.setdefault(name, []).append(key)
    pending: dict[str, list[Record]] = {}
    for report in vague:
        fam = family(report, rules)
        near = [(key, clusters[key]) for day in days(report, rules) for key in by_block.get(day_block(fam, day), [])]
        found = candidates(report, near, rules)
        if len(found) == 1:
            pending.setdefault(found[0], []).append(report)
        else:
            leftovers.append(report)
    groups: list[list[Record]] = []
    for key in sorted(clusters):
        members, clashing = attach(clusters[key], pending.get(key, []), rules)
        groups.append(members)
        leftovers.extend(clashing)
    loose: dict[str, list[Record]] = {}
    for report in leftovers:
        loose.setdefault(block(report, rules), []).append(report)
    for name in sorted(loose):
        groups.extend(leftover_groups(loose[name]))
    return groups


def leftover_groups(reports: Iterable[Record]) -> list[list[Record]]:
    """Keep each leftover report apart: a vague report that fits no day event, or several, is no evidence
    that it tells the same happening as another vague one (two "in October" shellings of a town)."""
    return [[report] for report in sorted(reports, key=lambda r: r["id"])]
