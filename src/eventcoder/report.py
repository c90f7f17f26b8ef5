"""Readable text for people: the run summary table and actor explanations."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from eventcoder.store import Summary


def _actor_label(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    code = " ".join(part for part in (actor.get("country"), actor.get("sector")) if part)
    return code or (actor.get("text") or "-")[:18]


def _place_label(location: dict[str, Any] | None) -> str:
    return (location or {}).get("name") or "-"


def _source_label(sources: Sequence[dict[str, Any]]) -> str:
    names = [s["text"] for s in sources]
    return "; ".join(names) if names else "-"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> list[str]:
    def cut(value: str, width: int) -> str:
        return value if len(value) <= width else value[: width - 1] + "…"

    lines = ["  ".join(cut(h, w).ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(cut(v, w).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return lines


def format_summary(summary: Summary, records: Sequence[dict[str, Any]], limit: int = 40) -> str:
    """Return the summary table: counts by type and status, then the first events."""
    lines = [f"{summary.documents} document(s), {summary.events} event(s)"]
    if summary.min_confidence is not None and summary.low_confidence:
        lines.append(f"{summary.low_confidence} event(s) under confidence {summary.min_confidence:g}: left out of "
                     "the API, exports and web page by default (eventcoder export --min-confidence 0 includes them)")
    lines.append("")
    lines += _table(["event type", "events"], [(t, str(n)) for t, n in summary.by_type], [12, 6])
    lines.append("")
    lines += _table(["claim status", "events"], [(s, str(n)) for s, n in summary.by_status], [12, 6])
    if limit > 0 and records:
        lines.append("")
        rows = [
            (r["event_type"], r["mode"] or "-", _actor_label(r["actor"]), _actor_label(r["recipient"]),
             r["date"] or "-", _place_label(r["location"]), r["modality"], r["claim_status"],
             _source_label(r["sources"]), r["evidence"]["trigger"])
            for r in records[:limit]
        ]
        lines += _table(["type", "mode", "actor", "recipient", "date", "place", "modality", "status",
                         "sources", "trigger"], rows, [9, 13, 10, 10, 10, 14, 12, 12, 28, 12])
        if len(records) > limit:
            lines.append(f"… and {len(records) - limit} more (eventcoder summary --limit N)")
    return "\n".join(lines)


def resolution_dict(resolution: Any) -> dict[str, Any]:
    """Return an actor resolution as plain JSON-able data."""
    if dataclasses.is_dataclass(resolution) and not isinstance(resolution, type):
        return dataclasses.asdict(resolution)
    return {"resolution": repr(resolution)}


def format_resolution(text: str, resolution: Any) -> str:
    """Return an actor resolution as readable lines: the actor, the KB entry, and why."""
    data = resolution_dict(resolution)
    lines = [f"mention: {text}"]
    for key, value in data.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, "", [], ()))
            lines.append(f"{key}: {inner or '-'}")
        else:
            lines.append(f"{key}: {value if value not in (None, '') else '-'}")
    return "\n".join(lines)
