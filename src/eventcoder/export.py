"""Exports of the merged dataset: PLOVER-style JSONL, CSV, Parquet and GeoJSON, with the store's filters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

from eventcoder.errors import InputError
from eventcoder.store import EventFilter, Store

ExportFormat = Literal["jsonl", "csv", "parquet", "geojson"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "geojson")
MEDIA_TYPES: dict[str, str] = {
    "jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet", "geojson": "application/geo+json",
}

# One row per dataset event; documented in the README ("CSV columns").
CSV_COLUMNS: tuple[str, ...] = (
    "id", "event_type", "mode", "quad_class", "cameo_root", "date", "date_precision", "date_start", "date_end",
    "actor_name", "actor_country", "actor_sector", "recipient_name", "recipient_country", "recipient_sector",
    "location_name", "lat", "lon", "location_country", "admin1", "location_precision", "modality",
    "claim_status", "confidence", "n_reports", "n_sources", "publishers", "doc_ids", "political", "dead", "injured",
    "sentence", "sources", "disputed_by", "title", "url", "urls",
)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten a dataset event record into the CSV/Parquet columns (lists joined with ``;``)."""
    actor, recipient = record.get("actor") or {}, record.get("recipient") or {}
    place, fatalities = record.get("location") or {}, record.get("fatalities") or {}
    return {
        "id": record["id"], "event_type": record["event_type"], "mode": record.get("mode"),
        "quad_class": record.get("quad_class"), "cameo_root": record.get("cameo_root"), "date": record.get("date"),
        "date_precision": record.get("date_precision"), "date_start": record.get("date_start"),
        "date_end": record.get("date_end"), "actor_name": actor.get("name"), "actor_country": actor.get("country"),
        "actor_sector": actor.get("sector"), "recipient_name": recipient.get("name"),
        "recipient_country": recipient.get("country"), "recipient_sector": recipient.get("sector"),
        "location_name": place.get("name"), "lat": place.get("lat"), "lon": place.get("lon"),
        "location_country": place.get("country"), "admin1": place.get("admin1"),
        "location_precision": place.get("precision"), "modality": record.get("modality"),
        "claim_status": record["claim_status"], "confidence": record.get("confidence"),
        "n_reports": record.get("n_reports", 1), "n_sources": len(record.get("sources") or []),
        "publishers": ";".join(record.get("publishers") or []), "doc_ids": ";".join(record.get("doc_ids") or []),
        "political": record.get("political"), "dead": fatalities.get("dead"),
        "injured": fatalities.get("injured"), "sentence": (record.get("evidence") or {}).get("sentence"),
        "sources": ";".join(_source_name(s) for s in record.get("sources") or []),
        "disputed_by": ";".join(record.get("disputed_by") or []), "title": record.get("title"),
        "url": record.get("url"), "urls": ";".join(record.get("urls") or []),
    }


def _source_name(source: dict[str, Any]) -> str:
    """Name a claimant: the resolved actor's name, else the words of the text (``;`` never inside)."""
    actor = source.get("actor") or {}
    return str(actor.get("name") or source.get("text") or "").replace(";", ",")


def jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield one PLOVER-style JSON line per dataset event."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Quote a text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``) with a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield CSV text: a header, then one row per dataset event; text cells are spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: spreadsheet_safe(value) for key, value in flat_row(record).items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def geojson_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield a GeoJSON FeatureCollection of the located dataset events (points), streamed."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in records:
        place = record.get("location") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        feature = {"type": "Feature", "id": record["id"],
                   "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                   "properties": flat_row(record)}
        yield ("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def parquet_bytes(records: Iterable[dict[str, Any]]) -> bytes:
    """Return a Parquet file of the CSV columns (typed: floats for lat/lon and scores, ints for counts)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flat_row(r) for r in records]
    types = {"lat": pa.float64(), "lon": pa.float64(), "n_reports": pa.int64(), "n_sources": pa.int64(),
             "dead": pa.int64(), "injured": pa.int64(), "confidence": pa.float64(), "political": pa.float64()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in CSV_COLUMNS])
    table = pa.table({name: pa.array([row[name] for row in rows], type=schema.field(name).type)
                      for name in CSV_COLUMNS}, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def export_chunks(store: Store, fmt: str, where: EventFilter | None = None) -> Iterator[bytes]:
    """Yield the export of the filtered dataset in ``fmt`` as byte chunks (the API streams these)."""
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    records = store.dataset(where)
    if fmt == "parquet":
        yield parquet_bytes(records)
        return
    writer = {"jsonl": jsonl_lines, "csv": csv_lines, "geojson": geojson_chunks}[fmt]
    for text in writer(records):
        yield text.encode("utf-8")


def export(store: Store, fmt: str, out: IO[bytes], where: EventFilter | None = None) -> None:
    """Write the filtered dataset to a binary stream in ``fmt`` (jsonl, csv, parquet or geojson)."""
    for chunk in export_chunks(store, fmt, where):
        out.write(chunk)
