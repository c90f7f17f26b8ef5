"""The adapter from the pipeline to the scorer, on stub pipelines (no models loaded)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from eventcoder.evaluate import GeoPrediction, PredictedActor, PredictedEvent, PredictedToponym, SpanItem, TextItem
from eventcoder.model import ActorRef, Document, Event, Evidence, Modality
from eventcoder.pipeline import CodedDocument
from eventcoder.scoring import PipelineAdapter, pipeline_predictors


def event(doc: Document, event_type: str, modality: Modality = "asserted", actor: str | None = None,
          recipient: str | None = None) -> Event:
    return Event(doc.id, event_type, Evidence(doc.text, 0, len(doc.text), "x"), modality=modality,
                 actor=ActorRef("a", country=actor) if actor else None,
                 recipient=ActorRef("r", country=recipient) if recipient else None)


class StubCoder:
    def __init__(self) -> None:
        self.documents: list[Document] = []

    def code(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        for doc in documents:
            self.documents.append(doc)
            yield CodedDocument(doc, (
                event(doc, "ASSAULT", actor="AZE", recipient="ARM"), event(doc, "ASSAULT", "negated", actor="ARM"),
                event(doc, "AGREE", "future"), event(doc, "REQUEST", "historical"),
                event(doc, "SUPPORT", "hypothetical"),
            ))


def test_scoring_events_pass_every_modality_with_countries() -> None:
    stub = StubCoder()
    adapter = PipelineAdapter(stub)  # type: ignore[arg-type]
    [answer] = list(adapter.events([TextItem("\u201cWe fight,\u201d he said.", date(2020, 9, 27))]))
    assert answer == [
        PredictedEvent("ASSAULT", "AZE", "ARM"), PredictedEvent("ASSAULT", "ARM", None, "negated"),
        PredictedEvent("AGREE", None, None, "future"), PredictedEvent("REQUEST", None, None, "historical"),
        PredictedEvent("SUPPORT", None, None, "hypothetical")]
    [doc] = stub.documents
    assert doc.text == '"We fight," he said.'  # read as `eventcoder code` reads it
    assert doc.published == date(2020, 9, 27)


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass
class StubGeocoder:
    calls: list[Any] = field(default_factory=list)

    def toponyms(self, parsed: Any, place_adjectives: bool = False) -> list[Toponym]:
        text = parsed.document.text
        start = text.index("Oslo")
        return [Toponym(start, start + 4, "Oslo", 59.91, 10.75)]

    def resolve_spans(self, text: str, spans: list[tuple[int, int]], parsed: Any = None) -> list[Toponym | None]:
        self.calls.append((text, spans, parsed))
        return [None if text[s:e] == "Nowhere" else Toponym(s, e, text[s:e], 1.0, 2.0) for s, e in spans]


@dataclass(frozen=True)
class StubParsed:
    document: Document


class StubParser:
    def pipe(self, documents: Iterable[Document]) -> Iterator[StubParsed]:
        return (StubParsed(d) for d in documents)


class StubGeoPipeline:
    def __init__(self) -> None:
        self.geocoder = StubGeocoder()
        self.parser = StubParser()


def test_scoring_geo_keeps_gold_offsets_and_parses_once() -> None:
    stub = StubGeoPipeline()
    text = "\u201cRain\u201d\u00ad in Oslo, not Nowhere."  # normalising would shift the offsets
    spans = ((text.index("Oslo"), text.index("Oslo") + 4), (text.index("Nowhere"), text.index("Nowhere") + 7))
    [answer] = list(PipelineAdapter(stub).geo([SpanItem(text, None, spans)]))  # type: ignore[arg-type]
    assert answer == GeoPrediction(
        toponyms=(PredictedToponym(spans[0][0], spans[0][1], 59.91, 10.75),),
        resolved=(PredictedToponym(spans[0][0], spans[0][1], 1.0, 2.0), None))
    [(seen_text, seen_spans, parsed)] = stub.geocoder.calls
    assert seen_text == text and seen_spans == list(spans) and parsed.document.text == text


def test_scoring_actors_resolve_as_of_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    import eventcoder.actors

    asked: list[tuple[str, date | None]] = []

    class StubKB:
        def resolve(self, text: str, when: date | None = None) -> ActorRef | None:
            asked.append((text, when))
            return ActorRef(text, country="ARM", sector="GOV") if text == "Pashinyan" else None

    monkeypatch.setattr(eventcoder.actors, "load_kb", lambda: StubKB(), raising=False)
    items = [TextItem("Pashinyan", date(2021, 5, 1)), TextItem("nobody", None)]
    assert list(pipeline_predictors().actors(items)) == [  # type: ignore[misc]
        PredictedActor("ARM", "GOV"), PredictedActor(None, None)]
    assert asked == [("Pashinyan", date(2021, 5, 1)), ("nobody", None)]


def test_scoring_place_ids_by_alias_variant_and_level() -> None:
    from eventcoder.places.gazetteer import Gazetteer, GazetteerData

    data = GazetteerData()  # invented places
    data.add("Nord-Qaru", 1.0, 1.0, "admin1", "XQA", None, 900_000, 11, aliases=["North Qaru"])
    data.add("Dayr al Bazūn", 2.0, 2.0, "city", "XQA", "Nord-Qaru", 60_000, 12)
    data.add("Marun", 3.0, 3.0, "admin1", "XQA", None, 500_000, 13)
    data.add("Marun", 3.1, 3.1, "city", "XQA", "Marun", 40_000, 14)
    data.add("Deir Bazun", 4.0, 4.0, "water", None, None, 0, 15)
    data.finish()

    @dataclass
    class GazetteerPipeline:
        geocoder: Any

    @dataclass
    class Geocoder:
        gazetteer: Gazetteer

    adapter = PipelineAdapter(GazetteerPipeline(Geocoder(Gazetteer(data))))  # type: ignore[arg-type]
    assert adapter.place_ids("North Qaru") == {11}
    assert adapter.place_ids("Marun") == {13, 14}
    assert adapter.place_ids("Deir el-Bazun") == {12}  # no place is called so: its spelling variants
    assert adapter.place_ids("Nowhere") == set()
