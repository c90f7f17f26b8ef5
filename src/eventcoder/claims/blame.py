"""Blame shifting: "A said B's shelling hit the market. B blamed the explosion on A's missile."

The side said to have done something answers by blaming someone else for the same happening. Its
accusation (an ACCUSE whose object is the happening: "blamed the explosion on Y", "blamed Y for the
blast", "said Y was behind the raid") disputes the earlier claims, by others, that its own side did a
happening of that kind; the ACCUSE against Y stays an event of its own.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.denials import accused, on_side_of
from eventcoder.claims.report import Report, party_of, same_party
from eventcoder.model import ActorRef

TOLD_WITH_DEPS = frozenset({"advcl", "xcomp", "conj"})  # "..., the RSF said, blaming the army"
BLAMED_DEPS = frozenset({"dobj", "pobj"})
BLAME_PREPOSITIONS = frozenset({"for", "of", "behind"})
NAMING_PREPOSITIONS = BLAME_PREPOSITIONS | {"on"}  # "blamed the shortage on hoarders" names what it blames
RESPONSIBLE = frozenset({"responsible", "culpable"})  # "held Y responsible for the firing"


def link_blame(doc: Doc, reports: list[Report], cues: Cues) -> None:
    """Record on each claim of a blamer's own act the blame that shifts it elsewhere."""
    for blame in reports:
        if blame.event.event_type != "ACCUSE" or not blame.tokens or blame.event.actor is None:
            continue
        trigger = doc[blame.tokens[0]]
        kinds = blamed_kinds(trigger, cues)
        earliest = blame.sentence - cues.denial_window
        if kinds is None:  # "blamed rival gangs", "pointed the finger at Y": what was just told
            kinds, earliest = set(cues.blamed_happening_types), blame.sentence - 1
        if not kinds:
            continue
        blamer = party_of(blame.event.actor, cues)
        for claim in reports:
            if claim is blame or not claim.tokens or not earliest <= claim.sentence <= blame.sentence \
                    or claim.tokens[0] >= trigger.i:
                continue
            if claim.event.event_type in kinds:
                claimants = claim.claimants()
                if not claimants or any(same_party(party_of(c.source.actor, cues), blamer) for c in claimants):
                    continue  # the narrator's account, or the blamer's own
                answered = accused(claim, blame.event.actor, cues)
            else:  # an accusation of the blamer's side for a happening of that kind ("accusing troops of an ambush")
                answered = claim.event.event_type == "ACCUSE" and not same_party(party_of(claim.event.actor, cues),
                                                                                blamer) \
                    and on_side_of(claim.event.recipient, blame.event.actor, cues) \
                    and bool((blamed_kinds(doc[claim.tokens[0]], cues) or set()) & kinds)
            if answered and blame not in claim.disputes:
                claim.disputes.append(blame)


def blamed_kinds(trigger: Token, cues: Cues) -> set[str] | None:
    """Return the event types an accusation blames for; ``None`` when a blame verb names no happening at all.

    "blamed the explosion on", "blamed Y for the blast", "accused Y of carrying out the killings", "of torching
    the clinic", "held Y responsible for the firing", "said Y was behind the raid". An empty set: it blames for
    something else ("accused Baku of holding prisoners").
    """
    kinds: set[str] = set()
    for noun in blamed_nouns(trigger):
        kinds |= _act_kinds(noun, cues) if noun.tag_ == "VBG" else (_noun_kind(noun, cues) or set())
    objects = [trigger, *(c for c in trigger.children if c.dep_ == "dobj")]
    named = any(c.dep_ == "prep" and c.lower_ in NAMING_PREPOSITIONS for o in objects for c in o.children)
    if kinds or named or trigger.lemma_.lower() not in cues.bare_blame_verbs:
        return kinds
    return None


def _noun_kind(noun: Token, cues: Cues) -> set[str] | None:
    kind = cues.event_nouns.get(noun.lower_) or cues.event_nouns.get(noun.lemma_.lower())
    if kind is not None:
        return {kind}
    if noun.lower_ in cues.blamed_happenings or noun.lemma_.lower() in cues.blamed_happenings:
        return set(cues.blamed_happening_types)
    return None


def _act_kinds(gerund: Token, cues: Cues) -> set[str]:
    """Return what "of shelling the town", "of carrying out the killings", "of setting it ablaze" blames for."""
    kind = _noun_kind(gerund, cues)
    if kind is not None:
        return kind
    kinds: set[str] = set()
    for child in gerund.children:
        if child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN"):
            kinds |= _noun_kind(child, cues) or set()
        elif child.lower_ in cues.blamed_act_words and child.dep_ in ("oprd", "acomp", "dobj", "advmod", "pobj"):
            kinds |= cues.blamed_happening_types
    if not kinds and gerund.lemma_.lower() in cues.blamed_act_verbs:
        kinds |= cues.blamed_happening_types
    return kinds


def blamed_nouns(trigger: Token) -> list[Token]:
    """Return what an accusation blames: "blamed the explosion on", "blamed Y for the blast", "behind the raid".

    Also through the party blamed ("accused jihadists of the killings") and through "responsible" ("held Y
    responsible for the firing", "Y was responsible for"); a gerund stands for its act ("of torching the clinic").
    """
    found = [c for c in trigger.children if c.dep_ == "dobj"]
    holders = [trigger, *found]
    holders += [a for h in holders for a in h.children
                if a.dep_ in ("amod", "oprd", "acomp", "ccomp", "xcomp") and a.lemma_.lower() in RESPONSIBLE]
    for holder in holders:
        for preposition in (c for c in holder.children if c.dep_ == "prep" and c.lower_ in BLAME_PREPOSITIONS):
            found += [o for o in preposition.children if o.dep_ in BLAMED_DEPS
                      or (o.dep_ == "pcomp" and o.tag_ == "VBG")]
    return [n for n in found if n.pos_ in ("NOUN", "PROPN") or n.tag_ == "VBG"]


def name_the_blamed(claims: ClaimsContext, reports: list[Report]) -> None:
    """Read "A drone strike hit a market, the RSF said, blaming the army": the army did it, the RSF accuses.

    An accusation told with a speech verb (its participle) is the speaker's; the acts that speech reports
    with no actor (or an act for actor: "a drone strike") get the accused as actor.
    """
    cues = claims.cues
    for accusation in reports:
        if accusation.event.event_type != "ACCUSE" or not accusation.tokens or accusation.event.recipient is None:
            continue
        trigger = claims.doc[accusation.tokens[0]]
        if trigger.dep_ not in TOLD_WITH_DEPS or trigger.tag_ != "VBG" or trigger.head is trigger:
            continue
        # "said, blaming X": the participle hangs on the speech verb or (parataxis) on what it reports
        acts = next((a for a in claims.attributions(accusation.sentence) if a.verb is not None and a.kind == "report"
                     and (a.verb == trigger.head.i or trigger.i in a.region)), None)
        if acts is None:
            continue
        speakers = [(c.source.text, c.source.actor) for c in accusation.claimants() if c.source.actor is not None]
        if speakers and speakers[0][1] is not None and _no_one(accusation.event.actor, cues):
            text, actor = speakers[0]
            accusation.event = replace(accusation.event, actor=replace(actor, text=text))
        for report in reports:
            if report is accusation or report.sentence != accusation.sentence or not report.tokens:
                continue
            if report.tokens[0] in acts.region and report.event.event_type in cues.side_agent_types \
                    and _no_one(report.event.actor, cues):
                report.event = replace(report.event, actor=accusation.event.recipient)


def blame_the_told_act(doc: Doc, reports: list[Report], cues: Cues) -> None:
    """Read "blamed Hezbollah for a rocket strike that killed 12 children": the strike is Hezbollah's, says Israel.

    An act the accusation tells as fact (the events stage keeps it), with no actor or an act for actor, gets
    the party blamed as actor.
    """
    for accusation in reports:
        if accusation.event.event_type != "ACCUSE" or not accusation.tokens or accusation.event.recipient is None:
            continue
        told = {t.i for t in doc[accusation.tokens[0]].subtree}
        for report in reports:
            if report is accusation or not report.tokens or report.tokens[0] not in told:
                continue
            if report.event.event_type in cues.side_agent_types and _no_one(report.event.actor, cues):
                report.event = replace(report.event, actor=accusation.event.recipient)


def _no_one(actor: ActorRef | None, cues: Cues) -> bool:
    """Tell whether an actor names nobody: none, or an act ("a drone strike") read as its actor."""
    if actor is None:
        return True
    words = actor.text.lower().split()
    return bool(words) and words[-1] in cues.event_nouns
