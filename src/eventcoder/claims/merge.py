"""Repeated reports of one happening in a document, and perpetrators named in a later claim."""

from __future__ import annotations

import bisect
import calendar
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Report, party_of, same_party
from eventcoder.model import ActorRef

MONTHS = frozenset(m.lower() for m in calendar.month_name if m)
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
MODALITY_SETS = ({"asserted"}, {"asserted", "future"}, {"asserted", "hypothetical"}, {"negated"}, {"historical"})


def fill_implicit_agents(claims: ClaimsContext, reports: list[Report]) -> None:
    """Name the perpetrator of an earlier actorless event from a later claim.

    Example: "The capital had been shelled. The shelling began from the Azerbaijani side, wrote
    Pashinyan." gives the first event the actor "the Azerbaijani side" and Pashinyan as a source.
    """
    cues = claims.cues
    for index in range(len(claims.sents)):
        for attribution, resolved in zip(claims.attributions(index), claims.resolved(index), strict=True):
            if not attribution.clausal or not resolved:
                continue
            for token_index in sorted(attribution.region):
                noun = claims.doc[token_index]
                event_type = cues.event_nouns.get(noun.lower_) or cues.event_nouns.get(noun.lemma_.lower())
                if event_type is None or noun.pos_ not in ("NOUN", "PROPN"):
                    continue
                agent_span = _agent(noun, cues)
                agent = claims.speaker_actor(agent_span) if agent_span is not None else None
                if agent is None:
                    continue
                own = [r for r in reports if r.sentence == index and r.event.event_type == event_type]
                if own:
                    for report in own:
                        if report.event.actor is None:
                            report.event = replace(report.event, actor=agent)
                    continue
                earlier = [r for r in reports if r.sentence < index and r.event.event_type == event_type
                           and r.event.actor is None]
                if not earlier:
                    continue
                stem = _stem(noun.lemma_)
                target = max(earlier, key=lambda r: (_stems(claims.doc, r) & {stem} != set(), r.sentence))
                target.event = replace(target.event, actor=agent)
                target.add_claims(resolved)


def _agent(noun: Token, cues: Cues) -> Span | None:
    """Return the "from X" / "by X" phrase naming who carried out an event noun."""
    holders = [noun]
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.i != noun.i:
        holders.append(noun.head)
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in cues.agent_preps:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return noun.doc[pobj.left_edge.i: pobj.right_edge.i + 1]
    return None


def entities_by_sentence(doc: Doc, sents: list[Span]) -> list[tuple[Span, ...]]:
    """Return each sentence's named entities (``Span.ents`` rebuilds the document's on every call)."""
    found: list[list[Span]] = [[] for _ in sents]
    starts = [s.start for s in sents]
    for ent in doc.ents:
        found[max(0, bisect.bisect_right(starts, ent.start) - 1)].append(ent)
    return [tuple(ents) for ents in found]


def merge_reports(doc: Doc, ents: list[tuple[Span, ...]], reports: list[Report], cues: Cues) -> list[Report]:
    """Merge later reports of one happening into the first: same type, compatible actors, one time.

    A later report joins the earlier one that matches it best: the same trigger word, a shared actor,
    recipient or mode, or being the only earlier event of its type. Its sources are kept.
    """
    kept: list[Report] = []
    for report in reports:
        candidates = [c for c in kept if _mergeable(c, report, ents, cues)]
        scored = [(_score(doc, c, report, cues, kept), c.sentence, n) for n, c in enumerate(candidates)]
        scored = [s for s in scored if s[0] >= 1]
        if not scored:
            kept.append(report)
            continue
        _, _, best = max(scored)
        _merge_into(candidates[best], report)
    return kept


def _mergeable(first: Report, later: Report, ents: list[tuple[Span, ...]], cues: Cues) -> bool:
    """Tell whether a later report may retell an earlier one: nothing in the two contradicts it."""
    a, b = first.event, later.event
    if a.event_type != b.event_type or a.event_type in cues.statement_types or first.sentence == later.sentence:
        return False
    # a retelling comes from someone else than the first telling
    if not later.claimants() or _speakers(first) == _speakers(later):
        return False
    if not any({a.modality, b.modality} <= allowed for allowed in MODALITY_SETS):
        return False
    if not (_compatible(a.actor, b.actor, cues) and _compatible(a.recipient, b.recipient, cues)):
        return False
    return not _dates_differ(ents[first.sentence], ents[later.sentence]) and not _places_differ(
        _scene(ents[first.sentence], first), _scene(ents[later.sentence], later))


def _scene(ents: tuple[Span, ...], report: Report) -> tuple[Span, ...]:
    """Return a sentence's entities less those naming who speaks or acts ("Israel's army confirmed ...")."""
    names = [c.source.text.lower() for c in report.claims]
    if report.event.actor is not None:
        names.append(report.event.actor.text.lower())
    return tuple(e for e in ents if not any(e.text.lower() in name for name in names))


def _score(doc: Doc, first: Report, later: Report, cues: Cues, kept: list[Report]) -> int:
    """Rank a merge; 0 means no sign that the two are one happening (a shared actor alone is not one)."""
    a, b = first.event, later.event
    stems = 2 if _stems(doc, first) & _stems(doc, later) else 0
    recipient = _agree(a.recipient, b.recipient, cues, strict=True)
    # the only earlier event of its type, retold without saying who did it
    retold = sum(1 for r in kept if r.event.event_type == a.event_type) == 1 and None in (a.actor, b.actor)
    confirmed = _confirmed_by_actor(first, later, cues) or _claims_the_one_before(doc, later)
    if not (stems or recipient or retold or confirmed):
        return 0
    score = stems + recipient + _agree(a.actor, b.actor, cues) + int(retold) + int(confirmed)
    if a.mode is not None and b.mode is not None:
        score += 1 if a.mode == b.mode else -2
    return score


def _confirmed_by_actor(first: Report, later: Report, cues: Cues) -> bool:
    """Tell whether the side said to have done it confirms it ("Hezbollah confirmed its fighters attacked the post")."""
    doer = party_of(first.event.actor, cues)
    stems = tuple(_confirmation_stem(v) for v in cues.confirmation_verbs)
    return doer is not None and any(
        same_party(party_of(c.source.actor, cues), doer) and (c.source.cue or "").lower().startswith(stems)
        for c in later.claimants())


def _claims_the_one_before(doc: Doc, later: Report) -> bool:
    """Tell whether a claim of responsibility names a happening told before ("claimed the attack")."""
    if not later.tokens or not any(c.responsibility for c in later.claims):
        return False
    return any(c.dep_ == "det" and c.lower_ in DEFINITE for i in later.tokens for c in doc[i].children)


def _confirmation_stem(verb: str) -> str:
    """Return the part of a verb lemma its forms share: "acknowledg(ed)", "admit(ted)", "confirm(s)"."""
    return verb[:-1] if verb.endswith("e") else verb


def _speakers(report: Report) -> frozenset[str]:
    return frozenset(c.source.text.lower() for c in report.claims)


def _merge_into(first: Report, later: Report) -> None:
    a, b = first.event, later.event
    fatalities = a.fatalities if (a.fatalities.dead, a.fatalities.injured) != (None, None) else b.fatalities
    claimant = b.actor if any(c.responsibility for c in later.claims) else None  # who says it did it
    first.event = replace(
        a,
        actor=claimant or a.actor or b.actor,
        recipient=a.recipient or b.recipient,
        mode=a.mode or b.mode,
        contexts=tuple(dict.fromkeys(a.contexts + b.contexts)),
        fatalities=fatalities,
        modality="asserted" if "asserted" in (a.modality, b.modality) else a.modality,
    )
    first.add_claims(later.claims)


def _compatible(a: ActorRef | None, b: ActorRef | None, cues: Cues) -> bool:
    """Tell whether two mentions may name the same participant (unknown agrees with anything)."""
    if a is None or b is None:
        return True
    pa, pb = party_of(a, cues), party_of(b, cues)
    if pa is not None and pb is not None:
        return same_party(pa, pb)
    if pa is not None or pb is not None:  # one side known only by its sector ("the rebels" against "Armenia")
        side_a = pa[1] if pa is not None else cues.sector_side.get(a.sector or "")
        side_b = pb[1] if pb is not None else cues.sector_side.get(b.sector or "")
        return side_a is None or side_b is None or side_a == side_b
    if _normal(a.text) == _normal(b.text) or (a.sector is not None and a.sector == b.sector):
        return True
    return _retold_by_head(a.text, b.text) or _retold_by_head(b.text, a.text)


def _retold_by_head(full: str, short: str) -> bool:
    """Tell whether a bare definite noun retells a fuller mention: "the post" after "an army post"."""
    words, head = _normal(full).split(), short.lower().split()
    return len(head) == 2 and head[0] == "the" and len(words) > 1 and words[-1] == head[1]


def _agree(a: ActorRef | None, b: ActorRef | None, cues: Cues, strict: bool = False) -> int:
    """Return 1 when two mentions positively name the same participant (strict: same words or sector too)."""
    if a is None or b is None:
        return 0
    if _normal(a.text) == _normal(b.text):
        return 1
    if strict and (a.sector is None or a.sector != b.sector):
        return 0
    return 1 if same_party(party_of(a, cues), party_of(b, cues)) else 0


def _places_differ(a: tuple[Span, ...], b: tuple[Span, ...]) -> bool:
    """Tell whether two sentences name places and none in common ("Gaza City" against "Ashkelon")."""
    places_a, places_b = _places(a), _places(b)
    return bool(places_a) and bool(places_b) and not places_a & places_b


def _places(ents: tuple[Span, ...]) -> frozenset[str]:
    return frozenset(e.text.lower() for e in ents if e.label_ in ("GPE", "LOC", "FAC"))


def _dates_differ(a: tuple[Span, ...], b: tuple[Span, ...]) -> bool:
    """Tell whether two sentences name different specific dates ("In July" against none or "on Sunday")."""
    dates_a, dates_b = specific_dates(a), specific_dates(b)
    if not dates_a and not dates_b:
        return False
    return dates_a != dates_b


def specific_dates(ents: tuple[Span, ...]) -> frozenset[str]:
    """Return the dates among a sentence's entities that name a month or a year ("In July", "in 1994")."""
    return frozenset(e.text.lower() for e in ents if e.label_ == "DATE" and any(
        w in MONTHS or (len(w) == 4 and w.isdigit()) for w in e.text.lower().replace(",", " ").split()))


def _stems(doc: Doc, report: Report) -> set[str]:
    return {_stem(doc[i].lemma_) for i in report.tokens}


def _stem(word: str) -> str:
    """Return a crude stem: "shelling" and "shelled" and "shell" agree."""
    word = word.lower()
    for suffix in ("ing", "ed", "ation", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _normal(text: str) -> str:
    words = text.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)
