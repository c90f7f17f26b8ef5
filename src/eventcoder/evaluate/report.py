"""Readable tables of evaluation results."""

from __future__ import annotations

from typing import Any

_HEADLINES: dict[str, tuple[str, ...]] = {
    "events": ("n_records", "n_gold", "n_predicted", "type_precision", "type_recall", "type_f1",
               "actor_country_acc", "n_actor_scored", "recipient_country_acc", "n_recipient_scored",
               "location_acc", "n_location_scored",
               "n_negative_records", "negative_records_with_events", "events_per_negative_record",
               "all_events_per_negative_record"),
    "geo": ("n_records", "n_gold", "n_skipped", "n_predicted", "toponym_recall", "toponym_precision", "acc161",
            "acc161_gold_spans", "median_km_gold_spans"),
    "actors": ("n", "n_country", "country_acc", "n_sector", "sector_acc"),
}


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_report(result: dict[str, Any]) -> str:
    """Return the metrics as a table, with a per-type table for events.

    Example:
        >>> print(format_report({"kind": "actors", "n": 2, "n_country": 2, "country_acc": 0.5,
        ...                      "n_sector": 0, "sector_acc": None}))
        actors
          n            2
          n_country    2
          country_acc  0.500
          n_sector     0
          sector_acc   -
    """
    kind = str(result.get("kind", "?"))
    keys = [k for k in _HEADLINES.get(kind, ()) if k in result]
    width = max((len(k) for k in keys), default=0)
    lines = [kind, *(f"  {k.ljust(width)}  {_cell(result[k])}" for k in keys)]
    detail: dict[str, dict[str, Any]] = result.get("per_type_detail") or {}
    if detail:
        columns = ("precision", "recall", "f1", "n_gold", "n_predicted")
        lines += ["", "  " + "type".ljust(12) + "".join(c.rjust(12) for c in columns), "  " + "-" * 72]
        lines += ["  " + t.ljust(12) + "".join(_cell(row[c]).rjust(12) for c in columns) for t, row in detail.items()]
    return "\n".join(lines)
