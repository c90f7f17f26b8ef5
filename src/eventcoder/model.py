"""The records every pipeline stage shares.

Records are frozen dataclasses; a stage returns new ones with ``dataclasses.replace``.
``Event.to_dict`` gives the JSON event record of DESIGN.md, whose field names are a contract.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

Modality = Literal["asserted", "negated", "hypothetical", "future", "historical"]
ClaimStatus = Literal["uncontested", "corroborated", "disputed"]
DatePrecision = Literal["day", "week", "month", "year"]
PlacePrecision = Literal["point", "city", "admin1", "country"]
DateSource = Literal["text", "option", "file", "jsonl", "none"]

MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future", "historical")
CLAIM_STATUSES: tuple[str, ...] = ("uncontested", "corroborated", "disputed")


@dataclass(frozen=True)
class Document:
    """One dated news article as ingested."""

    id: str
    text: str
    published: date | None
    date_source: DateSource = "none"
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    language: str = "en"
    origin: str | None = None  # the path or stream it came from, for messages
    place: str | None = None  # the outlet's own place ("Paris, Tenn."): a prior for place names, never an answer


@dataclass(frozen=True)
class ActorRef:
    """An actor mention resolved (or not) to a country and sector."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO-3, or a PLOVER IGO/NGO style code
    sector: str | None = None  # PLOVER sector code: GOV, MIL, REB, CVL, ...
    kb_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector}


@dataclass(frozen=True)
class Location:
    """Where an event happened, resolved against the gazetteer."""

    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    precision: PlacePrecision | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "lat": self.lat, "lon": self.lon, "country": self.country,
            "admin1": self.admin1, "geonameid": self.geonameid, "precision": self.precision,
        }


@dataclass(frozen=True)
class Source:
    """Who reports an event, and how ("said", "wrote on Facebook", "according to")."""

    text: str
    actor: ActorRef | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        actor = None
        if self.actor is not None:
            actor = {"name": self.actor.name, "country": self.actor.country, "sector": self.actor.sector}
        return {"text": self.text, "actor": actor, "cue": self.cue}


@dataclass(frozen=True)
class Fatalities:
    """Dead and injured counts when the text gives numbers; the phrase is kept."""

    dead: int | None = None
    injured: int | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"dead": self.dead, "injured": self.injured, "text": self.text}


@dataclass(frozen=True)
class Evidence:
    """The sentence an event was read from, with document character offsets."""

    sentence: str
    start: int
    end: int
    trigger: str
    trigger_start: int | None = None  # document offset of the trigger token

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "trigger": self.trigger}


@dataclass(frozen=True)
class Event:
    """One coded event; ``to_dict`` is the JSONL record of DESIGN.md."""

    doc_id: str
    event_type: str
    evidence: Evidence
    published: date | None = None
    publisher: str | None = None
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    cameo_root: str | None = None
    quad_class: str | None = None
    actor: ActorRef | None = None
    recipient: ActorRef | None = None
    date: date | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    location: Location | None = None
    modality: Modality = "asserted"
    claim_status: ClaimStatus = "uncontested"
    sources: tuple[Source, ...] = ()
    disputed_by: tuple[str, ...] = ()
    fatalities: Fatalities = field(default_factory=Fatalities)
    confidence: float | None = None  # calibrated chance an analyst would code it as written (relevance stage)

    @property
    def id(self) -> str:
        """Return the stable id: sha1 of doc id, sentence, type, actor and recipient."""
        parts = [
            self.doc_id,
            self.evidence.sentence,
            str(self.evidence.start),
            self.event_type,
            _actor_key(self.actor),
            _actor_key(self.recipient),
            self.evidence.trigger,
        ]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Return the event record, every contract field present (``None`` where unknown)."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "publisher": self.publisher,
            "event_type": self.event_type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "cameo_root": self.cameo_root,
            "quad_class": self.quad_class,
            "actor": self.actor.to_dict() if self.actor else None,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "date": _date_text(self.date, self.date_precision),
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "location": self.location.to_dict() if self.location else None,
            "modality": self.modality,
            "confidence": self.confidence,
            "claim_status": self.claim_status,
            "sources": [s.to_dict() for s in self.sources],
            "disputed_by": list(self.disputed_by),
            "fatalities": self.fatalities.to_dict(),
            "evidence": self.evidence.to_dict(),
        }


EVENT_FIELDS: tuple[str, ...] = (
    "id", "doc_id", "published", "publisher", "event_type", "mode", "contexts", "cameo_root",
    "quad_class", "actor", "recipient", "date", "date_precision", "date_text", "location",
    "modality", "confidence", "claim_status", "sources", "disputed_by", "fatalities", "evidence",
)


def _actor_key(actor: ActorRef | None) -> str:
    if actor is None:
        return ""
    return f"{actor.text}|{actor.country or ''}|{actor.sector or ''}"


def _date_text(value: date | None, precision: str | None) -> str | None:
    """Write a date at its precision: 2020-09-27, 2020-07 or 2020."""
    if value is None:
        return None
    if precision == "month":
        return value.strftime("%Y-%m")
    if precision == "year":
        return value.strftime("%Y")
    return value.isoformat()


class ActorResolver(Protocol):
    """Resolve an actor mention to country and sector as of a date (the actors stage)."""

    def resolve(self, text: str, when: date | None = None) -> ActorRef | None:
        """Return the resolved actor for ``text``, or ``None`` when nothing matches."""
        ...
