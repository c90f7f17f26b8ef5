"""Claims of responsibility: "X claimed responsibility for the bombing" is X's own account of X's act.

The event coder codes the act with the claimant as actor; here the claimant becomes its source
(cue "claimed responsibility", "took responsibility", "claimed"), marked so that a claim of "the
attack" can be merged with the attack told before it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Claim, Report
from eventcoder.model import Source

OBJECT_DEPS = frozenset({"dobj", "dative"})
ORIGIN = -3  # the speech act number of a claim of responsibility in its sentence


def claimed_by_actor(doc: Doc, report: Report, index: int, cues: Cues) -> list[Claim]:
    """Return the claim of responsibility an event is told in, made by its actor, if it is one."""
    actor = report.event.actor
    if actor is None or not report.tokens:
        return []
    verb = next((v for v in (claiming_verb(doc[i], cues) for i in report.tokens) if v is not None), None)
    if verb is None:
        return []
    credit = next((c for c in verb.children if c.dep_ in OBJECT_DEPS and c.lemma_.lower() in cues.credit_nouns), None)
    cue = f"{verb.text} {credit.text}" if credit is not None else verb.text
    return [Claim(Source(actor.text, actor, cue), (index, ORIGIN), responsibility=True)]


def claiming_verb(noun: Token, cues: Cues) -> Token | None:
    """Return the verb of "claimed (responsibility for) <noun>", "took responsibility for <noun>"."""
    if noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in cues.claim_verbs:
        return noun.head
    preposition = noun.head
    if noun.dep_ != "pobj" or preposition.lower_ != "for":
        return None
    holder = preposition.head
    if holder.lemma_.lower() in cues.credit_nouns and holder.dep_ in OBJECT_DEPS:
        holder = holder.head
    if holder.pos_ != "VERB" or holder.lemma_.lower() not in cues.responsibility_verbs:
        return None
    if not any(c.dep_ in OBJECT_DEPS and c.lemma_.lower() in cues.credit_nouns for c in holder.children):
        return None
    return holder
