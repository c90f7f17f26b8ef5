"""Find toponyms in a parse: spaCy's GPE/LOC/FAC, place names spaCy labelled otherwise, gazetteer matches.

spaCy's small model often calls a place it does not know a PERSON or an ORG (Stepanakert,
Nagornyj Karabakh), so an entity of another label whose whole text is a place name counts when
the place is a plausible one: a country, admin area, region, sea, a city of 50,000 or more, or a
city in a country the story already names. Capitalised proper nouns outside entities are matched
against the gazetteer the same way, but never inside an entity of another label (a person's or an
organisation's name). Place names inside an organisation's name (the University of California) are
marked ``embedded``; adjectives and peoples (Armenian) are marked ``demonym``. People's surnames
("İmamoğlu" after "Ekrem İmamoğlu") and party-state labels after a politician's name
("(R-Mont.)") are not toponyms. Each toponym has a ``confidence`` read off how it was found: a
place entity is surest, a gazetteer match outside entities less, a name spaCy labelled a person or
an organisation least; only sure ones locate events.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from eventcoder.places.gazetteer import Gazetteer, Place
from eventcoder.places.resolve import GENERIC_WORDS

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})
STRONG_FEATURES = frozenset({"country", "admin1", "region", "continent", "water"})
BIG_CITY = 50_000
CONTEXT_CITY = 1_000
MAX_WORDS = 4
# Words that qualify a place inside a longer name (South Florida, Nile Delta) rather than name one themselves.
NOT_INNER_NAMES = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower",
    "greater", "new", "old", "nord", "sud", "quarter", "metro", "delta", "bend", "island", "center", "centre",
    "mall", "hill", "park", "city", "valley", "bay", "coast", "lake", "river", "mount", "port", "fort",
})
_LEADING = re.compile(r"^(?:the|The|THE)\s+|^[\"“‘'(]+")
_TRAILING = re.compile(r"(?:['’]s|['’])$|[\"”’')]+$")
_OWNED = re.compile(r"^([^'’]+)['’]s\s+(\S.*)$")  # "Port-au-Prince's Cite Soleil"
_PREFIX = re.compile(r"^(?:pro|anti|non)-", re.IGNORECASE)
_PARTY_STATE = re.compile(r"[(\[,]\s*[RDI]\s*[-\u2013]\s*$")  # "Sen. Jon Tester (D-Mont.)", "Rep. Smith, R-Texas"
PERSON_LABEL = "PERSON"
# How sure a toponym is to name a place, by how it was found (see ``Toponym.confidence``).
CONFIDENCE: dict[str, float] = {"GPE": 1.0, "LOC": 1.0, "FAC": 1.0, "SPAN": 1.0, "GAZ": 0.6}
OTHER_LABEL_CONFIDENCE = 0.3
LOCATIVE_CONFIDENCE = 0.8  # a name spaCy labelled otherwise, governed by "in", "near" ...: "an office in Bamako"
LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "into", "on", "over", "along",
                      "off"})
# A name followed by one of these is a place whoever labelled it: "Pakistan's Punjab province", "the Rafah crossing".
PLACE_NOUNS = GENERIC_WORDS | {"crossing", "town", "village", "capital", "countryside", "outskirts"}
EMBEDDED_CONFIDENCE = 0.2


@dataclass(frozen=True)
class Toponym:
    """A place name found in a text, with the place it resolved to (``None`` when unresolved).

    ``inferred`` is set when the name is not in the gazetteer and the story's focus place stood in.
    """

    start: int
    end: int
    text: str
    label: str  # the spaCy label it came with, or "GAZ" for a gazetteer match outside entities
    demonym: bool = False
    embedded: bool = False
    place: Place | None = None
    inferred: bool = False
    locative: bool = False  # the object of a locative preposition ("in Karachi")

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place else None

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place else None

    @property
    def name(self) -> str | None:
        return self.place.name if self.place else None

    @property
    def country(self) -> str | None:
        return self.place.country if self.place else None

    @property
    def geonameid(self) -> int | None:
        return self.place.geonameid if self.place else None

    @property
    def confidence(self) -> float:
        """How sure it is that the span names a place: 1 for a place entity, 0.6 for a gazetteer match
        outside entities, 0.3 for a name spaCy labelled otherwise (a person, an organisation) unless a
        locative preposition governs it (0.8: spaCy's small model calls many cities organisations), 0.2
        inside an organisation's name."""
        if self.embedded:
            return EMBEDDED_CONFIDENCE
        if self.locative and self.label not in CONFIDENCE:
            return LOCATIVE_CONFIDENCE
        return CONFIDENCE.get(self.label, OTHER_LABEL_CONFIDENCE)

    @property
    def literal(self) -> bool:
        """Say whether this names a place as such (not a demonym, not part of an organisation's name)."""
        return not self.demonym and not self.embedded


def _locative(ent: Span) -> bool:
    """Say whether the syntax says the entity is a place: the object of a locative preposition ("in Karachi",
    "off Sinai") or the name before a place noun ("Punjab province", "the Rafah crossing")."""
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return True
    return ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in PLACE_NOUNS


def _party_state(toponym: Toponym, text: str) -> bool:
    """Say whether the toponym is the state of a politician's party label ("(R-Mont.)", "D-Ga.")."""
    return _PARTY_STATE.search(text, max(0, toponym.start - 6), toponym.start) is not None


def trim(text: str, start: int) -> tuple[str, int, int]:
    """Drop a leading article or quote and a trailing possessive; return text and document offsets."""
    lead = _LEADING.match(text)
    if lead:
        start, text = start + lead.end(), text[lead.end():]
    tail = _TRAILING.search(text)
    if tail:
        text = text[:tail.start()]
    return text, start, start + len(text)


class ToponymFinder:
    """Find toponym spans in a spaCy ``Doc`` (unresolved: the geocoder resolves them together)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc, text: str | None = None) -> list[Toponym]:
        """Return the document's toponyms in text order, demonyms and embedded names included.

        ``text`` is the document's text when the caller has it (``doc.text`` is rebuilt on each call).
        """
        context = self._context_countries(doc)
        found: list[Toponym] = []
        covered: set[int] = set()
        doc_text = doc.text if text is None else text
        surnames: set[str] = set()
        for ent in doc.ents:
            topo = self._from_entity(ent, context, doc_text)
            if topo is not None:
                found.extend(topo)
            if topo is not None or ent.label_ in OTHER_LABELS:
                covered.update(range(ent.start, ent.end))
            if ent.label_ == PERSON_LABEL and len(ent) > 1 and topo is None:
                surnames.add(trim(ent[-1].text, 0)[0])
        found.extend(self._gazetteer_matches(doc, doc_text, covered, context))
        found.sort(key=lambda t: t.start)
        return [t for t in found if t.demonym or not (self._surname(t, surnames) or _party_state(t, doc_text))]

    def _surname(self, toponym: Toponym, surnames: set[str]) -> bool:
        """Say whether the toponym is a surname of a person named in full elsewhere ("İmamoğlu" after
        "Ekrem İmamoğlu"); a country or admin area keeps its name (a person called Georgia is rare),
        and so does a big city tagged a place on its own. Only last words count: spaCy also tags
        organisations named after places as people (Seattle Seahawks, Surrey Racing)."""
        if toponym.text not in surnames:
            return False
        found = self.gazetteer.candidates(toponym.text, 10)
        if any(p.feature in STRONG_FEATURES for p in found):
            return False
        # spaCy also reads organisations as people (the Miami Herald): a name it tags a place on its
        # own that is also a big city (Miami, Abuja) is the city
        return toponym.label not in PLACE_LABELS or not any(p.population >= BIG_CITY for p in found)

    def is_demonym(self, text: str) -> bool:
        """Say whether ``text`` is a demonym (Canadian) rather than a major place's name (Georgia)."""
        if self.gazetteer.demonym_country(text) is None:
            return False
        return not any(p.feature in STRONG_FEATURES for p in self.gazetteer.candidates(text, 10))

    def inner_name(self, text: str) -> str | None:
        """Return the first place name inside a longer name (Colorado State University: Colorado), if any."""
        words = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
        for start, end, name, demonym in self._ngram_matches(text, words, set()):
            if not demonym and (start, end) != (0, len(text)) and name.lower() not in NOT_INNER_NAMES:
                return name
        return None

    def _context_countries(self, doc: Doc) -> set[str]:
        """Return the countries the story names outright (GPE entities and demonyms)."""
        countries: set[str] = set()
        for ent in doc.ents:
            text = trim(ent.text, 0)[0]
            demonym = self.gazetteer.demonym_country(_PREFIX.sub("", text))
            if demonym is not None and demonym.country:
                countries.add(demonym.country)
            for place in self.gazetteer.candidates(text, 3):
                if place.feature in ("country", "region") and place.country:
                    countries.add(place.country)
        return countries

    def _plausible(self, text: str, context: set[str], outside: bool = False, placed: bool = False) -> bool:
        """Say whether a name outside GPE/LOC/FAC is likely a place of the story.

        A big city must go by this name as its main name (or, inside an entity, a spelling variant of
        it: Khan Younis for Khan Yunis), unless the story names its country; a town of a country the
        story names counts too, but outside any entity (``outside``) only by its main name and not
        written in capitals (SWIFT is no town). Inside an entity, a name no place is called exactly
        is looked up by its spelling variants (Tal Rifaat: Tall Rif'at): a big city, or any place
        of a country the story names. A name the syntax calls a place (``placed``: "the village of
        Sotk", "the port of Hodeidah") is judged as inside an entity, and then any town of a country
        the story names, or a big city by any of its names, counts.
        """
        outside = outside and not placed
        found = self.gazetteer.candidates(text, 20)
        variant = not found and not outside
        if variant:
            found = self.gazetteer.variant_candidates(text, 20)
        for place in found:
            if variant and place.country not in context and (place.feature != "city" or place.population < BIG_CITY):
                continue
            if place.feature in STRONG_FEATURES:
                return True
            if placed and place.feature in ("city", "admin2") and (
                    place.country in context or place.population >= BIG_CITY):
                return True
            primary = self.gazetteer.is_primary(text, place)
            if place.feature == "city" and place.population >= BIG_CITY and (
                    primary or place.country in context
                    or (not outside and self.gazetteer.is_main_spelling(text, place))):
                return True
            if outside and (text.isupper() or not primary):
                continue
            if place.feature in ("city", "admin2") and place.country in context and place.population >= CONTEXT_CITY:
                return True
        return False

    def _from_entity(self, ent: Span, context: set[str], doc_text: str) -> list[Toponym] | None:
        text, start, end = trim(ent.text, ent.start_char)
        if not text:
            return None
        bare = _PREFIX.sub("", text)
        if self.is_demonym(bare):
            offset = len(text) - len(bare)
            return [Toponym(start + offset, end, bare, ent.label_, demonym=True)]
        if ent.label_ in PLACE_LABELS:
            return self._owned(text, start, ent.label_, context) or [Toponym(start, end, text, ent.label_)]
        if ent.label_ not in OTHER_LABELS:
            return None
        if self._plausible(text, context):
            return [Toponym(start, end, text, ent.label_, locative=_locative(ent))]
        if ent.label_ in ("ORG", "EVENT", "PRODUCT", "WORK_OF_ART", "NORP"):
            words = [(t.text, t.idx) for t in ent]
            inner = list(self._ngram_matches(doc_text, words, context))
            if inner:
                return [Toponym(s, e, t, ent.label_, demonym=d, embedded=not d) for s, e, t, d in inner]
        return None

    def _owned(self, text: str, start: int, label: str, context: set[str]) -> list[Toponym]:
        """Split a place entity the gazetteer lacks at a possessive after a place that owns it
        ("Port-au-Prince's Cite Soleil": Port-au-Prince and Cite Soleil); ``[]`` when it is no such name.

        The owner must be a country, or an admin area or a big city of a country the story names: "St
        George's Chapel" (a town in Utah) and "Notre Dame's Jessica Shepard" stay whole."""
        split = _OWNED.match(text)
        if split is None or self.gazetteer.knows(text):
            return []
        owner, owned = split.group(1), split.group(2)
        if not any(p.feature == "country" or (p.country in context and (
                p.feature in ("admin1", "admin2") or (p.feature == "city" and p.population >= BIG_CITY)))
                for p in self.gazetteer.candidates(owner, 5)):
            return []
        return [Toponym(start, start + len(owner), owner, label),
                Toponym(start + split.start(2), start + split.end(2), owned, label)]

    def _ngram_matches(self, text: str, words: list[tuple[str, int]], context: set[str],
                       outside: bool = False, placed: bool = False) -> Iterator[tuple[int, int, str, bool]]:
        """Yield the longest capitalised place names (or demonyms) among ``words`` (text, offset), left to right.

        ``placed``: the syntax calls the name that starts with the first word a place ("the town of ...").
        """
        i = 0
        while i < len(words):
            hit = None
            if words[i][0][:1].isupper():
                for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                    last_word, last_start = words[i + n - 1]
                    if not last_word[:1].isupper() and not last_word[:1].isdigit():
                        continue
                    start, end = words[i][1], last_start + len(last_word)
                    piece = text[start:end]
                    known = self.gazetteer.knows(piece) or (placed and i == 0
                                                            and bool(self.gazetteer.variant_candidates(piece, 1)))
                    if not known and (n > 1 or self.gazetteer.demonym_country(piece) is None):
                        continue
                    if self._plausible(piece, context, outside, placed and i == 0):
                        hit = (start, end, piece, False, n)
                        break
                    if n == 1 and self.is_demonym(piece):
                        hit = (start, end, piece, True, n)
                        break
            if hit is None:
                i += 1
                continue
            yield hit[0], hit[1], hit[2], hit[3]
            i += hit[4]

    def _gazetteer_matches(self, doc: Doc, text: str, covered: set[int], context: set[str]) -> Iterator[Toponym]:
        """Yield place names among proper nouns that spaCy left outside any entity."""
        run: list[tuple[str, int]] = []
        placed = False
        proper_noun, person = doc.vocab.strings["PROPN"], doc.vocab.strings["PERSON"]
        rows = doc.to_array(["POS", "IDX", "LENGTH", "ENT_TYPE"]).tolist()
        for i, (pos, start, length, _) in enumerate(rows):
            word = text[start:start + length]
            next_person = i + 1 < len(rows) and rows[i + 1][3] == person
            proper = pos == proper_noun and i not in covered and not next_person
            if proper and (run or word[:1].isupper()) and len(run) < MAX_WORDS:
                placed = placed if run else _after_place_noun(doc, i)
                run.append((word, start))
                continue
            if run:
                yield from self._run_matches(text, run, context, placed)
            run = [(word, start)] if proper and word[:1].isupper() else []
            placed = bool(run) and _after_place_noun(doc, i)
        yield from self._run_matches(text, run, context, placed)

    def _run_matches(self, text: str, run: list[tuple[str, int]], context: set[str],
                     placed: bool = False) -> Iterator[Toponym]:
        for start, end, name, demonym in self._ngram_matches(text, run, context, outside=True, placed=placed):
            yield Toponym(start, end, name, "GAZ", demonym=demonym)


def _after_place_noun(doc: Doc, i: int) -> bool:
    """Say whether token ``i`` follows "the <place noun> of" ("the village of Sotk", "the port of Hodeidah"),
    the noun written in lower case (the Port of Spain, the Department of State are names)."""
    if i < 3 or doc[i - 1].text.lower() != "of" or doc[i - 3].text.lower() != "the":
        return False
    noun = doc[i - 2].text
    return noun.islower() and noun in PLACE_NOUNS
