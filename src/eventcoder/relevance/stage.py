"""The relevance stage: how political a document is, and how sure each of its events is.

Between the event coder and the claims stage. Every sentence of a document is embedded once; the
sentence model gives the chance that the sentence reports a political event, the document's
``political`` score is the mean of its three highest sentence chances, and the event model turns
those two, the event's participants (known? acting for a state? a thing that cannot act?) and its
class into ``confidence``: the calibrated chance that an analyst would code the event. Two rules
stand above the model, because no example could outweigh them: a weather, product or price cannot
attack, coerce, mobilise or threaten; a death with neither a perpetrator nor a known victim
("found dead at 87") is no political event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from eventcoder.model import Event
from eventcoder.nlp import ParsedDoc
from eventcoder.relevance.artefact import Artefact, load_artefact
from eventcoder.relevance.encoder import Encoder, UniversalSentenceEncoder
from eventcoder.relevance.features import AGENT_TYPES, AgentJudge, EventContext, event_matrix, known
from eventcoder.relevance.logistic import LOGIT_CLIP, sigmoid

TOP_SENTENCES = 3
NOUN_TAGS = frozenset({"NN", "NNS"})


@dataclass(frozen=True)
class Scored:
    """A document's political score and its events with ``confidence`` filled."""

    political: float
    events: list[Event]


class Relevance:
    """Score documents and events; see the module docstring. Models load on first use.

    Args:
        encoder: the sentence encoder (the packaged Universal Sentence Encoder by default).
        artefact: the trained models (the packaged ones by default).
    """

    def __init__(self, encoder: Encoder | None = None, artefact: Artefact | None = None) -> None:
        self._encoder = encoder
        self._artefact = artefact

    @cached_property
    def encoder(self) -> Encoder:
        return self._encoder if self._encoder is not None else UniversalSentenceEncoder()

    @cached_property
    def artefact(self) -> Artefact:
        return self._artefact if self._artefact is not None else load_artefact()

    @cached_property
    def agents(self) -> AgentJudge:
        return AgentJudge(self.encoder)

    @property
    def threshold(self) -> float:
        """Return the trained default threshold of ``confidence``."""
        return self.artefact.threshold

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with ``confidence`` filled (the stage protocol)."""
        return self.score(parsed, events).events

    def score(self, parsed: ParsedDoc, events: list[Event]) -> Scored:
        """Return the document's ``political`` score and the events with ``confidence``."""
        sentences = [(s.start_char, s.end_char, s.text) for s in parsed.doc.sents]
        logits = self.sentence_logits([text for _, _, text in sentences])
        document = document_logit(logits)
        contexts = []
        for event in events:
            index = _sentence_of(event, sentences)
            contexts.append(EventContext(event, float(logits[index]) if index is not None else document, document,
                                         actor_is_thing(event, parsed, self.agents)))
        return Scored(float(sigmoid(np.array(document))), self.confidences(contexts))

    def sentence_logits(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return the sentence model's log-odds that each text reports a political event."""
        if not texts:
            return np.zeros(0)
        return self.artefact.sentence.logit(self.encoder.encode(texts).astype(np.float64))

    def confidences(self, contexts: Sequence[EventContext]) -> list[Event]:
        """Return the events with ``confidence`` from the event model, under the two rules."""
        if not contexts:
            return []
        probabilities = self.artefact.event.probability(event_matrix(contexts))
        scored = []
        for context, probability in zip(contexts, probabilities, strict=True):
            vetoed = _cannot_act(context) or _no_perpetrator(context.event)
            scored.append(replace(context.event, confidence=0.0 if vetoed else round(float(probability), 3)))
        return scored


def actor_is_thing(event: Event, parsed: ParsedDoc, agents: AgentJudge) -> bool:
    """Tell whether an unresolved actor named by a common noun is a thing (not a person or a group)."""
    actor = event.actor
    if event.event_type not in AGENT_TYPES or actor is None or known(actor):
        return False
    words = parsed.doc.char_span(event.evidence.start, event.evidence.end, alignment_mode="expand")
    if words is not None and not any(t.tag_ in NOUN_TAGS for t in words if t.text in actor.text.split()):
        return False  # a name or a pronoun: a person or a group, whoever it is
    return agents.is_thing(actor.text)


def document_logit(logits: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    """Return the log-odds of the mean of the highest sentence chances (the document's political score)."""
    if logits.size == 0:
        return -LOGIT_CLIP
    top = np.sort(sigmoid(logits))[::-1][:TOP_SENTENCES]
    mean = float(np.clip(top.mean(), 1e-6, 1 - 1e-6))
    return float(np.log(mean / (1.0 - mean)))


def _sentence_of(event: Event, sentences: list[tuple[int, int, str]]) -> int | None:
    start = event.evidence.trigger_start if event.evidence.trigger_start is not None else event.evidence.start
    for index, (begin, end, _) in enumerate(sentences):
        if begin <= start < end:
            return index
    return None


def _cannot_act(context: EventContext) -> bool:
    return context.actor_thing and context.event.event_type in AGENT_TYPES


def _no_perpetrator(event: Event) -> bool:
    return event.event_type == "ASSAULT" and event.actor is None and not known(event.recipient)
