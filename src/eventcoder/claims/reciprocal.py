"""Reciprocal accusations: "Both sides blamed each other" is one accusation per direction."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Report, different_parties, party_of
from eventcoder.model import ActorRef
from eventcoder.nlp import entities_in

OBJECT_DEPS = frozenset({"dobj", "dative"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CONJUNCT_DROP_DEPS = frozenset({"conj", "cc", "punct", "appos", "relcl", "acl"})


def expand_reciprocal(claims: ClaimsContext, reports: list[Report]) -> list[Report]:
    """Return the reports with each reciprocal accusation written once per direction.

    An accusation is reciprocal when its object is "each other" / "one another" or when it trades
    accusations ("traded accusations", "mutual recriminations"). Its sides are, in this order:
      - the accusers the events stage split from a compound subject ("India and Pakistan blamed each
        other" comes as two reports on one trigger): each accuses every other one;
      - the coordinated names of a single report's actor phrase ("Armenia and Azerbaijan");
      - its actor and its partner ("Israel traded accusations with Hamas", or a recipient other
        than "each other");
      - for a phrase meaning both parties ("Both sides", "the two sides"), the story's two parties.
    Each direction keeps the evidence and the mention's words; actor and recipient are the sides, so
    the ids differ by direction and stay deterministic. With fewer than two distinct known sides
    nothing changes: no side is invented.

    Example: "Both sides blamed each other." in a story on Armenia and Azerbaijan gives
    ``Both sides [AZE] -> each other [ARM]`` and ``Both sides [ARM] -> each other [AZE]``.
    """
    groups: dict[tuple[int, tuple[int, ...]], list[Report]] = {}
    for report in reports:
        if report.event.event_type in claims.cues.reciprocal_types and report.tokens:
            groups.setdefault((report.sentence, report.tokens), []).append(report)
    expanded: dict[int, list[Report]] = {}
    for group in groups.values():
        trigger = claims.doc[group[0].tokens[0]]
        if not is_reciprocal(trigger, [r.event.recipient for r in group], claims.cues):
            continue
        if len(group) == 1:
            expanded[id(group[0])] = _directions(claims, group[0], trigger)
        else:
            expanded.update(_face_each_other(group, claims.cues))
    return [new for report in reports for new in expanded.get(id(report), [report])]


def is_reciprocal(trigger: Token, recipients: list[ActorRef | None], cues: Cues) -> bool:
    """Tell whether an act is done by two sides to each other ("accused each other", "traded accusations")."""
    if any(r is not None and _phrase(r.text) in cues.reciprocal_objects for r in recipients):
        return True
    objects = [c for c in trigger.children if c.dep_ in OBJECT_DEPS]
    objects += [p for c in trigger.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    if any(_phrase(trigger.doc[o.left_edge.i: o.right_edge.i + 1].text) in cues.reciprocal_objects for o in objects):
        return True
    nouns = [o for o in objects if o.lemma_.lower() in cues.reciprocal_nouns]
    if trigger.lemma_.lower() in cues.reciprocal_nouns:  # the trigger is the noun: "traded accusations"
        nouns.append(trigger)
        if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in cues.reciprocal_verbs:
            return True
    if nouns and trigger.lemma_.lower() in cues.reciprocal_verbs:
        return True
    return any(m.dep_ == "amod" and m.lower_ in cues.reciprocal_modifiers for noun in nouns for m in noun.children)


def _face_each_other(group: list[Report], cues: Cues) -> dict[int, list[Report]]:
    """Make every accuser of a split compound ("India and Pakistan") accuse each of the others."""
    actors = [report.event.actor for report in group]
    sides = [a for a in actors if a is not None]
    if len(sides) != len(group) or any(not _distinct(a, b, cues) for n, a in enumerate(sides) for b in sides[n + 1:]):
        return {}  # an accuser unknown, or two of them one side: the text does not say who accuses whom
    return {id(report): [Report(replace(report.event, recipient=other), report.sentence, report.tokens)
                         for other in sides if other is not report.event.actor]
            for report in group}


def _directions(claims: ClaimsContext, report: Report, trigger: Token) -> list[Report]:
    """Return one report per direction between the two sides of a single reciprocal report."""
    event = report.event
    mention = _actor_span(claims, report, trigger)
    named = _coordinated(claims, mention) if mention is not None else []
    partner = _partner(claims, event.recipient, trigger)
    if len(named) >= 2:
        pairs = [(named[0], named[1]), (named[1], named[0])]
    elif event.actor is not None and partner is not None and _distinct(event.actor, partner, claims.cues):
        pairs = [(event.actor, partner), (partner, event.actor)]  # "Israel traded accusations with Hamas"
    else:
        text = event.actor.text if event.actor is not None else (mention.text if mention is not None else "")
        if not _means_both_parties(text, claims.cues):
            return [report]
        parties = claims.parties(report.sentence)
        if len(parties) < 2:
            return [report]  # the story does not say who the two sides are
        recipient_text = event.recipient.text if event.recipient is not None else None
        sides = [replace(party, sector=None) for party in parties[:2]]
        pairs = [(replace(a, text=text), replace(b, text=recipient_text or b.text))
                 for a, b in ((sides[0], sides[1]), (sides[1], sides[0]))]
    return [Report(replace(event, actor=actor, recipient=recipient), report.sentence, report.tokens)
            for actor, recipient in pairs]


def _partner(claims: ClaimsContext, recipient: ActorRef | None, trigger: Token) -> ActorRef | None:
    """Return the other side of a one-subject exchange: its recipient, or the "with" object ("with Hamas")."""
    if recipient is not None:
        return None if _phrase(recipient.text) in claims.cues.reciprocal_objects else recipient
    holders = [trigger, *(c for c in trigger.children if c.dep_ in OBJECT_DEPS)]
    if trigger.dep_ == "dobj":
        holders.append(trigger.head)  # the trigger is the noun: "traded accusations with Hamas"
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "with":
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    words = claims.doc[pobj.left_edge.i: pobj.right_edge.i + 1]
                    return claims.speaker_actor(words) or ActorRef(words.text)
    return None


def _actor_span(claims: ClaimsContext, report: Report, trigger: Token) -> Span | None:
    """Return the actor's words in the sentence (nearest before the trigger), else the trigger's subject."""
    sent = claims.sents[report.sentence]
    actor = report.event.actor
    if actor is not None and actor.text:
        before = sent.text.rfind(actor.text, 0, max(0, trigger.idx - sent.start_char))
        found = before if before >= 0 else sent.text.find(actor.text)
        if found >= 0:
            start = sent.start_char + found
            span = claims.doc.char_span(start, start + len(actor.text), alignment_mode="expand")
            if span is not None:
                return span
    subjects = [c for c in trigger.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return None
    return claims.doc[subjects[0].left_edge.i: subjects[0].right_edge.i + 1]


def _coordinated(claims: ClaimsContext, span: Span) -> list[ActorRef]:
    """Return the distinct sides named by a coordinated phrase ("Israel and Hamas", "Armenian and Azerbaijani")."""
    heads = [span.root, *(c for c in span.root.conjuncts if span.start <= c.i < span.end)]
    sides: list[ActorRef] = []
    for head in heads:
        drop = {t.i for c in head.children if c.dep_ in CONJUNCT_DROP_DEPS for t in c.subtree}
        kept = [t.i for t in head.subtree if t.i not in drop and span.start <= t.i < span.end]
        actor = claims.speaker_actor(claims.doc[min(kept): max(kept) + 1]) if kept else None
        if actor is not None and all(_distinct(actor, side, claims.cues) for side in sides):
            sides.append(actor)
    if len(sides) >= 2:
        return sides
    ents = [e for e in entities_in(span) if span.start <= e.start and e.end <= span.end]
    return list(claims.countries(ents).values())


def _distinct(a: ActorRef, b: ActorRef, cues: Cues) -> bool:
    """Tell whether two accusers are two sides: different parties, or (unresolved) different words."""
    pa, pb = party_of(a, cues), party_of(b, cues)
    if pa is not None and pb is not None:
        return different_parties(pa, pb)
    return _phrase(a.text) != _phrase(b.text)


def _means_both_parties(text: str, cues: Cues) -> bool:
    """Tell whether a phrase stands for both parties of the story ("Both sides", "the two sides")."""
    phrase = _phrase(text)
    return any(phrase == p or phrase.endswith(" " + p) for p in cues.both_parties)


def _phrase(text: str) -> str:
    """Return a phrase lower-cased, with single spaces and no punctuation."""
    return " ".join(re.findall(r"[\w'-]+", text.lower()))
