"""Cross-article dedup: reports of the same happening merge into one dataset event.

A *report* is one per-article event record (the JSON contract of ``Event.to_dict``). ``rules`` says when
two reports may be the same happening, ``groups`` forms dataset events in which every report is
compatible with every other (no chains), ``merge`` builds each dataset event's record.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventcoder.dedup.groups import group_all, group_key
from eventcoder.dedup.merge import claim_status, dataset_id, merge
from eventcoder.dedup.rules import (
    Record,
    Rules,
    compatible,
    date_interval,
    distance_km,
    load_rules,
    parse_rules,
)

__all__ = ["Deduplicator", "Record", "Rules", "claim_status", "compatible", "dataset_id", "date_interval",
           "distance_km", "group_all", "group_key", "load_rules", "merge", "parse_rules"]


class Deduplicator:
    """Merge per-article reports into dataset events (in memory; the store does it incrementally)."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or load_rules()

    def __call__(self, reports: Iterable[Record]) -> list[Record]:
        """Return dataset event records, sorted by id, whatever the order of ``reports``."""
        merged = [merge(group, group_key(group, self.rules), self.rules)
                  for group in group_all(reports, self.rules)]
        return sorted(merged, key=lambda r: r["id"])
