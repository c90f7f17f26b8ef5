"""Join annotations with the texts in ../shared into ``*.events.jsonl`` sets that ``eventcoder eval`` scores.

The output holds CC BY-SA and public-domain text from ../shared: write it under the git-ignored
``build/`` (or anywhere outside the repository), never commit it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eventcoder.corpus.annotations import Annotation, Span

Records = Mapping[str, Mapping[str, Mapping[str, Any]]]


def _actors(spans: Sequence[Span], text: str) -> list[dict[str, Any]]:
    return [{"text": text[s.start:s.end], "country": None, "sector": None} for s in spans]


def events_record(annotation: Annotation, records: Records) -> dict[str, Any]:
    """Return one eval/FORMAT.md events record for an annotated sentence (no events: a negative)."""
    record = records[annotation.source][annotation.record]
    text = record["text"]
    return {
        "id": f"{annotation.source}/{annotation.record}/{annotation.start}",
        "date": record["date"],
        "text": text[annotation.start:annotation.end],
        "events": [{"type": e.event_type, "accept": [e.event_type], "mode": e.mode,
                    "actors": _actors(e.actors, text), "recipients": _actors(e.recipients, text)}
                   for e in annotation.events],
    }


def export_splits(annotations: Sequence[Annotation], records: Records,
                  splits: Mapping[tuple[str, str, int], str], folder: str | Path) -> dict[str, int]:
    """Write ``open_news_<split>.events.jsonl`` for each split into ``folder``; return lines per split."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {}
    for a in sorted(annotations, key=lambda a: a.key):
        lines.setdefault(splits[a.key], []).append(json.dumps(events_record(a, records), ensure_ascii=False))
    for split, rows in sorted(lines.items()):
        (out / f"open_news_{split}.events.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    return {split: len(rows) for split, rows in sorted(lines.items())}
