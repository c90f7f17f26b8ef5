"""The coding pipeline: parse -> events -> claims -> dates -> places, one direction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from eventcoder.ingest import parse_text_document
from eventcoder.model import ActorResolver, Document, Event
from eventcoder.nlp import ParsedDoc, Parser, build_nlp

if TYPE_CHECKING:
    from eventcoder.claims import ClaimLinker
    from eventcoder.dates import DateResolver
    from eventcoder.events import EventCoder
    from eventcoder.places import Geocoder


class DocumentStage(Protocol):
    """A stage after the event coder: reads the parse, returns new events."""

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with this stage's fields filled."""
        ...


@dataclass(frozen=True)
class CodedDocument:
    """A document and the events coded from it."""

    document: Document
    events: tuple[Event, ...]


class Pipeline:
    """Code documents into events; every model and index loads once, on first use."""

    def __init__(self, resolver: ActorResolver | None = None, batch_size: int = 16,
                 stages: Sequence[DocumentStage] | None = None, parser: Parser | None = None) -> None:
        self._resolver = resolver
        self._parser = parser
        self._stages = tuple(stages) if stages is not None else None
        self.batch_size = batch_size

    @cached_property
    def resolver(self) -> ActorResolver:
        if self._resolver is not None:
            return self._resolver
        from eventcoder.actors import load_kb

        return load_kb()

    @cached_property
    def parser(self) -> Parser:
        if self._parser is not None:
            return self._parser
        from eventcoder.actors import load_kb

        return Parser(build_nlp(load_kb().ruler_patterns()), batch_size=self.batch_size)

    @cached_property
    def event_coder(self) -> EventCoder:
        from eventcoder.events import EventCoder

        return EventCoder(self.resolver)

    @cached_property
    def claim_linker(self) -> ClaimLinker:
        from eventcoder.claims import ClaimLinker

        return ClaimLinker(self.resolver)

    @cached_property
    def date_resolver(self) -> DateResolver:
        from eventcoder.dates import DateResolver

        return DateResolver()

    @cached_property
    def geocoder(self) -> Geocoder:
        from eventcoder.places import Geocoder, load_gazetteer

        return Geocoder(load_gazetteer())

    @cached_property
    def stages(self) -> tuple[DocumentStage, ...]:
        """Return the stages after the event coder: claims, dates, places (or those given)."""
        if self._stages is not None:
            return self._stages
        return (self.claim_linker, self.date_resolver, self.geocoder)

    def code_parsed(self, parsed: ParsedDoc) -> list[Event]:
        """Run the coding stages on one parsed document."""
        found = self.event_coder(parsed)
        for stage in self.stages:
            found = stage(parsed, found)
        return found

    def code(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents lazily, in batches, keeping their order."""
        for parsed in self.parser.pipe(documents):
            yield CodedDocument(parsed.document, tuple(self.code_parsed(parsed)))

    def code_text(self, text: str, published: date | None = None, publisher: str | None = None) -> CodedDocument:
        """Code one text given as a string (the API and the evaluation use this)."""
        document = parse_text_document(text, origin="<text>", published=published, publisher=publisher)
        return next(self.code([document]))
