"""Filters on the merged dataset, shared by queries, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from eventcoder.store.schema import dataset_events, search_terms


@dataclass(frozen=True)
class EventFilter:
    """Filters shared by queries, exports and the API; ``None`` means no filter.

    ``country`` matches the place, actor or recipient country; ``actor`` matches an actor or recipient
    country code or name (case-insensitive); ``bbox`` is (min_lon, min_lat, max_lon, max_lat);
    ``min_confidence`` keeps events at or over it, events never scored (a store coded without the
    relevance stage stays visible) and denials, which the coder keeps with the claims they deny (a
    denial of nothing kept is not stored unless coded with ``keep_all``). The web page's filters too:
    ``modality`` (asserted, negated, ...), ``mode``, ``fatalities`` ("dead": some dead; "hurt": some dead or
    injured) and ``actor_contains`` (a case-insensitive substring of the actor's or recipient's name, mention
    or country code) and ``search``, the page's text search: each of its words (split on white space, any
    case) a substring of the event's type, mode, actor, recipient, place, publishers, sources, evidence
    sentences or article titles (``schema.search_text``).
    """

    date_from: date | None = None
    date_to: date | None = None
    event_type: str | None = None
    country: str | None = None
    actor: str | None = None
    status: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_confidence: float | None = None
    modality: str | None = None
    mode: str | None = None
    fatalities: str | None = None
    actor_contains: str | None = None
    search: str | None = None

    def clause(self) -> sa.ColumnElement[bool]:
        """Return the SQL condition on ``dataset_events``."""
        t = dataset_events.c
        conditions: list[sa.ColumnElement[bool]] = []
        if self.date_from is not None:
            conditions.append(t.date_end >= self.date_from.isoformat())
        if self.date_to is not None:
            conditions.append(t.date_start <= self.date_to.isoformat())
        if self.event_type is not None:
            conditions.append(t.event_type == self.event_type.upper())
        if self.country is not None:
            code = self.country.upper()
            conditions.append(sa.or_(t.country == code, t.actor_country == code, t.recipient_country == code))
        if self.actor is not None:
            name = self.actor.casefold()
            conditions.append(sa.or_(
                t.actor_country == self.actor.upper(), t.recipient_country == self.actor.upper(),
                sa.func.lower(t.actor_name) == name, sa.func.lower(t.recipient_name) == name))
        if self.status is not None:
            conditions.append(t.claim_status == self.status)
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            conditions.append(sa.and_(t.lon >= min_lon, t.lon <= max_lon, t.lat >= min_lat, t.lat <= max_lat))
        if self.min_confidence is not None and self.min_confidence > 0:
            conditions.append(sa.or_(t.confidence >= self.min_confidence, t.confidence.is_(None),
                                     t.event_type == "REJECT"))
        if self.modality is not None:
            conditions.append(t.modality == self.modality)
        if self.mode is not None:
            conditions.append(t.mode == self.mode)
        if self.fatalities is not None:
            conditions.append({"dead": t.dead, "hurt": t.hurt}[self.fatalities] > 0)
        if self.actor_contains is not None and self.actor_contains.strip():
            conditions.append(t.actor_words.contains(self.actor_contains.strip().lower(), autoescape=True))
        for term in search_terms(self.search or ""):
            conditions.append(t.search_text.contains(term, autoescape=True))
        return sa.and_(sa.true(), *conditions)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``min_lon,min_lat,max_lon,max_lat``; raise ``ValueError`` saying what is wrong."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"bbox {text!r} must be four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"bbox {text!r} must be four numbers: min_lon,min_lat,max_lon,max_lat") from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError(f"bbox {text!r} needs -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
    return min_lon, min_lat, max_lon, max_lat
