"""Dedup rules: when two reports (per-article event records) may describe the same happening.

Two reports are compatible when they share the event type and a modality group, their actors and
recipients agree on country and sector side (actor with actor: direction matters), their date
intervals (by precision) overlap and their places are close (by precision). ``groups`` builds dataset
events in which every report is compatible with every other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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
    attach_precisions: frozenset[str]
    max_attach_days: int
    sector_roles: frozenset[str]


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
                      modality_group, place_rank, date_rank,
                      frozenset(str(p) for p in raw["attach_precisions"]), int(raw["max_attach_days"]),
                      frozenset(str(r) for r in raw["sector_roles"]))
    except KeyError as exc:
        raise DataError(f"{origin}: missing key {exc}; see the comments in the shipped file") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{origin}: malformed dedup rules ({exc})") from exc
    if set(distances) != set(place_rank):
        raise DataError(f"{origin}: max_distance_km must give one distance for each of {list(place_rank)}")
    if not rules.attach_precisions <= set(date_rank):
        raise DataError(f"{origin}: attach_precisions must be among {list(date_rank)}")
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


def compatible(a: Record, b: Record, rules: Rules | None = None) -> bool:
    """Say whether two reports may describe the same happening."""
    rules = rules or load_rules()
    if a["event_type"] != b["event_type"]:
        return False
    if rules.modality_group.get(a["modality"], -1) != rules.modality_group.get(b["modality"], -2):
        return False
    if not all(_actors_agree(a[role], b[role], role in rules.sector_roles, rules) for role in ("actor", "recipient")):
        return False
    return _dates_overlap(a, b, rules) and _places_close(a["location"], b["location"], rules)


def _actors_agree(a: Record | None, b: Record | None, by_sector: bool, rules: Rules) -> bool:
    if a is None or b is None:
        return True  # one outlet leaving the actor out is not a different happening
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    sa, sb = a.get("sector"), b.get("sector")
    if not by_sector or not sa or not sb or sa == sb:
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
    coarser = max(rank(a.get("precision"), rules.place_rank), rank(b.get("precision"), rules.place_rank))
    level = rules.place_rank[coarser]
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    if level == "admin1" and a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
        return False
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return level == "country" or (a.get("name") or "").casefold() == (b.get("name") or "").casefold()
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= rules.max_distance_km[level]


def rank(value: str | None, ranks: Sequence[str]) -> int:
    return ranks.index(value) if value in ranks else len(ranks) - 1


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
