"""Real news text for the benchmarks: GeoWebNews articles when ../shared is there, else corpus/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from eventcoder.model import Document

ROOT = Path(__file__).resolve().parent.parent
GEOWEBNEWS = ROOT.parent / "shared" / "eval" / "dev" / "geowebnews.geo.jsonl"


def bench_documents(limit: int | None = None) -> tuple[str, list[Document]]:
    """Return the name of the text used and its documents (ingested the normal way)."""
    from eventcoder.ingest import parse_text_document, read_documents

    if GEOWEBNEWS.exists():
        documents = []
        for line in GEOWEBNEWS.read_text("utf-8").splitlines()[:limit]:
            record = json.loads(line)
            documents.append(parse_text_document(record["text"], origin=record["id"], published=date(2020, 1, 1)))
        return "geowebnews", documents
    return "corpus", list(read_documents([str(ROOT / "corpus")], on_error="skip"))[:limit]
