"""Which place names of an event's sentence may be where it happened: not those that name a party.

A place name is no location when it names who acts or reports (the actor's or a source's mention:
"Moscow expelled ...", "sanctioned by Washington", "Yerevan said"), whose people or forces are meant
("Israel's jets", "U.S. service members", "Russia's envoy"), the party an accusation, request
or sanction is addressed to ("accused Mexico", "urged the Pentagon"), or a place inside the act an
accusation or request reports ("accused Britain of helping Ukraine plan strikes on Crimea").
Such names are also kept out of the story focus that stands in when the sentence names no other place.

A name spaCy read as a person or an organisation (too unsure to locate an event on its own) counts when
the syntax says it is a place: "the town of Kostiantynivka", "north of Aleppo", the town itself taken
or struck ("the RSF captured El Fasher"), or the town of the thing struck ("the Odesa branch of ...").
Word lists: ``data/events/event_places.yaml`` (not under data/places, whose files stamp the compiled
gazetteer index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Token

from eventcoder.datafiles import read_yaml
from eventcoder.datafiles import words as listed_words
from eventcoder.errors import DataError
from eventcoder.model import ActorRef, Event, Source
from eventcoder.places.toponyms import LOCATIVE, Toponym, trim

if TYPE_CHECKING:
    from eventcoder.nlp import ParsedDoc

DATA_FILE = "event_places.yaml"
OWNER_DEPS = frozenset({"poss", "compound", "nmod", "amod"})
# Clauses under an accusation's or request's verb: what is said, not where it is said.
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "csubj"})
MAX_DEPTH = 12


@dataclass(frozen=True)
class EventPlaceCues:
    """The word lists of ``data/events/event_places.yaml``."""

    addressed_types: frozenset[str]
    reported_act_types: frozenset[str]
    owner_nouns: frozenset[str]
    place_of_nouns: frozenset[str]
    direction_words: frozenset[str]


@lru_cache(maxsize=1)
def load_event_place_cues() -> EventPlaceCues:
    """Load the word lists (cached); a missing or malformed list is a one-line ``DataError``."""
    loaded = read_yaml("events", DATA_FILE)

    def words(key: str) -> frozenset[str]:
        found = listed_words(loaded.get(key), f"data/events/{DATA_FILE} {key}")
        if not found:
            raise DataError(f"data/events/{DATA_FILE} {key}: needs at least one word")
        return found

    return EventPlaceCues(
        addressed_types=frozenset(t.upper() for t in words("addressed_types")),
        reported_act_types=frozenset(t.upper() for t in words("reported_act_types")),
        owner_nouns=words("owner_nouns"),
        place_of_nouns=words("place_of_nouns"),
        direction_words=words("direction_words"),
    )


def in_mention(toponym: Toponym, mention: ActorRef | Source | None) -> bool:
    """Say whether the toponym is (part of) an actor's or a source's mention, as whole words ("Chad" is not in
    "Chadian troops")."""
    if mention is None or not mention.text:
        return False
    return re.search(rf"(?<!\w){re.escape(toponym.text)}(?!\w)", mention.text) is not None


def is_metonym(toponym: Toponym, event: Event) -> bool:
    """Say whether the place name is a whole party of the event: "Washington" in "sanctioned by Washington"."""
    mentions = [event.actor, event.recipient, *event.sources]
    return any(m is not None and _same_name(m.text, toponym.text) for m in mentions)


def names_a_party(toponym: Toponym, event: Event, parsed: ParsedDoc | None,
                  cues: EventPlaceCues | None = None) -> bool:
    """Say whether a place name of the event's sentence names a party to it rather than where it happened."""
    cues = cues or load_event_place_cues()
    if in_mention(toponym, event.actor) or any(in_mention(toponym, s) for s in event.sources):
        return True
    addressed = event.event_type.upper() in cues.addressed_types
    if addressed and event.recipient is not None and _same_name(event.recipient.text, toponym.text):
        return True
    token = _root(parsed, toponym)
    if token is None:
        return False
    if _owner(token, cues):
        return True
    return event.event_type.upper() in cues.reported_act_types and _in_clause_below(token, _trigger(parsed, event))


def placed_by_syntax(toponym: Toponym, event: Event, parsed: ParsedDoc | None,
                     cues: EventPlaceCues | None = None) -> bool:
    """Say whether the syntax makes an unsure name a place: "the town of X", "north of X", a town taken or hit,
    or the town of a thing hit ("destroyed the Odesa branch of ...")."""
    cues = cues or load_event_place_cues()
    recipient = event.recipient
    on_the_spot = recipient is not None and event.event_type.upper() not in cues.addressed_types
    if on_the_spot and recipient is not None and _same_name(recipient.text, toponym.text):
        return True
    token = _root(parsed, toponym)
    if token is None:
        return False
    if on_the_spot and token.dep_ == "compound" and token.head.pos_ == "NOUN" and in_mention(toponym, recipient):
        return True
    if token.dep_ != "pobj" or token.head.lower_ != "of":
        return False
    return token.head.head.lower_ in cues.place_of_nouns


def after_locative(toponym: Toponym, parsed: ParsedDoc | None, cues: EventPlaceCues | None = None) -> bool:
    """Say whether a locative preposition (in, at, near ...) governs the toponym ("in western Iraq" too)."""
    if parsed is None:
        return False
    cues = cues or load_event_place_cues()
    span = parsed.doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
    if span is None:
        return False
    i = span.start - 1
    while i >= 0 and (parsed.doc[i].lower_ == "the" or parsed.doc[i].lower_ in cues.direction_words):
        i -= 1
    return i >= 0 and parsed.doc[i].lower_ in LOCATIVE


def _same_name(mention: str, name: str) -> bool:
    return trim(mention, 0)[0] == name


def _root(parsed: ParsedDoc | None, toponym: Toponym) -> Token | None:
    if parsed is None:
        return None
    span = parsed.doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _trigger(parsed: ParsedDoc | None, event: Event) -> Token | None:
    start = event.evidence.trigger_start
    if parsed is None or start is None:
        return None
    span = parsed.doc.char_span(start, start + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _owner(token: Token, cues: EventPlaceCues) -> bool:
    """Say whether the name qualifies a noun of people or forces ("Israel's jets", "U.S. service members")."""
    head = token
    for _ in range(3):  # "China's coast guard": China -> guard; "U.S. Africa Command staff"
        if head.dep_ not in OWNER_DEPS or head.head.i == head.i:
            return False
        head = head.head
        if head.pos_ == "NOUN" and (head.lower_ in cues.owner_nouns or head.lemma_.lower() in cues.owner_nouns):
            return True
        if head.pos_ == "NOUN":
            return False
    return False


def _in_clause_below(token: Token, trigger: Token | None) -> bool:
    """Say whether a clause lies between the trigger's verb and the name ("accused X of helping Y strike Z")."""
    if trigger is None:
        return False
    node = token
    crossed = False
    for _ in range(MAX_DEPTH):
        if node.i == trigger.i:
            return crossed
        if node.head.i == node.i:
            return False
        crossed = crossed or node.dep_ in CLAUSE_DEPS
        node = node.head
    return False
