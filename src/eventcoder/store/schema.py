"""The store's tables (one schema for SQLite and PostgreSQL) and the rows written into them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from eventcoder.model import Document

SCHEMA_VERSION = 6

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("published", sa.String(10)),
    sa.Column("date_source", sa.String(16)),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("origin", sa.Text),
    sa.Column("language", sa.String(8)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("coded_at", sa.String(32), nullable=False),
    sa.Column("political", sa.Float),  # how political the document reads, 0-1 (relevance stage); NULL: not scored
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("doc_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(16), nullable=False, index=True),
    sa.Column("mode", sa.String(32)),
    sa.Column("quad_class", sa.String(24)),
    sa.Column("cameo_root", sa.String(4)),
    sa.Column("actor_country", sa.String(8), index=True),
    sa.Column("actor_sector", sa.String(8)),
    sa.Column("recipient_country", sa.String(8), index=True),
    sa.Column("recipient_sector", sa.String(8)),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("modality", sa.String(16), nullable=False),
    sa.Column("claim_status", sa.String(16), nullable=False),
    sa.Column("confidence", sa.Float, index=True),  # the record's ``confidence``; NULL: not scored
    sa.Column("record", sa.Text, nullable=False),  # the full JSON record, the contract
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("country", sa.String(8)),
    sa.Column("sector", sa.String(8)),
    sa.Column("cue", sa.Text),
)

places = sa.Table(
    "places", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(8)),
    sa.Column("admin1", sa.Text),
    sa.Column("geonameid", sa.Integer),
    sa.Column("precision", sa.String(8)),
)

dataset_events = sa.Table(
    "dataset_events", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("event_type", sa.String(16), nullable=False, index=True),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("date_start", sa.String(10), index=True),
    sa.Column("date_end", sa.String(10), index=True),
    sa.Column("actor_name", sa.Text),
    sa.Column("actor_country", sa.String(8), index=True),
    sa.Column("recipient_name", sa.Text),
    sa.Column("recipient_country", sa.String(8), index=True),
    sa.Column("country", sa.String(8), index=True),  # of the location
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("claim_status", sa.String(16), nullable=False, index=True),
    sa.Column("n_reports", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float, index=True),  # the highest of its reports'; NULL: none scored
    sa.Column("record", sa.Text, nullable=False),  # the dataset record: lead fields plus every report
    sa.Column("page_key", sa.String(52)),  # the listing order, date_start (undated last) then id: ``page_key``
    # what the web page filters on, as columns so that /events and the exports filter the same way (schema 5)
    sa.Column("modality", sa.String(16), index=True),
    sa.Column("mode", sa.String(32), index=True),
    sa.Column("dead", sa.Integer),  # the lead report's dead (0: none given)
    sa.Column("hurt", sa.Integer),  # dead plus injured
    sa.Column("actor_words", sa.Text),  # actor and recipient name, mention and country, lower case, for substrings
    sa.Column("search_text", sa.Text),  # what the page's text search reads, lower case (schema 6): ``search_text``
    sa.Index("ix_dataset_events_page", "page_key"),  # pages by offset or by cursor (keyset) walk this index
)


ACTOR_WORDS_SEPARATOR = " \x01 "  # between the words of ``actor_words``: a substring never spans two


def page_key(record: dict[str, Any]) -> str:
    """Return a dataset record's place in the listing: by ``date_start`` (undated last), then id."""
    return f"{record.get('date_start') or '9999'}_{record['id']}"

# One row: a number every save increments, so that readers can tell cheaply whether the dataset changed
# (the API remembers a filter's count until it does).
store_state = sa.Table(
    "store_state", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

# One row per report: its dataset event and the keys that find what a new report may touch through
# indexes, without a scan (see ``eventcoder.dedup.groups``): ``family`` (type, modality group, place
# country), ``kind`` (day, vague, loose), ``block`` (family and exact date interval), ``candidate`` (the
# one day dataset event a vague report fits) and ``attached`` (a vague report that joined it).
event_links = sa.Table(
    "event_links", metadata,
    sa.Column("event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("dataset_id", sa.String(40), nullable=False, index=True),
    sa.Column("event_type", sa.String(16)),
    sa.Column("date_start", sa.String(10)),
    sa.Column("date_end", sa.String(10)),
    sa.Column("located", sa.Boolean),
    sa.Column("place_country", sa.String(8)),
    sa.Column("actor_country", sa.String(8)),
    sa.Column("recipient_country", sa.String(8)),
    sa.Column("family", sa.String(96)),
    sa.Column("kind", sa.String(8)),
    sa.Column("block", sa.String(128)),
    sa.Column("candidate", sa.String(40)),
    sa.Column("attached", sa.Boolean),
    sa.Index("ix_event_links_block", "event_type", "date_start"),
    sa.Index("ix_event_links_family", "family", "kind", "date_start"),
    sa.Index("ix_event_links_day_block", "block", "kind"),
    sa.Index("ix_event_links_candidate", "candidate"),
)


def now() -> str:
    """Return the current UTC time as ISO text, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def document_row(document: Document, political: float | None) -> dict[str, Any]:
    """Return the ``documents`` row of a document and its political score."""
    return {
        "id": document.id, "published": document.published.isoformat() if document.published else None,
        "date_source": document.date_source, "publisher": document.publisher, "url": document.url,
        "title": document.title, "origin": document.origin, "language": document.language,
        "text": document.text, "coded_at": now(), "political": political,
    }


def event_row(record: dict[str, Any], seq: int) -> dict[str, Any]:
    """Return the ``events`` row of an event record (the record itself travels as JSON)."""
    actor = record["actor"] or {}
    recipient = record["recipient"] or {}
    return {
        "id": record["id"], "doc_id": record["doc_id"], "seq": seq, "event_type": record["event_type"],
        "mode": record["mode"], "quad_class": record["quad_class"], "cameo_root": record["cameo_root"],
        "actor_country": actor.get("country"), "actor_sector": actor.get("sector"),
        "recipient_country": recipient.get("country"), "recipient_sector": recipient.get("sector"),
        "date": record["date"], "date_precision": record["date_precision"], "modality": record["modality"],
        "claim_status": record["claim_status"], "confidence": record.get("confidence"),
        "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }


def dataset_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return the ``dataset_events`` row of a merged dataset record."""
    actor = record["actor"] or {}
    recipient = record["recipient"] or {}
    place = record["location"] or {}
    return {
        "id": record["id"], "event_type": record["event_type"], "date": record["date"],
        "date_precision": record["date_precision"], "date_start": record["date_start"],
        "date_end": record["date_end"], "actor_name": actor.get("name"), "actor_country": actor.get("country"),
        "recipient_name": recipient.get("name"), "recipient_country": recipient.get("country"),
        "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
        "claim_status": record["claim_status"], "n_reports": record["n_reports"],
        "confidence": record.get("confidence"), "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
        "page_key": page_key(record), **filter_columns(record),
    }


def filter_columns(record: dict[str, Any]) -> dict[str, Any]:
    """Return the ``dataset_events`` columns the page's filters read: modality, mode, dead, hurt, actor words,
    search text."""
    actor = record.get("actor") or {}
    recipient = record.get("recipient") or {}
    fatalities = record.get("fatalities") or {}
    dead = fatalities.get("dead") or 0
    words = [actor.get("name"), actor.get("text"), actor.get("country"),
             recipient.get("name"), recipient.get("text"), recipient.get("country")]
    return {"modality": record.get("modality") or "asserted", "mode": record.get("mode"), "dead": dead,
            "hurt": dead + (fatalities.get("injured") or 0),
            "actor_words": ACTOR_WORDS_SEPARATOR.join(str(w) for w in words if w).lower(),
            "search_text": search_text(record)}


def search_text(record: dict[str, Any]) -> str:
    """Return what the web page's text search reads in a dataset record (web/src/filters.js ``haystack``), lower
    case: type, mode, actor and recipient mention and name, place name and admin1, publishers, sources' mentions
    and speakers' names, and each report's evidence sentence and article title."""
    actor = record.get("actor") or {}
    recipient = record.get("recipient") or {}
    place = record.get("location") or {}
    words = [record.get("event_type"), record.get("mode"), actor.get("text"), actor.get("name"),
             recipient.get("text"), recipient.get("name"), place.get("name"), place.get("admin1"),
             *(record.get("publishers") or [])]
    for source in record.get("sources") or []:
        words += [source.get("text"), (source.get("actor") or {}).get("name")]
    for report in record.get("reports") or []:
        words += [(report.get("evidence") or {}).get("sentence"), report.get("title")]
    return ACTOR_WORDS_SEPARATOR.join(str(w) for w in words if w).lower()


# what JavaScript's \s matches: the page splits its text search into words on it
_JS_SPACE = re.compile(r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def search_terms(text: str) -> list[str]:
    """Return the words of a text search as the page takes them: split on white space, lower case."""
    return [term for term in _JS_SPACE.split(text.lower()) if term]
