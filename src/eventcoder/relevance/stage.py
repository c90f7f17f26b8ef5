"""The relevance stage: how political a document is, and how sure each of its events is.

Between the event coder and the claims stage. Every sentence of a document gets a chance that it
reports a political event from a bag-of-words model on its lemmas (cheap: the parse is there); the
document's lead (its first two sentences) is embedded once with a sentence encoder and scored by a
second model, which knows what a story is about beyond its words. The document's ``political``
score is the mean of its sentence chances, raised or lowered by its lead (the two equally weighted in
log-odds; the lead's sentences are read by both models). The event
model turns these three scores, the event's participants (known? acting for a state? a thing that
cannot act?) and its class into ``confidence``: the calibrated chance that an analyst would code
the event. Three rules stand above the model, because no example could outweigh them: a weather,
product or price cannot attack, coerce, mobilise, threaten, help or cooperate; a death with neither a perpetrator
nor a known victim ("found dead at 87") is no political event; an abstraction cannot be attacked, coerced or
helped ("overcame the difficulties", ``relevance.patients``). A headline counts on top of the lead's sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from spacy.tokens import Span

from eventcoder.model import Event
from eventcoder.nlp import ParsedDoc, headline
from eventcoder.relevance.artefact import Artefact, load_artefact
from eventcoder.relevance.encoder import Encoder, MiniLMEncoder
from eventcoder.relevance.features import AGENT_TYPES, AgentJudge, EventContext, event_matrix, known
from eventcoder.relevance.logistic import LOGIT_CLIP, sigmoid
from eventcoder.relevance.patients import PatientJudge, aimed_at_abstraction
from eventcoder.relevance.words import terms

LEAD = 2  # the first sentences say what a story is about
NOUN_TAGS = frozenset({"NN", "NNS"})
QUALIFIERS = frozenset({"amod", "compound", "conj", "nmod"})  # how a country adjective hangs on its noun
DYING = frozenset({"die", "dead", "death", "perish", "drown", "pass", "succumb"})  # a death, not an attack


@dataclass(frozen=True)
class Scored:
    """A document's political score and its events with ``confidence`` filled."""

    political: float
    events: list[Event]


class Relevance:
    """Score documents and events; see the module docstring. Models load on first use.

    Args:
        encoder: the sentence encoder (the packaged MiniLM by default).
        artefact: the trained models (the packaged ones by default).
    """

    def __init__(self, encoder: Encoder | None = None, artefact: Artefact | None = None) -> None:
        self._encoder = encoder
        self._artefact = artefact

    @cached_property
    def encoder(self) -> Encoder:
        return self._encoder if self._encoder is not None else MiniLMEncoder()

    @cached_property
    def artefact(self) -> Artefact:
        return self._artefact if self._artefact is not None else load_artefact()

    @cached_property
    def agents(self) -> AgentJudge:
        return AgentJudge(self.encoder)

    @cached_property
    def patients(self) -> PatientJudge:
        return PatientJudge(self.encoder)

    @property
    def threshold(self) -> float:
        """Return the trained default threshold of ``confidence``."""
        return self.artefact.threshold

    def score(self, parsed: ParsedDoc, events: list[Event]) -> Scored:
        """Return the document's ``political`` score and the events with ``confidence``."""
        sentences = list(parsed.doc.sents)
        size = LEAD + (headline(parsed.doc) is not None)  # a headline comes on top of the lead's sentences
        lead = self.lead_logit(lead_text([s.text for s in sentences], size))
        logits = with_lead(self.sentence_logits([terms(s) for s in sentences]), lead, size)
        document = document_logit(logits, lead)
        bounds = [(s.start_char, s.end_char) for s in sentences]
        contexts = []
        for event in events:
            index = sentence_of(event, bounds)
            sentence = float(logits[index]) if index is not None else document
            contexts.append(EventContext(event, sentence, document, lead, actor_is_thing(event, parsed, self.agents)))
        return Scored(round(float(sigmoid(np.array(document))), 3), self.confidences(contexts, parsed))

    def sentence_logits(self, sentences: Sequence[list[str]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return the words model's log-odds that each sentence (its ``terms``) reports a political event."""
        if not sentences:
            return np.zeros(0)
        return self.artefact.words.logit(self.artefact.bag.matrix(sentences))

    def lead_logit(self, text: str) -> float:
        """Return the lead model's log-odds that a document whose lead is ``text`` is political."""
        if not text.strip():
            return 0.0
        return float(self.artefact.lead.logit(self.encoder.encode([text]).astype(np.float64))[0])

    def confidences(self, contexts: Sequence[EventContext], parsed: ParsedDoc) -> list[Event]:
        """Return the events with ``confidence`` from the event model, under the two rules."""
        if not contexts:
            return []
        probabilities = self.artefact.event.probability(event_matrix(contexts))
        scored = []
        for context, probability in zip(contexts, probabilities, strict=True):
            vetoed = (_cannot_act(context) or _no_perpetrator(context.event, parsed)
                      or aimed_at_abstraction(context.event, parsed, self.patients))
            scored.append(replace(context.event, confidence=0.0 if vetoed else round(float(probability), 3)))
        return scored


def actor_is_thing(event: Event, parsed: ParsedDoc, agents: AgentJudge) -> bool:
    """Tell whether the actor is a thing (not a person or a group), named by a common noun.

    An actor known only by its country counts too when the country's adjective qualifies a thing
    ("Chinese economic strength"); one the knowledge base gave a sector (police, army, ministry) acts.
    """
    actor = event.actor
    if event.event_type not in AGENT_TYPES or actor is None or actor.sector is not None:
        return False
    words = _mention(event, parsed)
    if words is None:
        return not known(actor) and agents.is_thing(actor.text)
    head = words.root
    while head.dep_ in QUALIFIERS and head.head.i != head.i and head.head.pos_ in {"NOUN", "PROPN"}:
        head = head.head  # "Chinese" in "Chinese and US economic strength" qualifies "strength"
    if head.tag_ not in NOUN_TAGS or head.ent_type_:
        return False  # a name or a pronoun: a person or a group, whoever it is
    if not known(actor):
        return agents.is_thing(actor.text)
    qualified = [t for t in head.subtree if t.i <= head.i and not t.ent_type_ and t.pos_ in {"NOUN", "ADJ"}]
    return agents.is_thing(" ".join(t.text for t in qualified))


def _mention(event: Event, parsed: ParsedDoc) -> Span | None:
    """Return the actor's span in the evidence sentence, or None when it is not found there."""
    if event.actor is None:
        return None
    offset = event.evidence.sentence.find(event.actor.text)
    if offset < 0:
        return None
    start = event.evidence.start + offset
    return parsed.doc.char_span(start, start + len(event.actor.text), alignment_mode="expand")


def document_logit(logits: np.ndarray[Any, np.dtype[np.float64]], lead: float) -> float:
    """Return the document's political log-odds: its sentences' mean chance and its lead, equally weighted."""
    if logits.size == 0:
        return lead / 2.0 - LOGIT_CLIP / 2.0
    mean = float(np.clip(sigmoid(logits).mean(), 1e-6, 1 - 1e-6))
    return (float(np.log(mean / (1.0 - mean))) + lead) / 2.0


def with_lead(logits: np.ndarray[Any, np.dtype[np.float64]], lead: float,
              size: int = LEAD) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Return the sentence log-odds with the lead's sentences read by both models (the mean of the two).

    The words model knows the words of its training sentences; the encoder knows what a sentence means
    beyond them ("Hezbollah played a key role in the battle"), so where both read, both count.
    """
    blended = np.array(logits, dtype=np.float64)
    blended[:size] = (blended[:size] + lead) / 2.0
    return blended


def lead_text(sentences: Sequence[str], size: int = LEAD) -> str:
    """Return the lead of a document: its first ``size`` sentences, joined."""
    return " ".join(s.strip() for s in sentences[:size])


def sentence_of(event: Event, sentences: Sequence[tuple[int, int]]) -> int | None:
    """Return the index of the sentence (character range, end excluded) that holds the event's trigger."""
    start = event.evidence.trigger_start if event.evidence.trigger_start is not None else event.evidence.start
    for index, (begin, end) in enumerate(sentences):
        if begin <= start < end:
            return index
    return None


def _cannot_act(context: EventContext) -> bool:
    return context.actor_thing and context.event.event_type in AGENT_TYPES


def _no_perpetrator(event: Event, parsed: ParsedDoc) -> bool:
    """Tell whether an ASSAULT is only a death: no perpetrator, no known victim, a word of dying for trigger."""
    if event.event_type != "ASSAULT" or event.actor is not None or known(event.recipient):
        return False
    start = event.evidence.trigger_start
    trigger = parsed.doc.char_span(start, start + 1, alignment_mode="expand") if start is not None else None
    return trigger is not None and trigger[0].lemma_.lower() in DYING
