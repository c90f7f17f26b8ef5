"""Denials the event coder writes no REJECT for: dismissals, disavowals, denials in relative clauses.

"Military officials called the accounts baseless", "the RSF described the allegations as propaganda",
"a spokesman said the report was false", "Moscow said it had nothing to do with the attack" and "the
army, which denied killing civilians, ..." deny claims as "X denied this" does. They are read here as
REJECT reports whose actor is who denies; the linker keeps one only when it disputes a claim, so a
dismissal of something else ("dismissed rumours of a reshuffle") never becomes an event by this route.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from eventcoder.claims.context import ClaimsContext
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import DenialKind, Report
from eventcoder.model import ActorRef, Event, Evidence, Fatalities

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
RELATIVE_TAGS = frozenset({"WDT", "WP"})
COMPLEMENT_DEPS = frozenset({"oprd", "xcomp", "acomp", "attr", "ccomp"})
SUBORDINATE_DEPS = frozenset({"relcl", "acl"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
REJECT_ROOT = "12"
REJECT_QUAD = "verbal-conflict"


def unstated_denials(claims: ClaimsContext, reports: list[Report]) -> list[Report]:
    """Return a REJECT report for each denial in the text that no REJECT event stands on.

    Its ``denial_kind`` says how it points at what it denies (see ``denials.link_denials``).
    """
    if not reports:
        return []
    template = reports[0].event
    stated = {i for r in reports if r.event.event_type == "REJECT" for i in r.tokens}
    accusing = {i: r for r in reports if r.event.event_type == "ACCUSE" for i in r.tokens}
    found: list[Report] = []
    for index, sent in enumerate(claims.sents):
        for verb, kind in _denials(sent, claims.cues):
            if verb.i in stated:
                continue
            if verb.i in accusing:  # "dismissed the reports as a fabrication" read as criticism: it is a denial
                report = accusing[verb.i]
                report.event = replace(report.event, event_type="REJECT", cameo_root=REJECT_ROOT, mode=None)
                report.denial_kind = kind
                continue
            subject = _subject(verb)
            if subject is None:
                continue
            words = claims.doc[subject.left_edge.i: subject.right_edge.i + 1]
            words = _trim(words)
            actor = claims.speaker_actor(words)
            actor = replace(actor, text=words.text) if actor is not None else ActorRef(words.text)
            event = _reject(template, sent, verb, actor)
            found.append(Report(event, index, (verb.i,), denial_kind=kind, stated=False))
    return found


def speakers_as_deniers(claims: ClaimsContext, reports: list[Report]) -> None:
    """Give a denial coordinated into a report the speaker as actor: "X said Y fired first and denied ...".

    The parser often hangs "and denied targeting civilians" on the reported verb, so that the event
    coder gives it the reported subject; a denial with no subject of its own, coordinated with a verb
    that a speech act reports, is the speaker's.
    """
    for report in reports:
        if report.event.event_type != "REJECT" or not report.tokens:
            continue
        verb = claims.doc[report.tokens[0]]
        if verb.dep_ != "conj" or any(c.dep_ in SUBJECTS for c in verb.children):
            continue
        for attribution, resolved in zip(claims.attributions(report.sentence), claims.resolved(report.sentence),
                                         strict=True):
            if verb.head.i in attribution.region and verb.i in attribution.region and resolved:
                source = resolved[0].source
                actor = replace(source.actor, text=source.text) if source.actor is not None else ActorRef(source.text)
                report.event = replace(report.event, actor=actor)
                break


def _denials(sent: Span, cues: Cues) -> Iterator[tuple[Token, DenialKind | None]]:
    """Yield each denying verb of a sentence with how it points at the claim (None: read from the verb)."""
    for token in sent:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        lemma = token.lemma_.lower()
        verb_class = cues.verb_class(lemma)
        if verb_class is not None and verb_class.name == "denial":
            if token.pos_ == "VERB" and token.dep_ in SUBORDINATE_DEPS:
                yield token, None  # the event coder reads main-clause denials; "the army, which denied ..." here
            elif lemma in cues.dismissal_verbs and dismisses(token, cues):
                yield token, "anaphoric"  # "dismissed the reports as a fabrication"
        elif lemma in cues.dismissal_verbs and dismisses(token, cues) and not _under_denial(token, cues):
            yield token, "anaphoric"
        elif verb_class is not None and verb_class.name == "report":
            for clause in (c for c in token.children if c.dep_ in ("ccomp", "parataxis")):
                if _false_claim(clause, cues):
                    yield token, "anaphoric"
                elif disavows(clause, cues):
                    yield token, "responsibility"


def dismisses(verb: Token, cues: Cues) -> bool:
    """Tell whether "called the accounts baseless" / "described the claims as propaganda" dismisses a claim."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if objects and not any(_claim_word(o, cues) for o in objects):
        return False  # "called the president a liar" insults someone; it dismisses no claim
    if not objects and not (verb.dep_ in ("relcl", "ccomp") and _claim_word(verb.head, cues)):
        return False  # "claims the TPLF called unfounded": the object is the claim it hangs on
    complements = [c for c in verb.children if c.dep_ in COMPLEMENT_DEPS]
    complements += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                    for p in c.children if p.dep_ == "pobj"]
    complements += [p for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == "as"
                    for p in c.children if p.dep_ == "pobj"]
    words = {t for c in complements for t in (c, *(k for k in c.children if k.dep_ in ("conj", "amod")))}
    return any(_dismissive(t, cues) for t in words)


def _under_denial(verb: Token, cues: Cues) -> bool:
    """Tell whether a dismissal only goes with a denial ("denied the report, calling it disinformation")."""
    head_class = cues.verb_class(verb.head.lemma_.lower())
    return verb.head is not verb and head_class is not None and head_class.name == "denial"


def _false_claim(clause: Token, cues: Cues) -> bool:
    """Tell whether a reported clause says a claim is false ("the report was false")."""
    if clause.lemma_.lower() != "be":
        return False
    subjects = [c for c in clause.children if c.dep_ in SUBJECTS]
    predicates = [c for c in clause.children if c.dep_ in ("acomp", "attr")]
    return any(_claim_word(s, cues) for s in subjects) and any(
        _dismissive(t, cues) for p in predicates for t in (p, *p.children))


def disavows(clause: Token, cues: Cues) -> bool:
    """Tell whether a reported clause denies taking part ("it had nothing to do with", "was not involved")."""
    lemmas = ["not" if t.lower_ in NEGATIONS else t.lemma_.lower() for t in clause.subtree
              if not t.is_punct and (t.lower_ in NEGATIONS or (t.dep_ not in ("det", "aux", "auxpass")
                                                               and t.lower_ != "to"))]
    for phrase in cues.disavowals:
        size = len(phrase)
        if any(tuple(lemmas[i: i + size]) == phrase for i in range(len(lemmas) - size + 1)):
            return True
    return False


def _claim_word(token: Token, cues: Cues) -> bool:
    lemma = token.lemma_.lower()
    return lemma in cues.claim_nouns or token.lower_ in cues.claim_nouns or token.lower_ in cues.anaphoric_objects


def _dismissive(token: Token, cues: Cues) -> bool:
    return token.lower_ in cues.dismissive_words or token.lemma_.lower() in cues.dismissive_words


def _subject(verb: Token) -> Token | None:
    """Return who denies: the verb's subject, what a relative pronoun stands for, or a shared subject."""
    current = verb
    for _ in range(3):
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            if subjects[0].tag_ in RELATIVE_TAGS and current.dep_ == "relcl":
                return current.head  # "The Malian army, which denied ...": the army
            return subjects[0]
        if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
            return None  # "claims which the army dismissed" names its subject; none here
        if current.dep_ not in ("conj", "advcl", "xcomp") or current.head is current:
            return None
        current = current.head
    return None


def _trim(words: Span) -> Span:
    """Drop relative clauses and appositions after a subject's head ("The army, which denied ...")."""
    head = words.root
    cut = [c.left_edge.i for c in head.children if c.dep_ in ("relcl", "appos", "acl") and c.i > head.i]
    end = min([words.end, *cut])
    while end > words.start + 1 and words.doc[end - 1].is_punct:
        end -= 1
    return words.doc[words.start: end]


def _reject(template: Event, sent: Span, verb: Token, actor: ActorRef) -> Event:
    """Write the REJECT of a denial, in the document of ``template``."""
    text = sent.text.strip()
    start = sent.start_char + len(sent.text) - len(sent.text.lstrip())
    evidence = Evidence(sentence=text, start=start, end=start + len(text), trigger=verb.text, trigger_start=verb.idx)
    return Event(doc_id=template.doc_id, event_type="REJECT", evidence=evidence, published=template.published,
                 publisher=template.publisher, cameo_root=REJECT_ROOT, quad_class=REJECT_QUAD, actor=actor,
                 fatalities=Fatalities())
