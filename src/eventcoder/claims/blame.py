"""Blame shifting: "A said B's shelling hit the market. B blamed the explosion on A's missile."

The side said to have done something answers by blaming someone else for the same happening. Its
accusation (an ACCUSE whose object is the happening: "blamed the explosion on Y", "blamed Y for the
blast", "said Y was behind the raid") disputes the earlier claims, by others, that its own side did a
happening of that kind; the ACCUSE against Y stays an event of its own.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from eventcoder.claims.cues import Cues
from eventcoder.claims.denials import accused
from eventcoder.claims.report import Report, party_of, same_party

BLAMED_DEPS = frozenset({"dobj", "pobj"})
BLAME_PREPOSITIONS = frozenset({"for", "of", "behind"})


def link_blame(doc: Doc, reports: list[Report], cues: Cues) -> None:
    """Record on each claim of a blamer's own act the blame that shifts it elsewhere."""
    for blame in reports:
        if blame.event.event_type != "ACCUSE" or not blame.tokens or blame.event.actor is None:
            continue
        kinds = {kind for noun in blamed_nouns(doc[blame.tokens[0]], cues)
                 if (kind := cues.event_nouns.get(noun.lower_) or cues.event_nouns.get(noun.lemma_.lower()))}
        if not kinds:
            continue
        blamer = party_of(blame.event.actor, cues)
        trigger = blame.tokens[0]
        for claim in reports:
            if claim is blame or not claim.tokens or claim.event.event_type not in kinds:
                continue
            within = blame.sentence - cues.denial_window <= claim.sentence <= blame.sentence
            if not within or claim.tokens[0] >= trigger:
                continue
            claimants = claim.claimants()
            if not claimants or any(same_party(party_of(c.source.actor, cues), blamer) for c in claimants):
                continue  # the narrator's account, or the blamer's own
            if accused(claim, blame.event.actor, cues) and blame not in claim.disputes:
                claim.disputes.append(blame)


def blamed_nouns(trigger: Token, cues: Cues) -> list[Token]:
    """Return what an accusation blames: "blamed the explosion on", "blamed Y for the blast", "behind the raid"."""
    found = [c for c in trigger.children if c.dep_ == "dobj"]
    for preposition in (c for c in trigger.children if c.dep_ == "prep" and c.lower_ in BLAME_PREPOSITIONS):
        found += [o for o in preposition.children if o.dep_ in BLAMED_DEPS]
    return [n for n in found if n.pos_ in ("NOUN", "PROPN")]
