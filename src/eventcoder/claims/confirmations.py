"""Confirmations that name the happening by a noun: "the ministry acknowledged the bombardment".

"A said B's artillery hit C. B's ministry acknowledged the bombardment but said only a depot was
struck": the second sentence writes no event of its own for the bombardment (the event coder reads
"acknowledged" as speech), yet it tells the same happening. Its speaker is added as a source of the
nearest earlier report of that kind, so that two sides telling it make it corroborated; what the
confirming side says differently ("only a depot was struck") stays a claim of its own.
"""

from __future__ import annotations

from spacy.tokens import Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Claim, Report
from eventcoder.model import ActorRef, Source

CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
NOUN_DEPS = frozenset({"dobj", "nsubj", "nsubjpass"})
ORIGIN_BASE = 10_000  # speech act numbers of confirmations, apart from those of ``find_attributions``


def confirm_by_reference(claims: ClaimsContext, reports: list[Report]) -> None:
    """Add the speaker of "X confirmed / acknowledged / admitted <the event noun>" to the report it confirms."""
    cues = claims.cues
    coded = {i for r in reports for i in r.tokens}
    for index, sent in enumerate(claims.sents):
        for verb in sent:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in cues.confirmation_verbs:
                continue
            nouns = [n for n in _confirmed_nouns(verb) if n.i not in coded]
            kinds = [k for k in (_event_type(n, cues) for n in nouns) if k is not None]
            if not kinds:
                continue
            target = _nearest(reports, index, kinds[0], cues)
            subject = _subject(verb)
            if target is None or subject is None:
                continue
            words = claims.doc[subject.left_edge.i: subject.right_edge.i + 1]
            actor = claims.speaker_actor(words)
            source = Source(words.text, _named(actor, words.text), verb.text)
            target.add_claims([Claim(source, (index, ORIGIN_BASE + verb.i - sent.start))])


def _confirmed_nouns(verb: Token) -> list[Token]:
    """Return the nouns a confirmation names: its object, or the object or subject of its clause."""
    found = [c for c in verb.children if c.dep_ == "dobj"]
    for clause in (c for c in verb.children if c.dep_ in CLAUSE_DEPS):
        found += [c for c in clause.children if c.dep_ in NOUN_DEPS]
    return found


def _event_type(noun: Token, cues: Cues) -> str | None:
    return cues.event_nouns.get(noun.lower_) or cues.event_nouns.get(noun.lemma_.lower())


def _nearest(reports: list[Report], index: int, event_type: str, cues: Cues) -> Report | None:
    """Return the latest report of a type told before sentence ``index``, within the denial window."""
    earlier = [r for r in reports if r.event.event_type == event_type and r.tokens
               and index - cues.denial_window <= r.sentence < index]
    return max(earlier, key=lambda r: (r.sentence, r.tokens[0])) if earlier else None


def _subject(verb: Token) -> Token | None:
    current = verb
    while True:
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
        if current.dep_ != "conj" or current.head is current:
            return None
        current = current.head


def _named(actor: ActorRef | None, text: str) -> ActorRef | None:
    if actor is None:
        return None
    return ActorRef(text, actor.name, actor.country, actor.sector, actor.kb_id)
