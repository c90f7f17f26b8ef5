"""The dataset event record of one group of reports: the best report's fields plus every report and source."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from eventcoder.dedup.rules import Record, Rules, date_interval, load_rules, rank


def dataset_id(key_report_id: str) -> str:
    """Return a dataset event id from the report id that keys it (see ``groups.group_key``)."""
    return hashlib.sha1(("dataset\x1f" + key_report_id).encode()).hexdigest()


def claim_status(reports: Sequence[Record]) -> str:
    """Recompute the claim status over every report: any denial disputes, both sides corroborate."""
    if any(r["claim_status"] == "disputed" or r["disputed_by"] or r["modality"] == "negated" for r in reports):
        return "disputed"
    if any(r["claim_status"] == "corroborated" for r in reports):
        return "corroborated"
    sides = {(r.get(role) or {}).get("country") for r in reports for role in ("actor", "recipient")} - {None}
    speakers = {(s.get("actor") or {}).get("country") for r in reports for s in r["sources"]} - {None}
    return "corroborated" if len(sides) >= 2 and sides <= speakers else "uncontested"


def merge(reports: Sequence[Record], key: str, rules: Rules | None = None) -> Record:
    """Build the dataset event record of one group: the best report's fields plus every report.

    ``key`` is the report id the dataset id is made from. ``confidence`` is the highest of the reports'
    (one confident report makes the happening worth keeping); ``political`` the highest of their documents'
    scores, where the reports carry one (the store adds it, with each document's ``url`` and ``title``).
    ``url``, ``title`` and ``publisher`` are the lead report's article; ``urls`` every article's.
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
    urls: list[str] = []
    for report in ordered:
        if report.get("url") and report["url"] not in urls:
            urls.append(report["url"])
    merged.update(
        id=dataset_id(key), claim_status=claim_status(reports), sources=sources,
        disputed_by=sorted({d for r in reports for d in r["disputed_by"]}),
        doc_ids=sorted({r["doc_id"] for r in reports}),
        publishers=sorted({r["publisher"] for r in reports if r.get("publisher")}),
        url=lead.get("url"), title=lead.get("title"), urls=urls,
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
            rank(place.get("precision"), rules.place_rank) if place else len(rules.place_rank),
            rank(report.get("date_precision"), rules.date_rank) if report.get("date") else len(rules.date_rank),
            report.get("published") or "9999", report["id"])


def _report_entry(report: Record) -> Record:
    keys = ("id", "doc_id", "published", "publisher", "url", "title", "modality", "claim_status", "sources",
            "disputed_by", "date", "date_precision", "date_text", "location", "evidence", "actor", "recipient",
            "confidence", "political")
    return {key: report.get(key) for key in keys}
