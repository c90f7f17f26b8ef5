"""The coding pipeline: parse -> events -> relevance -> learned layer -> claims -> dates -> places, one direction.

The relevance stage scores the document (``political``) and each event (``confidence``); events under
``min_confidence`` are not returned unless ``keep_all`` is set (a denial that disputes a returned event is
returned with it, so that ``disputed_by`` never points at nothing). Events a later stage writes (the
claims stage's REJECTs: "called the accounts baseless") are scored by the same event model once the stages
have run, so that every event carries a confidence when the relevance stage runs. A text over
``pieces.PIECE_CHARS`` is coded in pieces (cost linear in its length); its political score is the highest of its
pieces'. The pieces of a long text are coded by two processes (``eventcoder.piece_workers``), with the same
events as one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import TYPE_CHECKING, Literal, Protocol

from eventcoder.errors import DataError
from eventcoder.ingest import parse_text_document
from eventcoder.model import ActorResolver, Document, Event
from eventcoder.nlp import ParsedDoc, Parser, build_nlp
from eventcoder.piece_workers import MIN_PIECES, code_pieces, processes_setting
from eventcoder.pieces import PIECE_CHARS, shift_events, split_document

if TYPE_CHECKING:
    from eventcoder.claims import ClaimLinker
    from eventcoder.dates import DateResolver
    from eventcoder.events import EventCoder
    from eventcoder.learned import LearnedLayer
    from eventcoder.places import Geocoder


class DocumentStage(Protocol):
    """A stage after the event coder: reads the parse, returns new events."""

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with this stage's fields filled."""
        ...


@dataclass(frozen=True)
class CodedDocument:
    """A document, the events coded from it, and how political it reads (0-1; ``None``: not scored)."""

    document: Document
    events: tuple[Event, ...]
    political: float | None = None


class Relevant(Protocol):
    """The relevance stage as the pipeline uses it (``eventcoder.relevance.Relevance``)."""

    @property
    def threshold(self) -> float: ...

    def score(self, parsed: ParsedDoc, events: list[Event]) -> Scored: ...


class Learned(Protocol):
    """The learned event layer as the pipeline uses it (``eventcoder.learned.LearnedLayer``)."""

    def __call__(self, parsed: ParsedDoc, events: list[Event], political: float | None,
                 floor: float | None) -> list[Event]: ...


class Scored(Protocol):
    """A document's political score and its scored events."""

    @property
    def political(self) -> float: ...

    @property
    def events(self) -> list[Event]: ...


LEARNED_ON = frozenset({"on", "1", "true", "yes"})
LEARNED_OFF = frozenset({"", "off", "0", "false", "no"})


def learned_setting() -> bool:
    """Return whether the ``EVENTCODER_LEARNED`` setting turns the learned event layer on (default: off)."""
    value = os.environ.get("EVENTCODER_LEARNED", "").strip().lower()
    if value in LEARNED_ON:
        return True
    if value in LEARNED_OFF:
        return False
    raise DataError(f"EVENTCODER_LEARNED={value!r}: use on or off")


class Pipeline:
    """Code documents into events; every model and index loads once, on first use."""

    def __init__(self, resolver: ActorResolver | None = None, batch_size: int = 16,
                 stages: Sequence[DocumentStage] | None = None, parser: Parser | None = None,
                 relevance: Relevant | Literal[False] | None = None, min_confidence: float | None = None,
                 keep_all: bool = False, learned: Learned | bool | None = None,
                 piece_processes: int | None = None) -> None:
        """Build a pipeline; every part is loaded on first use.

        Args:
            resolver, stages, parser: replacements for the default actor KB, later stages and parser.
            relevance: the relevance stage (the packaged model by default; ``False``: no scoring, every
                event kept with ``confidence`` null).
            min_confidence: events under it are dropped (default: the trained model's threshold).
            keep_all: keep every event whatever its confidence (``--keep-all``).
            learned: the learned event layer: ``True``: the one ``make train`` built (the rules alone, said once,
                when it is not there); ``False``: the rules alone; ``None`` (default): on only when the
                ``EVENTCODER_LEARNED`` setting is ``on`` (off by default: it costs about a fifth of the
                throughput for a small gain, see ``bench/learned.py`` and ``bench/throughput.py``).
            piece_processes: how many processes code the pieces of a long text (default
                ``EVENTCODER_PIECE_PROCESSES`` or 2; 1: this process alone).
        """
        self._resolver = resolver
        self._parser = parser
        self._stages = tuple(stages) if stages is not None else None
        self._relevance = relevance
        self._min_confidence = min_confidence
        self.keep_all = keep_all
        self._learned = learned
        self.batch_size = batch_size
        self.piece_chars = PIECE_CHARS  # longer texts are coded in pieces of at most this many characters
        self.piece_processes = piece_processes if piece_processes is not None else processes_setting()
        self.parallel_pieces = MIN_PIECES  # a text in at least this many pieces is coded by piece_processes

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
    def placed_roles(self) -> DocumentStage:
        from eventcoder.events.placed import PlacedRoles

        return PlacedRoles()

    @cached_property
    def relevance(self) -> Relevant | None:
        if self._relevance is False:
            return None
        if self._relevance is not None:
            return self._relevance
        from eventcoder.relevance import Relevance

        scorer: Relevance = Relevance()
        return scorer

    @cached_property
    def learned(self) -> Learned | LearnedLayer | None:
        chosen = learned_setting() if self._learned is None else self._learned
        if chosen is False:
            return None
        if chosen is not True:
            return chosen
        from eventcoder.learned import LearnedLayer, load_or_none

        model = load_or_none()
        return LearnedLayer(self.event_coder, model, scorer=self.relevance) if model is not None else None

    @property
    def min_confidence(self) -> float | None:
        """Return the confidence under which events are dropped (``None``: none are)."""
        if self.keep_all or self.relevance is None:
            return None
        return self._min_confidence if self._min_confidence is not None else self.relevance.threshold

    @cached_property
    def stages(self) -> tuple[DocumentStage, ...]:
        """Return the stages after the event coder: claims, dates, places, roles by place (or those given)."""
        if self._stages is not None:
            return self._stages
        return (self.claim_linker, self.date_resolver, self.geocoder, self.placed_roles)

    def code_parsed(self, parsed: ParsedDoc) -> CodedDocument:
        """Run the coding stages on one parsed document."""
        found = self.event_coder(parsed)
        political = None
        if self.relevance is not None:
            scored = self.relevance.score(parsed, found)
            found, political = scored.events, round(scored.political, 3)
        if self.learned is not None:
            found = self.learned(parsed, found, political, self.min_confidence)
        for stage in self.stages:
            found = stage(parsed, found)
        if self.relevance is not None:
            found = score_late(self.relevance, parsed, found)
        return CodedDocument(parsed.document, tuple(confident(found, self.min_confidence)), political)

    def code(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code documents lazily, in batches, keeping their order; long ones in pieces (``eventcoder.pieces``)."""
        for _, coding in self.coding(documents):
            yield coding()

    def coding(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Callable[[], CodedDocument]]]:
        """Yield each document with the call that codes it: short ones parsed in batches, long ones in pieces."""
        batch: list[Document] = []
        for document in documents:
            if len(document.text) <= self.piece_chars:
                batch.append(document)
                if len(batch) >= self.batch_size:
                    yield from self._parsed(batch)
                    batch = []
                continue
            yield from self._parsed(batch)
            batch = []
            yield document, partial(self._code_long, document)
        yield from self._parsed(batch)

    def _parsed(self, documents: list[Document]) -> Iterator[tuple[Document, Callable[[], CodedDocument]]]:
        for parsed in self.parser.pipe(documents):
            yield parsed.document, partial(self.code_parsed, parsed)

    def _code_long(self, document: Document) -> CodedDocument:
        """Code a long document a piece at a time (one parse held at once in each process coding pieces), its
        events at their offsets."""
        events: list[Event] = []
        scores: list[float] = []
        pieces = split_document(document, self.piece_chars)
        coded_pieces = code_pieces(self._code_piece, [piece for piece, _ in pieces], self.piece_processes,
                                   self.parallel_pieces)
        for coded, (_, place) in zip(coded_pieces, pieces, strict=True):
            events += shift_events(list(coded.events), place.offset)
            if coded.political is not None:
                scores.append(coded.political)
        return CodedDocument(document, tuple(events), max(scores) if scores else None)

    def _code_piece(self, piece: Document) -> CodedDocument:
        return self.code_parsed(self.parser(piece))

    def code_text(self, text: str, published: date | None = None, publisher: str | None = None) -> CodedDocument:
        """Code one text given as a string (the API and the evaluation use this)."""
        document = parse_text_document(text, origin="<text>", published=published, publisher=publisher)
        return next(self.code([document]))


def score_late(relevance: Relevant, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
    """Return the events with a confidence for those a stage after the relevance stage wrote (none before)."""
    late = [i for i, e in enumerate(events) if e.confidence is None]
    if not late:
        return events
    scored = relevance.score(parsed, [events[i] for i in late]).events
    found = list(events)
    for i, event in zip(late, scored, strict=True):
        found[i] = event
    return found


def confident(events: Sequence[Event], floor: float | None) -> list[Event]:
    """Return the events at or over ``floor``, with the denials that dispute them (all when ``None``)."""
    if floor is None:
        return list(events)
    kept = {id(e) for e in events if e.confidence is None or e.confidence >= floor}
    disputing = {i for e in events if id(e) in kept for i in e.disputed_by}
    return [e for e in events if id(e) in kept or (disputing and e.id in disputing)]
