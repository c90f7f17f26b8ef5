"""Adapt the coding pipeline to the evaluation's predictors: batched, lazy, with an optional progress bar.

Events are predicted on the normalised text (as ``eventcoder code`` reads it); toponyms on the
gold text as given, so that predicted spans share the gold file's character offsets. Every event
is passed on with its modality; the metrics count as predicted types only the events that happened
(``asserted`` or ``historical``), and every modality for the negative-record keys.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, TypeVar

from eventcoder.evaluate import (
    GeoPrediction,
    PredictedActor,
    PredictedEvent,
    PredictedToponym,
    Predictors,
    SpanItem,
    TextItem,
)
from eventcoder.ingest import document_id, normalise_text
from eventcoder.model import ActorRef, Document

if TYPE_CHECKING:
    from eventcoder.pipeline import Pipeline
    from eventcoder.places import Gazetteer, Place

T = TypeVar("T")


class LocatedSpan(Protocol):
    """What the scorer reads of a geocoder toponym."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...


def pipeline_predictors(progress: bool = False, pipeline: Pipeline | None = None) -> Predictors:
    """Return predictors backed by the pipeline; models and indexes load on first use.

    Args:
        progress: show a progress bar on stderr.
        pipeline: the pipeline to score (a default ``Pipeline()`` when ``None``).

    Example:
        >>> from eventcoder.evaluate import evaluate_file
        >>> evaluate_file("dev.geo.jsonl", pipeline_predictors())["acc161"]  # doctest: +SKIP
        0.71
    """
    adapter = PipelineAdapter(pipeline, progress)
    return Predictors(events=adapter.events, geo=adapter.geo, actors=adapter.actors, place_ids=adapter.place_ids)


class PipelineAdapter:
    """Answer the evaluation's batch questions with one pipeline."""

    def __init__(self, pipeline: Pipeline | None = None, progress: bool = False) -> None:
        self._pipeline = pipeline
        self.progress = progress

    @cached_property
    def pipeline(self) -> Pipeline:
        from eventcoder.pipeline import Pipeline

        return self._pipeline if self._pipeline is not None else Pipeline()

    def events(self, items: Sequence[TextItem]) -> Iterator[list[PredictedEvent]]:
        """Code each text (with its date as publication date); every event, with its modality."""
        documents = (_document(normalise_text(item.text), item.published) for item in items)
        for coded in self._bar(self.pipeline.code(documents), len(items), "events"):
            yield [PredictedEvent(e.event_type, _country(e.actor), _country(e.recipient), e.modality,
                                  e.location.name if e.location is not None else None,
                                  e.location.geonameid if e.location is not None else None)
                   for e in coded.events]

    def place_ids(self, name: str) -> set[int]:
        """Return the GeoNames ids a place name stands for: its places by name or alias (or, for a name no
        place is called, by spelling variant), and each of those at another level (Amhara: Amara, the
        admin1 area; Sisaket: the city and its like-named province)."""
        gazetteer: Gazetteer | None = getattr(self.pipeline.geocoder, "gazetteer", None)
        if gazetteer is None:
            return set()
        places = gazetteer.candidates(name) or gazetteer.variant_candidates(name)
        levels = [other for place in places for other in gazetteer.other_levels(place)]
        return {p.geonameid for p in (*places, *levels) if p.geonameid is not None}

    def geo(self, items: Sequence[SpanItem]) -> Iterator[GeoPrediction]:
        """Find and resolve toponyms end to end, and resolve the gold spans, parsing each text once."""
        geocoder = self.pipeline.geocoder
        documents = (_document(item.text, item.published) for item in items)
        parsed_docs = self._bar(self.pipeline.parser.pipe(documents), len(items), "geo")
        for item, parsed in zip(items, parsed_docs, strict=True):
            found = tuple(_toponym(t) for t in geocoder.toponyms(parsed, place_adjectives=True))
            resolved = geocoder.resolve_spans(item.text, list(item.spans), parsed=parsed)
            gazetteer = getattr(geocoder, "gazetteer", None)
            yield GeoPrediction(found, tuple(None if t is None else _toponym(t, gazetteer) for t in resolved))

    def actors(self, items: Sequence[TextItem]) -> Iterator[PredictedActor]:
        """Resolve each mention as of its date."""
        from eventcoder.actors import load_kb

        kb = load_kb()
        for item in self._bar(items, len(items), "actors"):
            actor = kb.resolve(item.text, item.published)
            yield PredictedActor() if actor is None else PredictedActor(actor.country, actor.sector)

    def _bar(self, iterable: Iterable[T], total: int, what: str) -> Iterable[T]:
        if not self.progress:
            return iterable
        from tqdm import tqdm

        bar: Iterable[T] = tqdm(iterable, total=total, desc=what, unit="doc", file=sys.stderr)
        return bar


def _document(text: str, published: date | None) -> Document:
    return Document(id=document_id(text), text=text, published=published,
                    date_source="jsonl" if published else "none", origin="<gold>")


def _country(actor: ActorRef | None) -> str | None:
    return actor.country if actor is not None else None


def _toponym(toponym: LocatedSpan, gazetteer: Gazetteer | None = None) -> PredictedToponym:
    """Turn a located span into what the metrics read: its GeoNames id and, with the gazetteer, the
    ids of the same place at other levels (the state of New York for the city)."""
    place: Place | None = getattr(toponym, "place", None)
    levels = tuple(p.geonameid for p in gazetteer.other_levels(place) if p.geonameid is not None) \
        if gazetteer is not None and place is not None else ()
    return PredictedToponym(toponym.start, toponym.end, toponym.lat, toponym.lon,
                            place.geonameid if place is not None else None, levels)
