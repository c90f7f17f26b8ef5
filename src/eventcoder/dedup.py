"""Cross-article dedup: reports of the same happening merge into one dataset event.

A *report* is one per-article event record (the JSON contract of ``Event.to_dict``). Two reports are
compatible when they share the event type and a modality group, their actors and recipients agree on
country and sector side, their date intervals (by precision) overlap and their places are close (by
precision). Dataset events are the connected components of that relation (single linkage), so the
dataset does not depend on the order articles arrive in, and adding one report only touches the
dataset events it links to (see ``Store.save``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from eventcoder.errors import DataError

Record = dict[str, Any]


@dataclass(frozen=True)
class Rules:
    """Thresholds and groups that decide when two reports are the same happening."""

    date_slack_days: int
    week_half_width_days: int
    max_distance_km: Mapping[str, float]
    sector_side: Mapping[str, int]
    modality_group: Mapping[str, int]
    place_rank: tuple[str, ...]
    date_rank: tuple[str, ...]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Load and validate ``data/dedup/rules.yaml`` once."""
    text = resources.files("eventcoder").joinpath("data/dedup/rules.yaml").read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text), "data/dedup/rules.yaml")


def parse_rules(raw: Any, origin: str) -> Rules:
    """Validate a rules mapping; raise ``DataError`` naming the bad key."""
    if not isinstance(raw, dict):
        raise DataError(f"{origin}: expected a mapping of dedup rules")
    try:
        distances = {str(k): float(v) for k, v in raw["max_distance_km"].items()}
        place_rank = tuple(str(p) for p in raw["place_rank"])
        date_rank = tuple(str(p) for p in raw["date_rank"])
        sector_side = {str(s): n for n, group in enumerate(raw["sector_groups"]) for s in group}
        modality_group = {str(m): n for n, group in enumerate(raw["modality_groups"]) for m in group}
        rules = Rules(int(raw["date_slack_days"]), int(raw["week_half_width_days"]), distances, sector_side,
                      modality_group, place_rank, date_rank)
    except KeyError as exc:
        raise DataError(f"{origin}: missing key {exc}; see the comments in the shipped file") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{origin}: malformed dedup rules ({exc})") from exc
    if set(distances) != set(place_rank):
        raise DataError(f"{origin}: max_distance_km must give one distance for each of {list(place_rank)}")
    return rules


def date_interval(record: Record, rules: Rules) -> tuple[date, date] | None:
    """Return the days a report's date may mean, from its precision (the published day if undated)."""
    text, precision = record.get("date"), record.get("date_precision")
    if not text:
        text, precision = record.get("published"), "day"
        if not text:
            return None
    parts = [int(p) for p in str(text).split("-")]
    if precision == "year" or len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if precision == "month" or len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - timedelta(days=1)
    day = date(parts[0], parts[1], parts[2])
    half = rules.week_half_width_days if precision == "week" else 0
    return day - timedelta(days=half), day + timedelta(days=half)


def search_window(record: Record, rules: Rules) -> tuple[str, str] | None:
    """Return the ISO date range a compatible report's interval must overlap."""
    span = date_interval(record, rules)
    if span is None:
        return None
    slack = timedelta(days=rules.date_slack_days)
    return (span[0] - slack).isoformat(), (span[1] + slack).isoformat()


def compatible(a: Record, b: Record, rules: Rules | None = None) -> bool:
    """Say whether two reports may describe the same happening."""
    rules = rules or load_rules()
    if a["event_type"] != b["event_type"]:
        return False
    if rules.modality_group.get(a["modality"], -1) != rules.modality_group.get(b["modality"], -2):
        return False
    if not (_actors_agree(a["actor"], b["actor"], rules) and _actors_agree(a["recipient"], b["recipient"], rules)):
        return False
    return _dates_overlap(a, b, rules) and _places_close(a["location"], b["location"], rules)


def _actors_agree(a: Record | None, b: Record | None, rules: Rules) -> bool:
    if a is None or b is None:
        return True  # one outlet leaving the actor out is not a different happening
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    sa, sb = a.get("sector"), b.get("sector")
    if not sa or not sb or sa == sb:
        return True
    return rules.sector_side.get(sa, -1) == rules.sector_side.get(sb, -2)


def _dates_overlap(a: Record, b: Record, rules: Rules) -> bool:
    span_a, span_b = date_interval(a, rules), date_interval(b, rules)
    if span_a is None or span_b is None:
        return span_a is span_b
    slack = timedelta(days=rules.date_slack_days)
    return span_a[0] <= span_b[1] + slack and span_b[0] <= span_a[1] + slack


def _places_close(a: Record | None, b: Record | None, rules: Rules) -> bool:
    if a is None or b is None:
        return a is b  # a place on one side only could be anywhere: keep apart rather than chain
    coarser = max(_rank(a.get("precision"), rules.place_rank), _rank(b.get("precision"), rules.place_rank))
    level = rules.place_rank[coarser]
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    if level == "admin1" and a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
        return False
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return level == "country" or (a.get("name") or "").casefold() == (b.get("name") or "").casefold()
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= rules.max_distance_km[level]


def _rank(value: str | None, ranks: Sequence[str]) -> int:
    return ranks.index(value) if value in ranks else len(ranks) - 1


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def components(reports: Sequence[Record], rules: Rules | None = None) -> list[list[Record]]:
    """Group reports into connected components of ``compatible``, in a canonical order."""
    rules = rules or load_rules()
    ordered = sorted(reports, key=lambda r: r["id"])
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_type: dict[str, list[int]] = {}
    for i, report in enumerate(ordered):
        by_type.setdefault(report["event_type"], []).append(i)
    for indices in by_type.values():
        for n, i in enumerate(indices):
            for j in indices[n + 1:]:
                if compatible(ordered[i], ordered[j], rules):
                    parent[find(j)] = find(i)
    groups: dict[int, list[Record]] = {}
    for i, report in enumerate(ordered):
        groups.setdefault(find(i), []).append(report)
    return sorted(groups.values(), key=lambda g: g[0]["id"])


def dataset_id(reports: Iterable[Record]) -> str:
    """Return the dataset event id: a hash of its smallest report id (stable as reports join)."""
    return hashlib.sha1(("dataset\x1f" + min(r["id"] for r in reports)).encode()).hexdigest()


def claim_status(reports: Sequence[Record]) -> str:
    """Recompute the claim status over every report: any denial disputes, both sides corroborate."""
    if any(r["claim_status"] == "disputed" or r["disputed_by"] or r["modality"] == "negated" for r in reports):
        return "disputed"
    if any(r["claim_status"] == "corroborated" for r in reports):
        return "corroborated"
    sides = {(r.get(role) or {}).get("country") for r in reports for role in ("actor", "recipient")} - {None}
    speakers = {(s.get("actor") or {}).get("country") for r in reports for s in r["sources"]} - {None}
    return "corroborated" if len(sides) >= 2 and sides <= speakers else "uncontested"


def merge(reports: Sequence[Record], rules: Rules | None = None) -> Record:
    """Build the dataset event record of one component: the best report's fields plus every report.

    ``confidence`` is the highest of the reports' (one confident report makes the happening worth keeping);
    ``political`` the highest of their documents' scores, where the reports carry one (the store adds it).
    """
    rules = rules or load_rules()
    lead = min(reports, key=lambda r: _lead_key(r, rules))
    ordered = sorted(reports, key=lambda r: (r.get("published") or "", r["doc_id"], r["id"]))
    sources: list[Record] = []
    for report in ordered:
        for source in report["sources"]:
            if source not in sources:
                sources.append(source)
    merged = {key: value for key, value in lead.items() if key not in ("id", "sources", "disputed_by")}
    span = [date_interval(r, rules) for r in reports]
    known = [s for s in span if s is not None]
    merged.update(
        id=dataset_id(reports), claim_status=claim_status(reports), sources=sources,
        disputed_by=sorted({d for r in reports for d in r["disputed_by"]}),
        doc_ids=sorted({r["doc_id"] for r in reports}),
        publishers=sorted({r["publisher"] for r in reports if r.get("publisher")}),
        n_reports=len(reports),
        date_start=min(s[0] for s in known).isoformat() if known else None,
        date_end=max(s[1] for s in known).isoformat() if known else None,
        reports=[_report_entry(r) for r in ordered],
        confidence=_highest(r.get("confidence") for r in reports),
        political=_highest(r.get("political") for r in reports),
    )
    return merged


def _highest(values: Iterable[float | None]) -> float | None:
    """Return the highest known value (``None`` when none is known)."""
    known = [value for value in values if value is not None]
    return max(known) if known else None


def _lead_key(report: Record, rules: Rules) -> tuple[bool, int, int, str, str]:
    """Rank reports to speak for a dataset event: a denial never does (it would give the denier as actor)."""
    place = report["location"] or {}
    return (report["modality"] == "negated",
            _rank(place.get("precision"), rules.place_rank) if place else len(rules.place_rank),
            _rank(report.get("date_precision"), rules.date_rank) if report.get("date") else len(rules.date_rank),
            report.get("published") or "9999", report["id"])


def _report_entry(report: Record) -> Record:
    keys = ("id", "doc_id", "published", "publisher", "modality", "claim_status", "sources", "disputed_by",
            "date", "date_precision", "date_text", "location", "evidence", "actor", "recipient", "confidence",
            "political")
    return {key: report.get(key) for key in keys}


class Deduplicator:
    """Merge per-article reports into dataset events (in memory; the store does it incrementally)."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or load_rules()

    def __call__(self, reports: Iterable[Record]) -> list[Record]:
        """Return dataset event records, sorted by id, whatever the order of ``reports``."""
        unique = {r["id"]: r for r in reports}
        merged = [merge(group, self.rules) for group in components(list(unique.values()), self.rules)]
        return sorted(merged, key=lambda r: r["id"])
