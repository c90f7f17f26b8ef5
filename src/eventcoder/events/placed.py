"""Roles the place of an event decides, read once the places stage has located the events.

People and things acted on take the country of the place where it happened unless the text gave them one;
buildings take the country they stand in rather than the one in their name; home actors (police, courts,
protesters) with no country of their own take the place's country. Armed groups and unknown perpetrators
are never given one: who fired is not guessed from where it landed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from spacy.tokens import Doc, Token

from eventcoder.events.datafiles import listed, read_yaml
from eventcoder.model import ActorRef, Event, Location
from eventcoder.nlp import ParsedDoc
from eventcoder.places.toponyms import PLACE_NOUNS

DATA_FILE = "placed_roles.yaml"
NOT_PLACES = frozenset({"PERSON", "DATE", "TIME"})  # "Hassan" in "King Hassan" names no place
POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})


@dataclass(frozen=True)
class PlaceCues:
    """The word lists of ``data/events/placed_roles.yaml``."""

    facilities: frozenset[str]
    owned_abroad: frozenset[str]
    domestic_sectors: frozenset[str]


@lru_cache(maxsize=1)
def load_place_cues() -> PlaceCues:
    """Load the word lists (cached)."""
    spec = read_yaml(DATA_FILE)
    return PlaceCues(
        facilities=listed(spec, DATA_FILE, "facilities"),
        owned_abroad=listed(spec, DATA_FILE, "owned_abroad"),
        domestic_sectors=frozenset(s.upper() for s in listed(spec, DATA_FILE, "domestic_sectors")),
    )


class PlacedRoles:
    """The pipeline stage after the places stage: fill or correct roles from the event's location."""

    def __init__(self, cues: PlaceCues | None = None) -> None:
        self.cues = cues or load_place_cues()

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with the countries their location decides (denials still point at what they deny)."""
        placed = [self.place(event) if self.named_in_sentence(parsed.doc, event) and not _names_actor(event) else event
                  for event in events]
        renamed = {old.id: new.id for old, new in zip(events, placed, strict=True) if new is not old}
        if not renamed:
            return placed
        return [replace(e, disputed_by=tuple(renamed.get(i, i) for i in e.disputed_by)) if e.disputed_by else e
                for e in placed]

    def place(self, event: Event) -> Event:
        """Return one event with its recipient (and a home actor) given the location's country where due."""
        where = event.location
        if where is None or not where.country:
            return event
        recipient = self._recipient(event.recipient, where)
        actor = self._actor(event.actor, where)
        if recipient is event.recipient and actor is event.actor:
            return event
        return replace(event, actor=actor, recipient=recipient)

    @staticmethod
    def named_in_sentence(doc: Doc, event: Event) -> bool:
        """Tell whether the event's place is named in its own sentence (not the story's place standing in).

        A word of a person's name does not count: "King Hassan" names no place called Hassan, unless a place noun
        follows the name ("Burkina Faso's Sahel region", read as a person). The gazetteer may spell the place
        otherwise ("Amara" for "the Amhara region"): close spellings of long words count.
        """
        if event.location is None:
            return False
        if event.location.precision == "country":
            return True  # the story's focus is a country only when no town or region is named in it
        sentence = doc.char_span(event.evidence.start, event.evidence.end, alignment_mode="expand")
        if sentence is None:
            return False
        said = _words(" ".join(t.text for t in sentence if t.ent_type_ not in NOT_PLACES or _before_place_noun(t)))
        return any(_spelled_alike(a, b) for a in _words(event.location.name) for b in said)

    def _recipient(self, recipient: ActorRef | None, where: Location) -> ActorRef | None:
        if recipient is None:
            return ActorRef(text=where.name, name=where.name, country=where.country)
        if recipient.text.split(" ", 1)[0].lower() in POSSESSIVES:
            return recipient  # "his compatriots": whose they are, the text says
        if recipient.country is None:
            return replace(recipient, country=where.country)
        if recipient.country != where.country and self.is_building(recipient.text):
            return replace(recipient, country=where.country)
        return recipient

    def _actor(self, actor: ActorRef | None, where: Location) -> ActorRef | None:
        if actor is None or actor.country is not None or actor.sector not in self.cues.domestic_sectors:
            return actor
        return replace(actor, country=where.country)

    def is_building(self, text: str) -> bool:
        """Tell whether a mention is the name of a building, which belongs where it stands ("the Paris Hotel").

        Only a name counts (a capitalised "Hotel", "Hospital"): "the north Lebanese port" says whose port it is.
        """
        found = [w.strip(".,'\"()") for w in text.replace("-", " ").split()]
        named = any(w[:1].isupper() and w.lower() in self.cues.facilities for w in found)
        return named and not {w.lower() for w in found} & self.cues.owned_abroad


def _words(text: str) -> set[str]:
    """Return the words of a name, folded for comparison ("Paktīkā" and "Paktika" share "paktika")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return {w for w in plain.split() if len(w) > 2 and w not in {"the", "and"}}


def _before_place_noun(token: Token) -> bool:
    """Tell whether the entity the token is in stands right before a place noun ("Sahel region")."""
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return end < len(doc) and doc[end].text.lower() in PLACE_NOUNS


def _spelled_alike(a: str, b: str) -> bool:
    """Tell whether two words are one name spelled alike ("paktika"/"paktika", "amara"/"amhara")."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.85


def _names_actor(event: Event) -> bool:
    """Tell whether the event's place is the country in its actor's own name ("The United Kingdom Foreign Office").

    Such a place says who acted, not where: it decides nobody's country.
    """
    if event.location is None or event.actor is None or event.location.precision != "country":
        return False  # "Cairo's security chief" acts in Cairo: a city in the name is where
    place = _words(event.location.name)
    return bool(place) and place <= _words(event.actor.text)
