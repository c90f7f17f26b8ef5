"""The events metrics of FORMAT.md, for the events tests and for scoring the coder alone on a gold file.

Run: ``.venv/bin/python tests/events_scoring.py ../shared/eval/dev/plover_gsr.events.jsonl`` (prints JSON).
Until ``eventcoder.evaluate`` exists this is the events stage's own scorer.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from eventcoder.model import Event

CountryMatch = Callable[[str | None, str | None], bool]


def plain_country_match(predicted: str | None, gold: str | None) -> bool:
    """Compare country codes as written (the actors stage's ``country_matches`` also reads CAMEO codes)."""
    return predicted is not None and predicted == gold


def score(records: Sequence[dict[str, Any]], predictions: Sequence[Sequence[Event]],
          country_matches: CountryMatch = plain_country_match) -> dict[str, Any]:
    """Return the FORMAT.md events metrics for predictions aligned with gold records."""
    gold_total = matched = predicted_total = predicted_right = 0
    actor_total = actor_right = recipient_total = recipient_right = 0
    per_type_tp: Counter[str] = Counter()
    per_type_pred: Counter[str] = Counter()
    per_type_gold: Counter[str] = Counter()
    for record, events in zip(records, predictions, strict=True):
        types = {e.event_type for e in events}
        accepted = {t for g in record["events"] for t in g["accept"]}
        predicted_total += len(types)
        predicted_right += len(types & accepted)
        for event_type in types:
            per_type_pred[event_type] += 1
            if event_type in accepted:
                per_type_tp[event_type] += 1
        for gold in record["events"]:
            gold_total += 1
            per_type_gold[gold["type"]] += 1
            hits = [e for e in events if e.event_type in gold["accept"]]
            if not hits:
                continue
            matched += 1
            actor_total, actor_right = _role(gold["actors"], [e.actor for e in hits], country_matches,
                                             actor_total, actor_right)
            recipient_total, recipient_right = _role(gold["recipients"], [e.recipient for e in hits],
                                                     country_matches, recipient_total, recipient_right)
    precision = predicted_right / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    per_type = {}
    for event_type in sorted(set(per_type_gold) | set(per_type_pred)):
        p = per_type_tp[event_type] / per_type_pred[event_type] if per_type_pred[event_type] else 0.0
        r = per_type_tp[event_type] / per_type_gold[event_type] if per_type_gold[event_type] else 0.0
        per_type[event_type] = round(_f1(p, r), 3)
    return {
        "kind": "events", "n_records": len(records), "n_gold": gold_total,
        "type_precision": round(precision, 4), "type_recall": round(recall, 4),
        "type_f1": round(_f1(precision, recall), 4),
        "actor_country_acc": round(actor_right / actor_total, 4) if actor_total else None,
        "recipient_country_acc": round(recipient_right / recipient_total, 4) if recipient_total else None,
        "per_type": per_type,
    }


def _role(gold: list[dict[str, Any]], predicted: list[Any], country_matches: CountryMatch, total: int,
          right: int) -> tuple[int, int]:
    countries = [g["country"] for g in gold if g.get("country")]
    if not countries:
        return total, right
    found = [ref.country if ref is not None else None for ref in predicted]
    ok = any(country_matches(p, g) for p in found for g in countries)
    return total + 1, right + int(ok)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Read a ``*.events.jsonl`` gold file."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def predict(records: Iterable[dict[str, Any]], coder: Any, parser: Any) -> list[list[Event]]:
    """Code each record's text with the record's date as the publication date (nothing else from the gold)."""
    from eventcoder.model import Document

    documents = [Document(id=str(r["id"]), text=r["text"], published=date.fromisoformat(r["date"]) if r.get("date")
                          else None) for r in records]
    return [coder(parsed) for parsed in parser.pipe(documents)]


def main(argv: list[str]) -> int:
    from eventcoder.events import EventCoder
    from eventcoder.nlp import Parser, build_nlp

    default = Path(__file__).resolve().parents[2] / "shared/eval/dev/plover_gsr.events.jsonl"
    path = Path(argv[0]) if argv and not argv[0].startswith("--") else default
    try:
        if "--tiny" in argv:
            raise RuntimeError("--tiny given")
        from eventcoder.actors import load_kb
        from eventcoder.actors.codes import country_matches

        kb: Any = load_kb()
        parser = Parser(build_nlp(kb.ruler_patterns()))
        matches: CountryMatch = country_matches
    except Exception as exc:  # the actors stage is optional here: report and score types only
        print(f"actors KB unavailable ({exc}); using the tiny test resolver", file=sys.stderr)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from events_support import TinyResolver

        kb, parser, matches = TinyResolver(), Parser(build_nlp()), plain_country_match
    records = read_gold(path)
    predictions = predict(records, EventCoder(kb), parser)
    if "--errors" in argv:
        for record, events in zip(records, predictions, strict=True):
            gold = record["events"][0]
            types = sorted({e.event_type for e in events})
            if not set(types) & set(gold["accept"]) or len(types) > 1:
                print(f"{gold['type']:9} got {types} | {record['text'][:150]}", file=sys.stderr)
    print(json.dumps(score(records, predictions, matches)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
