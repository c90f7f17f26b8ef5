"""Denials: link a REJECT to the other party's claims it denies; those become disputed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from eventcoder.claims.cues import Cues
from eventcoder.claims.report import DenialKind, Party, Report, party_of, same_party
from eventcoder.model import ActorRef

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
ANY_OBJECT_DENIALS = frozenset({"deny", "refute", "denial"})


def link_denials(doc: Doc, sents: list[Span], reports: list[Report], cues: Cues,
                 denier_of: Callable[[Report], ActorRef | None] = lambda report: report.event.actor) -> None:
    """Record on each denied report the REJECT that denies it; fill the REJECT's recipient with the claimant.

    "Baku denied this" denies the nearest claims of another party before it (all those of its speaker);
    "X denied that ..." denies the claims that share words with what it denies, and those that X's side
    did sharing one; "X rejected any role in the blast" denies the claims that X's side did something
    (an unknown X: the nearest claims); "X rejected the accusation" also denies every accusation against
    X in the window. A report read by the claims stage (``denial_kind`` set) says its own kind.
    """
    for denial in reports:
        if denial.event.event_type != "REJECT" or not denial.tokens:
            continue
        trigger = doc[denial.tokens[0]]
        kind, words = _denial_kind(trigger, cues)
        if denial.denial_kind is not None:
            kind = denial.denial_kind
        if kind is None:
            continue
        denier_actor = denier_of(denial)
        denier = party_of(denier_actor, cues)
        candidates = _candidates(denial, trigger, reports, cues, denier)
        denied = _accusations_against(doc, candidates, denier_actor, cues, trigger)
        on_their_side = [c for c in candidates if accused(c, denier_actor, cues)]
        if kind == "anaphoric":
            denied += _nearest_block(candidates, cues)
        elif kind == "responsibility":  # "denied any involvement in the drone strike on the depot": also by content
            denied += on_their_side if on_their_side or denier is not None else _nearest_block(candidates, cues)
            denied += [c for c in candidates if _shares_content(sents, c, words, trigger, cues)]
        else:
            denied += [c for c in candidates if _shares_content(sents, c, words, trigger, cues)
                       or (c in on_their_side and _shares_content(sents, c, words, trigger, cues, least=1))]
        denied = list(dict.fromkeys(denied))
        inner = _denied_inside(trigger, reports) if kind == "content" else []
        for report in inner:
            report.disputes.append(denial)  # "X denied that its troops took part in the fighting": disputed there
        if not denied:
            continue
        if denial.event.recipient is None:
            claimant = _claimant(sorted(denied, key=lambda r: -r.sentence))
            if claimant is not None:
                denial.event = replace(denial.event, recipient=claimant)
        for report in denied:
            report.disputes.append(denial)


def _denied_inside(trigger: Token, reports: list[Report]) -> list[Report]:
    """Return the events stated inside the clause a denial denies ("denied that troops had fired ...")."""
    clause = {t.i for c in trigger.children if c.dep_ in ("ccomp", "xcomp") for t in c.subtree}
    return [r for r in reports if r.tokens and r.tokens[0] in clause and r.event.event_type != "REJECT"
            and not any(d.tokens and d.tokens[0] == trigger.i for d in r.disputes)]


def _denial_kind(trigger: Token, cues: Cues) -> tuple[DenialKind | None, frozenset[str]]:
    """Tell what a denial points at: earlier claims as a whole ("this", "the reports") or some content."""
    lemma = trigger.lemma_.lower()
    verb_class = cues.verb_class(lemma)
    if (verb_class is None or verb_class.name != "denial") and lemma not in ANY_OBJECT_DENIALS:
        return None, frozenset()
    if trigger.head.lemma_.lower() in cues.claim_nouns and (
            trigger.dep_ in ("relcl", "acl") or any(c.tag_ == "WDT" for c in trigger.children)):
        return "anaphoric", frozenset()  # "claims which the army dismissed as fabricated"
    objects = [c for c in trigger.children if c.dep_ in ("dobj", "ccomp", "xcomp", "nsubjpass", "prep")
               and c.lower_ not in ("as",)]
    said = _said(trigger, cues)
    clauses = [c for c in objects if c.dep_ in ("ccomp", "xcomp")]
    if clauses:
        return "content", said
    if any(c.dep_ in ("agent", "prep") and c.lower_ == "by" for c in trigger.children):
        return None, frozenset()  # "rejected by four colleges": turned down, not a denial
    nouns = [c for c in objects if c.dep_ in ("dobj", "nsubjpass")]
    if not nouns:
        # "Baku denied." answers what came before; a bare passive ("Rejected by four colleges") does not
        has_subject = any(c.dep_ == "nsubj" for c in trigger.children) or trigger.dep_ == "conj"
        return ("anaphoric", frozenset()) if has_subject else (None, frozenset())
    head = nouns[0]
    if head.lemma_.lower() in cues.responsibility_nouns:
        return "responsibility", said  # "rejected any role in the blast", "denied involvement"
    if head.lemma_.lower() in cues.claim_nouns and any(c.dep_ in ("acl", "relcl", "prep", "ccomp")
                                                       for c in head.children):
        return "content", said  # "denied claims by Matiangi that ...": the claim is spelled out here
    if head.lower_ in cues.anaphoric_objects or head.lemma_.lower() in cues.claim_nouns:
        return "anaphoric", frozenset()
    if lemma in ANY_OBJECT_DENIALS:
        return "content", said
    return None, frozenset()  # "rejected the peace plan" turns something down; it denies no claim


def _candidates(denial: Report, trigger: Token, reports: list[Report], cues: Cues,
                denier: Party | None) -> list[Report]:
    """Return earlier reports within reach of a denial that are not the denier's own claims."""
    own_subtree = {t.i for t in trigger.subtree}
    found = []
    for report in reports:
        if report is denial or not report.tokens:
            continue
        if not denial.sentence - cues.denial_window <= report.sentence <= denial.sentence:
            continue
        if report.sentence == denial.sentence and (report.tokens[0] >= trigger.i or report.tokens[0] in own_subtree):
            continue
        if report.event.event_type == "REJECT":
            continue  # a denial denies claims, not other denials
        if any(c.denied for c in report.claimants()):
            continue  # what someone already denies is no claim to deny
        if any(same_party(party, denier) for party in _claimant_parties(report, cues)):
            continue  # the denier's own side
        found.append(report)
    return sorted(found, key=lambda r: (-r.sentence, -r.tokens[0]))


def _claimant_parties(report: Report, cues: Cues) -> list[Party | None]:
    """Return the sides that claim a report: its speakers, or the actor of a statement nobody reports."""
    claimants = report.claimants()
    if claimants:
        return [party_of(c.source.actor, cues) for c in claimants]
    if report.event.event_type in cues.statement_types:
        return [party_of(report.event.actor, cues)]
    return []


def _accusations_against(doc: Doc, candidates: list[Report], denial_actor: ActorRef | None,
                         cues: Cues, trigger: Token | None = None) -> list[Report]:
    """Return accusations of the denier, with what they accuse it of ("accused the army of bombing").

    A denial in a relative clause on the accused ("blamed the attack on Haftar, who denied it") is the
    accused's, whatever words name it.
    """
    found: list[Report] = []
    for accusation in candidates:
        if accusation.event.event_type != "ACCUSE":
            continue
        answered = trigger is not None and trigger.dep_ == "relcl" and accusation.tokens and any(
            t.i == trigger.i for t in doc[accusation.tokens[0]].subtree)
        if not answered and not _names(accusation.event.recipient, denial_actor, cues):
            continue
        found.append(accusation)
        governed = {t.i for t in doc[accusation.tokens[0]].subtree}
        found += [c for c in candidates if c.sentence == accusation.sentence and c is not accusation
                  and c.tokens[0] in governed]
    return found


def _nearest_block(candidates: list[Report], cues: Cues) -> list[Report]:
    """Return the claims of the nearest speaker before a denial, back to where someone else speaks."""
    if not candidates:
        return []
    key = _speaker_key(candidates[0], cues)
    block = []
    for sentence in sorted({c.sentence for c in candidates}, reverse=True):
        here = [c for c in candidates if c.sentence == sentence]
        mine = [c for c in here if _speaker_key(c, cues) == key]
        if not mine:
            break
        block += mine
    return block


def _speaker_key(report: Report, cues: Cues) -> str | None:
    """Return who makes a claim: its first speaker, or the actor of an accusation nobody reports."""
    claimants = report.claimants()
    if claimants:
        return claimants[0].source.text.lower()
    if report.event.event_type in cues.speaker_is_actor and report.event.actor is not None:
        return report.event.actor.text.lower()
    return None


def _names(mention: ActorRef | None, actor: ActorRef | None, cues: Cues) -> bool:
    """Tell whether a mention names the same party as an actor (or, both unresolved, the same words)."""
    if mention is None or actor is None:
        return False
    if same_party(party_of(mention, cues), party_of(actor, cues)):
        return True
    return _bare(mention.text) == _bare(actor.text)


def _bare(text: str) -> str:
    words = text.lower().split()
    return " ".join(words[1:] if words and words[0] in ("the", "a", "an") else words)


def _shares_content(sents: list[Span], report: Report, words: frozenset[str], trigger: Token, cues: Cues,
                    least: int = 2) -> bool:
    """Tell whether a claim is about what a denial denies: two content words in common (outside the denial).

    Against a claim on the denier's own side, one word will do, or an event noun of the claim's type
    ("denied carrying out any strike" against "an air strike killed nine").
    """
    denial = {t.i for t in trigger.subtree}
    claimed = _words((t for t in sents[report.sentence] if t.i not in denial), cues)
    if least < 2 and any(cues.event_nouns.get(w) == report.event.event_type for w in words):
        return True
    return len(claimed & words) >= least


def accused(report: Report, denier: ActorRef | None, cues: Cues) -> bool:
    """Tell whether a claim says the denier's (or blamer's) side did it: one party, or one sector group."""
    if report.event.event_type in cues.statement_types:
        return False
    return on_side_of(report.event.actor, denier, cues)


def on_side_of(actor: ActorRef | None, denier: ActorRef | None, cues: Cues) -> bool:
    """Tell whether an actor is on the denier's (or blamer's) side: one party, or one sector group."""
    if actor is None or denier is None:
        return False
    if _names(actor, denier, cues):
        return True
    ours, theirs = party_of(actor, cues), party_of(denier, cues)
    if ours is not None and theirs is not None:
        return False
    group_a = cues.sector_side.get(actor.sector or "")
    group_b = cues.sector_side.get(denier.sector or "")
    return group_a is not None and group_a == group_b


def _said(trigger: Token, cues: Cues) -> frozenset[str]:
    """Return the content words of what a denial denies: its objects and their modifiers, not its subject."""
    skip = {t.i for c in trigger.children if c.dep_ in ("nsubj", "conj", "cc") for t in c.subtree} | {trigger.i}
    return _words((t for t in trigger.subtree if t.i not in skip), cues)


def _words(tokens: Iterable[Token], cues: Cues) -> frozenset[str]:
    """Return the content lemmas of some tokens (nouns, verbs, names, numbers; no stop words)."""
    return frozenset(t.lemma_.lower() for t in tokens
                     if t.pos_ in CONTENT_POS and not t.is_stop and t.lemma_.lower() not in cues.ignore_words)


def _claimant(denied: list[Report]) -> ActorRef | None:
    """Return who made the denied claims: the accuser, else the first resolved speaker."""
    for report in denied:
        if report.event.event_type == "ACCUSE" and report.event.actor is not None:
            return report.event.actor
    for report in denied:
        for claim in report.claimants():
            if claim.source.actor is not None:
                return replace(claim.source.actor, text=claim.source.text)
    return None
