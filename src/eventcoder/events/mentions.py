"""Actor mentions to ActorRefs: the resolver first, then what the sentence says about an unknown name."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from eventcoder.events import roles
from eventcoder.model import ActorRef, ActorResolver, Event
from eventcoder.nlp import entities_in

AFFILIATIONS = frozenset({"NORP", "GPE", "ORG"})
InDocument = Callable[[str, date | None, Sequence[str]], ActorRef | None]


class MentionResolver:
    """Resolve the mentions of one document, each text once per person name read (the resolver may be slow)."""

    def __init__(self, resolver: ActorResolver, content_nouns: frozenset[str], published: date | None,
                 instruments: frozenset[str] = frozenset()) -> None:
        self.resolver = resolver
        self.content_nouns = content_nouns
        self.instruments = instruments
        self.launched: dict[str, ActorRef] = {}  # weapon lemma -> who last fired it in this document
        self.published = published
        self._cache: dict[tuple[str, int], ActorRef | None] = {}
        agency = getattr(resolver, "is_news_agency", None)
        self._is_agency = agency if callable(agency) else None
        in_document = getattr(resolver, "resolve_in_document", None)  # a surname alone names whom the story named
        self._in_document: InDocument | None = in_document if callable(in_document) else None
        self._people: list[tuple[int, str]] | None = None  # the document's person names: (first token, text)
        self._upto = 0  # the names that start before this token are the ones read so far
        self._nouns: tuple[Doc, dict[str, list[int]]] | None = None  # token positions of nouns by lemma

    def __call__(self, head: Token | None, recipient: bool, venue: Token | None = None) -> ActorRef | None:
        """Resolve the mention headed by ``head``; keep its text when nothing resolves.

        ``venue`` is the place the event happens ("rioted at a jail in Dili"): an actor described only by
        a common noun ("prisoners", "people") is taken to be of that country, as CAMEO codes domestic actors.
        """
        if head is not None and head.pos_ == "PRON":
            head = roles.antecedent(head) or head
        if head is None or roles.is_unnamed(head):
            return None
        self._read(head.doc)
        self._upto = head.i + 1
        if recipient and head.lemma_.lower() in self.content_nouns:
            return None  # "denied the reports": what is denied, not who
        if not recipient and head.lemma_.lower() in self.instruments:
            return self._wielder(head)  # "a rocket hit their home": the rocket is no party
        span = roles.mention_span(head)
        text = span.text
        self._upto = span.end  # the mention's own full name counts: "Lleyton Hewitt" before its head "Hewitt"
        if not recipient and self._is_agency is not None and self._is_agency(text):
            return None  # AFP, Reuters: sources, never actors
        resolved = self.resolve(roles.name_text(span))
        if resolved is None or resolved.country is None:
            for _, owner in roles.prepositional(head, ("of",)):
                found = self.resolve(roles.name_text(roles.mention_span(owner)))
                if found is not None and (found.country is not None or resolved is None):
                    resolved = merge_sector(found, resolved)
        if resolved is None or (resolved.country is None and resolved.sector is None):
            # only when the KB knows nothing of the whole: "Pro-Armenian rebels" is REB with no country on purpose
            resolved = self._from_entities([e for e in entities_in(span) if not roles.sponsored(e.root)], resolved)
        if resolved is None and head.i != span.start:
            resolved = self.resolve(head.text)
        if resolved is None or resolved.country is None or resolved.kb_id is None:
            resolved = self._described(head, resolved, owner=not recipient)
        if resolved is None or resolved.country is None:
            resolved = self._located(head, resolved)
        if resolved is None or resolved.country is None:
            resolved = self._affiliated(head, resolved, recipient)
        if resolved is None or resolved.country is None:
            resolved = self._mentioned_before(head, resolved)
        if venue is not None and not recipient and head.pos_ == "NOUN" and (resolved is None or not resolved.country):
            resolved = self._domestic(venue, resolved, head)
        if resolved is None:
            return ActorRef(text=text)
        return replace(resolved, text=text)

    def resolve(self, text: str) -> ActorRef | None:
        """Return the resolver's answer for ``text`` after the person names read so far, asking once each."""
        earlier = self._earlier()
        cache_key = (text, len(earlier))
        if cache_key not in self._cache:
            if self._in_document is None:
                self._cache[cache_key] = self.resolver.resolve(text, self.published)
            else:
                self._cache[cache_key] = self._in_document(text, self.published, earlier)
        return self._cache[cache_key]

    def _read(self, doc: Doc) -> None:
        """Collect the document's person names, with their titles ("President Erdogan"), once."""
        if self._people is None and self._in_document is not None:
            self._people = [(min(ent.start, span.start), roles.name_text(span)) for ent in doc.ents
                            if ent.label_ == "PERSON" for span in (roles.mention_span(ent.root),)]

    def _earlier(self) -> tuple[str, ...]:
        return tuple(text for start, text in self._people or () if start < self._upto)

    def _wielder(self, weapon: Token) -> ActorRef | None:
        """Return who a weapon named as actor belongs to ("Russian missiles" -> RUS, MIL by default), else None."""
        for child in weapon.lefts:
            if child.dep_ not in {"amod", "compound", "poss", "nmod"} or child.pos_ == "PRON":
                continue
            owner = roles.mention_span(child)
            found = self.resolve(roles.name_text(owner))
            if found is not None and found.country is not None:
                return replace(found, text=owner.text, sector=found.sector or "MIL")
        return self.launched.get(weapon.lemma_.lower())  # "Hamas fired rockets ... a rocket hit their home"

    def record_launch(self, weapon: Token, actor: ActorRef) -> None:
        """Remember who fired a kind of weapon, for later sentences where only the weapon acts."""
        if weapon.lemma_.lower() in self.instruments:
            self.launched[weapon.lemma_.lower()] = actor

    def _mentioned_before(self, head: Token, resolved: ActorRef | None) -> ActorRef | None:
        """Read "the ministry", "the army" as the nearest earlier fuller mention with the same head noun.

        "the Russian Defence Ministry said ... The ministry accused Kyiv" gives RUS; only a bare definite
        description ("the" and the noun) looks back, and only at mentions that name a country.
        """
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) or any(
                c.dep_ in {"amod", "compound", "poss", "nmod"} for c in head.children):
            return resolved
        for token in self._nouns_before(head):
            found = self.resolve(roles.name_text(roles.mention_span(token)))
            if found is not None and found.country is not None:
                sector = found.sector or (resolved.sector if resolved is not None else None)
                return replace(found, sector=sector)
        return resolved

    def _nouns_before(self, head: Token) -> Iterator[Token]:
        """Yield the nouns and names before ``head`` with its lemma, nearest first (indexed once per document)."""
        doc = head.doc
        if self._nouns is None or self._nouns[0] is not doc:
            index: dict[str, list[int]] = {}
            for token in doc:
                if token.pos_ in {"NOUN", "PROPN"}:
                    index.setdefault(token.lemma_.lower(), []).append(token.i)
            self._nouns = (doc, index)
        positions = self._nouns[1].get(head.lemma_.lower(), [])
        for i in reversed(positions[:bisect.bisect_left(positions, head.i)]):
            yield doc[i]

    def _from_entities(self, entities: Iterable[Span], resolved: ActorRef | None) -> ActorRef | None:
        for entity in entities:
            candidate = self.resolve(entity.text)
            if candidate is not None and candidate.country is not None:
                return merge_sector(candidate, resolved)
        return resolved

    def _described(self, head: Token, resolved: ActorRef | None, owner: bool) -> ActorRef | None:
        """Read an unknown name through its description: "Kenzo Oshima, the UN relief coordinator", "their forces".

        A possessive pronoun names the owner of an actor, and of a recipient when it refers to someone other than
        the verb's subject: "withdrew its troops" has no other recipient, "a rocket hit their home" hit civilians.
        """
        related: list[Token | None] = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            related.append(head.head)
        for possessive in (c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"):
            owner_token = roles.antecedent(possessive, self.instruments)
            # a target's owner only when it is not the verb's own subject: "hit their home", not "withdrew its troops"
            acting = _acting_subject(head)
            if owner or (owner_token is not None and (acting is None or owner_token.i != acting.i)):
                related.append(owner_token)
        for other in related:
            if other is None or other.pos_ == "PRON":
                continue
            found = self.resolve(roles.name_text(roles.mention_span(other)))
            if found is not None and (found.country is not None or (resolved is None and found.sector is not None)):
                return merge_sector(found, resolved)  # "their home" after "Two women": the owners are civilians
        return resolved

    def _affiliated(self, head: Token, resolved: ActorRef | None, recipient: bool = False) -> ActorRef | None:
        """Read a country from what qualifies the head: "activists from the Fatah Party", "militants loyal to Iraq"."""
        # "five people near the Russian embassy" are not Russian (recipients only: actors keep this reading)
        nearby = {t.i for c in head.children if recipient and c.dep_ == "prep"
                  and c.lower_ in roles.NEARBY_PREPOSITIONS for t in c.subtree}
        # "two others injured during Israeli airstrikes": what happened to them does not say whose they are
        # ("crimes committed by Croat forces" are theirs: a "by" agent still counts)
        nearby |= {t.i for c in head.children if recipient and c.dep_ == "acl" and c.tag_ == "VBN"
                   and not any(a.dep_ == "agent" for a in c.children) for t in c.subtree}
        for token in head.subtree:
            if token.i <= head.i or token.dep_ in {"relcl", "conj", "appos"} or token.i in nearby:
                continue
            if roles.sponsored(token):
                continue
            if token.ent_type_ in AFFILIATIONS and token.ent_iob_ == "B":
                found = self.resolve(_entity_text(token))
                if found is not None and found.country is not None:
                    if resolved is None:
                        return ActorRef(text=head.text, country=found.country)
                    return replace(resolved, country=found.country)
        return resolved

    def _domestic(self, venue: Token, resolved: ActorRef | None, head: Token) -> ActorRef | None:
        found = self.resolve(_entity_text(venue))
        if found is None or found.country is None:
            return resolved
        if resolved is None:
            return ActorRef(text=head.text, country=found.country)
        return replace(resolved, country=found.country)

    def _located(self, head: Token, resolved: ActorRef | None) -> ActorRef | None:
        """Give "rebels in the Ivory Coast" the country of the place they are in."""
        for _, place in roles.prepositional(head, ("in", "from")):
            if not place.ent_type_:
                continue
            found = self.resolve(roles.mention_span(place).text)
            if found is not None and found.country is not None:
                if resolved is None:
                    return ActorRef(text=head.text, country=found.country)
                return replace(resolved, country=found.country)
        return resolved


def _acting_subject(noun: Token) -> Token | None:
    """Return who acts on ``noun`` (the subject of its verb, through a preposition and a pronoun), if anyone."""
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    subject = roles.subject_of(verb)
    if subject is not None and subject.pos_ == "PRON":
        return roles.antecedent(subject) or subject
    return subject


def _entity_text(first: Token) -> str:
    """Return the text of the named entity that starts at ``first``."""
    end = first.i + 1
    doc = first.doc
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[first.i:end].text


def merge_sector(found: ActorRef, whole: ActorRef | None) -> ActorRef:
    """Keep the sector the whole mention gave ("rebels": REB) with the country a part of it gave."""
    if whole is not None and whole.sector is not None:
        return replace(found, sector=whole.sector)
    return found


def fill_opponents(events: list[Event]) -> list[Event]:
    """Give military targets with no country ("shot down helicopters") the actor's one opponent in the story.

    The opponents are the pairs of countries that fight each other in the document's ASSAULT events.
    """
    opponents: dict[str, set[str]] = {}
    for event in events:
        if event.event_type == "ASSAULT" and event.actor and event.recipient:
            a, b = event.actor.country, event.recipient.country
            if a and b and a != b:
                opponents.setdefault(a, set()).add(b)
                opponents.setdefault(b, set()).add(a)
    if not opponents:
        return events
    filled = []
    for event in events:
        actor, recipient = event.actor, event.recipient
        if (event.event_type == "ASSAULT" and actor is not None and actor.country in opponents
                and len(opponents[actor.country]) == 1 and recipient is not None and recipient.country is None
                and recipient.sector == "MIL"):
            [enemy] = opponents[actor.country]
            event = replace(event, recipient=replace(recipient, country=enemy))
        filled.append(event)
    return filled
