"""Implicit agents from the speaker's side: "Three enemy tanks were hit", says the defence ministry."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Party, Report, party_of, same_party
from eventcoder.model import ActorRef, Source

PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass"})


def fill_speaker_side(claims: ClaimsContext, reports: list[Report]) -> None:
    """Give an actorless passive act in a speaker's account the speaker's side as its actor.

    The rule: an act of a ``side_agent_types`` type (ASSAULT, COERCE) with no actor, told in the
    passive with no "by" agent ("Three enemy tanks were hit"), whose resolved speakers (not the
    publisher, not a denier) are all of one country, is the speaker's side's act when
      (a) its target is marked hostile from the speaker's view ("enemy", "hostile", "adversary's"), or
      (b) it continues the speaker's own list: earlier in its sentence or in the previous sentence the
          same speaker claimed an act of the same type whose actor is on the speaker's side
          ("Yerevan shot down helicopters."), and the act is no casualty report: a side tells its own
          dead ("Two servicemen were killed") without saying who killed them.
    The actor is the speaker's reference under the speaker's words: its country, and its sector when
    the speaker is a force (a defence ministry speaks for the army, ``force_sectors``), else the sector
    of the side's earlier act as in (b), else none. A hostile target without a country gets the story's other party.
    Nothing is filled when the target is on the speaker's side ("Two Armenian soldiers were killed",
    say the Armenians), when the speakers' countries differ, or when only the narrator tells the act:
    the story then does not say whose act it was.

    Example: "Yerevan shot down helicopters. Three enemy tanks were hit.", continuing the Armenian
    Defense Ministry's spokeswoman, gives the hit the actor [ARM MIL] and the tanks the country AZE.
    """
    cues = claims.cues
    by_sentence: dict[int, list[Report]] = {}
    for report in reports:
        by_sentence.setdefault(report.sentence, []).append(report)
    for report in sorted((r for r in reports if r.tokens), key=lambda r: r.tokens[0]):
        event = report.event
        if event.actor is not None or event.event_type not in cues.side_agent_types:
            continue
        trigger = claims.doc[report.tokens[0]]
        speaker = _speaker(report)
        if speaker is None or speaker.actor is None or not _passive_without_agent(trigger):
            continue
        side = party_of(speaker.actor, cues)
        target = party_of(event.recipient, cues)
        hostile = _hostile(event.recipient, trigger, cues)
        if same_party(target, side) or (not hostile and target is not None and side is not None
                                        and target[0] == side[0]):
            continue  # the speaker's own losses are not the speaker's acts
        earlier = [r for r in by_sentence.get(report.sentence, []) if r.tokens and r.tokens[0] < trigger.i]
        own = _own_act_before(report, speaker, side, earlier + by_sentence.get(report.sentence - 1, []), cues)
        if not hostile and (own is None or _casualties(report, trigger, cues)):
            continue
        report.event = replace(event, actor=_side_actor(speaker, speaker.actor, own, cues))
        if hostile:
            report.event = replace(report.event, recipient=_enemy(claims, report, trigger, speaker.actor))


def _speaker(report: Report) -> Source | None:
    """Return the speaker of a report when its resolved speakers all belong to one country."""
    sources = [c.source for c in report.claimants()
               if not c.denied and c.source.actor is not None and c.source.actor.country]
    if not sources or len({s.actor.country for s in sources if s.actor is not None}) != 1:
        return None
    return sources[0]


def _passive_without_agent(verb: Token) -> bool:
    """Tell whether a verb is passive with no "by" agent ("were hit", "hit and destroyed")."""
    clauses = [verb]
    if verb.dep_ == "conj" and verb.tag_ == "VBN":
        clauses.append(verb.head)  # "Tanks were hit and destroyed": the second verb shares the passive
    if any(c.dep_ == "agent" for clause in clauses for c in clause.children):
        return False
    return any(c.dep_ in PASSIVE_DEPS for clause in clauses for c in clause.children)


def _casualties(report: Report, verb: Token, cues: Cues) -> bool:
    """Tell whether an act reports dead or wounded ("were killed", fatalities counted)."""
    fatalities = report.event.fatalities
    return verb.lemma_.lower() in cues.casualty_verbs or (fatalities.dead, fatalities.injured) != (None, None)


def _hostile(recipient: ActorRef | None, verb: Token, cues: Cues) -> bool:
    """Tell whether the target is the speaker's enemy: "enemy tanks", "hostile positions", "the adversary's"."""
    words = set(re.findall(r"[a-z]+", recipient.text.lower())) if recipient is not None else set()
    for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
        words.update(t.lower_ for t in subject.subtree)
    return bool(words & cues.hostile_words)


def _own_act_before(report: Report, speaker: Source, side: Party | None, previous: list[Report],
                    cues: Cues) -> ActorRef | None:
    """Return the actor of an earlier act of the same type by the speaker's side, told by the same speaker."""
    for earlier in previous:
        actor = earlier.event.actor
        if earlier.event.event_type != report.event.event_type or actor is None:
            continue
        if not same_party(party_of(actor, cues), side):
            continue
        if any(_same_speaker(c.source, speaker) for c in earlier.claimants() if not c.denied):
            return actor
    return None


def _same_speaker(a: Source, b: Source) -> bool:
    country_a = a.actor.country if a.actor else None
    country_b = b.actor.country if b.actor else None
    return a.text.lower() == b.text.lower() and country_a == country_b


def _side_actor(speaker: Source, reference: ActorRef, own: ActorRef | None, cues: Cues) -> ActorRef:
    """Return the speaker's side as an actor: the speaker itself when it is a force, else its country."""
    if reference.sector in cues.force_sectors:
        return replace(reference, text=speaker.text)
    if own is not None and own.country == reference.country:
        return replace(own, text=speaker.text)
    return ActorRef(speaker.text, None, reference.country, None, None)


def _enemy(claims: ClaimsContext, report: Report, verb: Token, speaker: ActorRef) -> ActorRef | None:
    """Return the target with the story's other party as its country (the speaker's enemy)."""
    recipient = report.event.recipient
    if recipient is not None and recipient.country is not None:
        return recipient
    parties = claims.parties(report.sentence)
    if len(parties) < 2 or speaker.country not in {p.country for p in parties}:
        return recipient  # the story does not name the speaker's opponent
    other = next(p for p in parties if p.country != speaker.country)
    if recipient is not None:
        return replace(recipient, country=other.country)
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not subjects:
        return None
    words = claims.doc[subjects[0].left_edge.i: subjects[0].right_edge.i + 1]
    return ActorRef(words.text, None, other.country)
