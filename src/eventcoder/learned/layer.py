"""The learned event layer as a pipeline stage: fill and re-type the rule coder's events (see ``model.py``).

Runs after the relevance stage (so it knows which events the pipeline keeps and how political the
document is) and before claims, dates and places. A filled event takes its actor and recipient from
the subject and object of the sentence's main verb, read with the rule coder's own roles code and actor
resolver (none is added unless one of them resolves to a country or sector, as the rules ask of a bare
verb sense; the other may stay empty), its trigger is that verb,
its modality read as the rules read it; the relevance stage, when given, then scores it like any rule
event (its ``confidence``, which the pipeline's threshold reads; without it, the model's chance), so
a fill in a story that reads non-political is dropped as a rule event there would be. A re-typed event keeps
everything but its type, quad class, mode, contexts and CAMEO root (those of the old type are dropped).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Span

from eventcoder.errors import ModelError
from eventcoder.events import EventCoder
from eventcoder.events.arguments import verbal_arguments
from eventcoder.events.coder import told_once
from eventcoder.events.mentions import MentionResolver
from eventcoder.learned.model import Decision, Thresholds, TypeModel, decide, features, load_type_model
from eventcoder.model import ActorRef, Event, Evidence
from eventcoder.nlp import ParsedDoc, headline
from eventcoder.relevance.encoder import Encoder, MiniLMEncoder

if TYPE_CHECKING:
    from eventcoder.pipeline import Relevant

log = logging.getLogger("eventcoder.learned")
_said: set[str] = set()  # the missing-model line is written once per process


def missing_once(reason: str) -> None:
    """Log, once per process, that the coder runs on its rules alone and why."""
    if "missing" not in _said:
        _said.add("missing")
        log.warning("learned event layer off: %s; coding with the rules alone", reason)


def load_or_none(folder: Path | None = None) -> TypeModel | None:
    """Return the trained layer, or ``None`` after saying once that it is missing."""
    try:
        return load_type_model(folder)
    except ModelError as exc:
        missing_once(str(exc))
        return None


class LearnedLayer:
    """Fill and re-type events of a parsed document; the encoder and model load on first use.

    Args:
        coder: the rule coder, whose actor resolver, lexicon and modality reader a filled event uses.
        model: the trained layer (``load_type_model()`` by default).
        encoder: the sentence encoder (the relevance stage's MiniLM by default).
        thresholds: replace the trained thresholds (``None``: the trained ones).
        scorer: the relevance stage, which gives a filled event its ``confidence`` (``None``: the model's chance).
    """

    def __init__(self, coder: EventCoder, model: TypeModel, encoder: Encoder | None = None,
                 thresholds: Thresholds | None = None, scorer: Relevant | None = None) -> None:
        self.coder = coder
        self.scorer = scorer
        self.model = model
        self._encoder = encoder
        self.thresholds = thresholds or model.thresholds

    @cached_property
    def encoder(self) -> Encoder:
        return self._encoder if self._encoder is not None else MiniLMEncoder()

    def __call__(self, parsed: ParsedDoc, events: list[Event], political: float | None,
                 floor: float | None) -> list[Event]:
        """Return the events with re-typed types and filled sentences (new events after the others)."""
        sentences = [s for s in parsed.doc.sents if s.text.strip()]
        kept = [e for e in events if floor is None or e.confidence is None or e.confidence >= floor]
        per_sentence: list[list[Event]] = [[] for _ in sentences]
        for event in kept:
            index = _sentence_index(event, sentences)
            if index is not None:
                per_sentence[index].append(event)
        fill_on = self.thresholds.fill is not None and (political is None or political >= self.thresholds.political)
        retype_on = self.thresholds.keep is not None and self.thresholds.retype is not None
        # a sentence can only be filled when it names a known participant: found before embedding (the costly part)
        mentions = self._mentions(parsed)  # one per document: it reads the document's names and nouns once
        participants = {i: self._participants(mentions, sentences[i]) for i, found in enumerate(per_sentence)
                        if not found and fill_on}
        chosen = [i for i, found in enumerate(per_sentence)
                  if (found and retype_on) or participants.get(i) is not None]
        if not chosen:
            return events
        x = features(self.encoder.encode([sentences[i].text.strip() for i in chosen]).astype(np.float64),
                     [[e.event_type for e in per_sentence[i]] for i in chosen], self.model.types)
        chances = self.model.chances(x)
        changed: dict[int, Event] = {}
        added: list[Event] = []
        for row, index in enumerate(chosen):
            found = per_sentence[index]
            decision = decide([e.event_type for e in found], chances[row], self.model.types, self.thresholds, political)
            changed.update(self._retyped(found, decision))
            who = participants.get(index)
            if decision.fill is None or who is None:
                continue
            filled = self._filled(parsed, sentences[index], decision, who)
            if not retells(filled, per_sentence[index - 1] if index else []):
                added.append(filled)
        # the headline's fills the story tells again go, as the rules' own copies do
        untold = {id(e) for e in told_once([*kept, *added], headline(parsed.doc))}
        added = [e for e in added if id(e) in untold]
        if added and self.scorer is not None:
            added = self.scorer.score(parsed, added).events
        return [changed.get(id(e), e) for e in events] + added

    def _retyped(self, found: Sequence[Event], decision: Decision) -> dict[int, Event]:
        quads = self.coder.lexicon.quad_classes
        return {id(e): replace(e, event_type=t, quad_class=quads.get(t), mode=None, contexts=(), cameo_root=None)
                for e, t in zip(found, decision.types, strict=True) if t != e.event_type}

    def _mentions(self, parsed: ParsedDoc) -> MentionResolver:
        lexicon = self.coder.lexicon
        return MentionResolver(self.coder.resolver, lexicon.content_nouns, parsed.document.published,
                               lexicon.instruments)

    @staticmethod
    def _participants(mentions: MentionResolver, sentence: Span) -> tuple[ActorRef | None, ActorRef | None] | None:
        """Return the main verb's actor and recipient, or None when neither is known (as the rules ask of a bare
        verb): such a sentence is never filled."""
        root = sentence.root
        if root.pos_ not in {"VERB", "AUX"}:
            return None
        arguments = verbal_arguments(root, lambda _: False)
        actor = mentions(arguments.actors[0], recipient=False) if arguments.actors else None
        recipient = mentions(arguments.recipients[0], recipient=True) if arguments.recipients else None
        return (actor, recipient) if _known(actor) or _known(recipient) else None

    def _filled(self, parsed: ParsedDoc, sentence: Span, decision: Decision,
                participants: tuple[ActorRef | None, ActorRef | None]) -> Event:
        """Return the event that fills ``sentence`` with the decision's type and the verb's participants."""
        assert decision.fill is not None
        document = parsed.document
        lexicon = self.coder.lexicon
        root = sentence.root
        actor, recipient = participants
        text = sentence.text.strip()
        start = sentence.start_char + len(sentence.text) - len(sentence.text.lstrip())
        return Event(doc_id=document.id, event_type=decision.fill,
                     evidence=Evidence(text, start, start + len(text), root.text, root.idx),
                     published=document.published, publisher=document.publisher,
                     quad_class=lexicon.quad_classes.get(decision.fill), actor=actor, recipient=recipient,
                     modality=self.coder.modality(root, None, document.published),
                     confidence=round(decision.fill_chance, 3))


def _known(actor: ActorRef | None) -> bool:
    return actor is not None and (actor.country is not None or actor.sector is not None)


def _sentence_index(event: Event, sentences: Sequence[Span]) -> int | None:
    start = event.evidence.trigger_start if event.evidence.trigger_start is not None else event.evidence.start
    for index, sentence in enumerate(sentences):
        if sentence.start_char <= start < sentence.end_char:
            return index
    return None


def retells(filled: Event, before: Sequence[Event]) -> bool:
    """Tell whether a fill with no actor only tells more of the sentence before's event of its type.

    "Federal forces struck a bus station. Dozens of civilians were reported dead." holds one attack: the second
    sentence is its toll, not a second ASSAULT by nobody.
    """
    return filled.actor is None and any(e.event_type == filled.event_type for e in before)

