"""The places stage: resolve a story's toponyms together and give each event its location.

An event's location is a place named in its own sentence, leaving out the name that is the
event's actor (Yerevan in "Yerevan shot down helicopters" is who, not where) or its source ("the
Pentagon said"), and names found with low confidence (spaCy read them as a person or an
organisation): one in the clause of the trigger's verb first, then the most specific (a town
before a region before a country), then one after a locative preposition (in, at, near ...), then
the nearest to the trigger. Else the story's focus (never a source's name): the place most
mentioned, cities weighing more than regions and regions more than countries. A name the
gazetteer lacks (a street, a neighbourhood) stands for the focus place.
A city keeps the name the article uses (Stepanakert, not Khankendi); other places their own name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from eventcoder.model import ActorRef, Event, Location, PlacePrecision
from eventcoder.places.eventplace import (
    EventPlaceCues,
    after_locative,
    in_mention,
    is_metonym,
    load_event_place_cues,
    names_a_party,
    placed_by_syntax,
)
from eventcoder.places.gazetteer import Gazetteer, Place
from eventcoder.places.resolve import Mention, candidates, resolve
from eventcoder.places.toponyms import BIG_CITY, Toponym, ToponymFinder, trim

if TYPE_CHECKING:
    from eventcoder.nlp import ParsedDoc

PRECISION: dict[str, PlacePrecision] = {
    "point": "point", "city": "city", "admin2": "admin1", "admin1": "admin1", "region": "admin1", "country": "country",
}
FOCUS_WEIGHT: dict[str, float] = {
    "point": 2.0, "city": 2.0, "admin2": 1.5, "admin1": 1.5, "region": 1.5, "country": 1.0,
}
LEAD_BONUS = 0.5
FOCUS_LABELS = frozenset({"GPE", "LOC", "FAC", "SPAN"})
# Non-state armed groups are coded with the country they fight in (CAMEO/PLOVER): "the rebels" in a
# story located in Nagorno-Karabakh are AZE REB.
ARMED_GROUP_SECTORS = frozenset({"REB", "INS", "SEP", "UAF"})
SPECIFICITY: tuple[str, ...] = ("point", "city", "admin2", "admin1", "region", "country")
WIDE_REGION = 10_000_000
AREA_GAP = re.compile(r",\s*|\s+in\s+")  # "Springfield, Ill.", "Palma in Cabo Delgado"
NEAR_GAP = 6  # characters between two names of one list ("X, and Y")
POSSESSIVE_GAP = re.compile(r"['’]s\s+$")  # "Burkina Faso's Sahel": the owner ends where the 's begins
LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
LOCATE_MIN = 0.5  # the least toponym confidence that may locate an event or be the story's focus


class Geocoder:
    """Fill ``Event.location``; also the toponym API the geo evaluation reads.

    Example:
        >>> geocoder = Geocoder(load_gazetteer())
        >>> [t.place.country for t in geocoder.toponyms(parsed)]  # doctest: +SKIP
        ['AZE', 'ARM', 'AZE']
    """

    def __init__(self, gazetteer: Gazetteer, hint_countries: Sequence[str] = ()) -> None:
        self.gazetteer = gazetteer
        self.finder = ToponymFinder(gazetteer)
        self.hint_countries = tuple(hint_countries)
        self._outlets: dict[str, Place | None] = {}
        self.cues: EventPlaceCues = load_event_place_cues()

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with ``location`` filled where a place is known."""
        if not events:
            return events
        found = [t for t in self.toponyms(parsed, embedded=False) if t.place is not None]
        focus = self.focus([t for t in found if not _is_source(t, events)])
        located = [replace(e, location=self.locate(e, found, focus, parsed)) for e in events]
        return with_rebel_countries(located)

    def pipe(self, items: Iterable[tuple[ParsedDoc, list[Event]]]) -> Iterator[list[Event]]:
        """Locate the events of many documents, keeping their order."""
        for parsed, events in items:
            yield self(parsed, events)

    def toponyms(self, parsed: ParsedDoc, demonyms: bool = False, embedded: bool = True,
                 place_adjectives: bool = False) -> list[Toponym]:
        """Return the document's toponyms, resolved in its context, in text order.

        Args:
            parsed: the parsed document.
            demonyms: also return adjectives and peoples of places (Armenian -> Armenia); they
                always count as context.
            embedded: also return place names inside organisations' names (University of California).
            place_adjectives: also return place adjectives that modify a noun ("Russian troops"), which
                geoparsing gold standards such as GeoWebNews count as toponyms, but not peoples ("the Russians").

        Returns:
            Toponyms with ``place`` set where resolved (``inferred`` where the focus stood in).
        """
        found = self.finder(parsed.doc, parsed.document.text)
        resolved = self._resolve(found, parsed.document.text, parsed.document.place)
        return [t for t in resolved
                if (demonyms or not t.demonym or (place_adjectives and _modifies_a_noun(parsed, t)))
                and (embedded or not t.embedded)]

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]],
                      parsed: ParsedDoc | None = None) -> list[Toponym | None]:
        """Resolve given character spans of ``text`` in document context (gold spans, in evaluation).

        The other toponyms of ``parsed``, when given, and the spans themselves are the context. A span
        that no place is called (an organisation, a building) resolves by the place name inside it.
        Returns one toponym per span, ``None`` where the span is empty.
        """
        given: list[Toponym] = []
        for start, end in spans:
            name, s, e = trim(text[start:end], start)
            demonym = self.finder.is_demonym(name)
            if not demonym and not candidates(self.gazetteer, Mention(name)):
                name = self.finder.inner_name(name) or name  # the University of California: California
            given.append(Toponym(s, e, name, "SPAN", demonym=demonym))
        context = self.finder(parsed.doc, parsed.document.text) if parsed is not None else []
        outlet = parsed.document.place if parsed is not None else None
        resolved = self._resolve([*given, *context], text, outlet)[:len(given)]
        return [t if t.text else None for t in resolved]

    def focus(self, toponyms: Sequence[Toponym]) -> Toponym | None:
        """Return the story's focus: the place most mentioned, specific places weighing more, among
        toponyms sure enough to locate events."""
        weight: dict[int, float] = defaultdict(float)
        first: dict[int, Toponym] = {}
        lead_end = toponyms[0].start + 200 if toponyms else 0
        for topo in toponyms:
            place = topo.place
            if (place is None or topo.inferred or not topo.literal or place.feature not in FOCUS_WEIGHT
                    or topo.confidence < LOCATE_MIN):
                continue
            if topo.label not in FOCUS_LABELS and place.feature == "city" and place.population < BIG_CITY:
                continue  # a small town matched outside a place entity is too weak to be the story's focus
            weight[place.index] += FOCUS_WEIGHT[place.feature] + (LEAD_BONUS if topo.start < lead_end else 0.0)
            first.setdefault(place.index, topo)
        if not weight:
            return None
        best = max(weight, key=lambda index: (weight[index], -first[index].start))
        return first[best]

    def locate(self, event: Event, toponyms: Sequence[Toponym], focus: Toponym | None,
               parsed: ParsedDoc | None = None) -> Location | None:
        """Return the event's location: a place in its clause or sentence, else the story's focus.

        Names of the event's parties (eventplace.names_a_party) are neither; a name the gazetteer lacks
        stands for the focus left once they are set aside.
        """
        evidence = event.evidence
        trigger = evidence.trigger_start if evidence.trigger_start is not None else evidence.start
        sentence = [t for t in toponyms if evidence.start <= t.start < evidence.end]
        parties = {t.start for t in sentence if names_a_party(t, event, parsed, self.cues)}
        named = [t for t in sentence if t.start in parties and (
            event.event_type.upper() not in self.cues.addressed_types or (_is_town(t) and is_metonym(t, event))
            or _seat_of_speaker(t, event) or _both_placed(event))]
        if _names_focus(focus, named):
            # "Israel's jets struck ..." is not in Israel, "sanctioned by Washington" not in Washington, "Kremlin
            # spokesman ... accused" not in the Kremlin; what a country or a city's own body says ("Cairo's
            # security chief warned") stays there
            focus = self.focus([t for t in toponyms if t.start not in parties])
        in_sentence: list[Toponym] = []
        for t in sentence:
            if (t.start in parties or not t.literal or t.place is None or t.place.feature not in PRECISION
                    or (t.confidence < LOCATE_MIN and not placed_by_syntax(t, event, parsed, self.cues))):
                continue
            if t.inferred:
                if focus is None or focus.place is None:
                    continue
                t = replace(t, place=focus.place)
            in_sentence.append(t)
        if not in_sentence:
            return self.location(focus) if focus is not None else None
        clause = _clause(parsed, trigger)

        def rank(t: Toponym) -> tuple[int, int, int, int]:
            inside = clause is not None and clause[0] <= t.start < clause[1]
            return (0 if inside else 1, _specificity(t), 0 if after_locative(t, parsed, self.cues) else 1,
                    abs(t.start - trigger))
        return self.location(min(in_sentence, key=rank))

    def location(self, toponym: Toponym) -> Location | None:
        """Turn a resolved toponym into the event record's ``Location``."""
        place = toponym.place
        if place is None or place.feature not in PRECISION:
            return None
        name = toponym.text if place.feature == "city" and not toponym.inferred else place.name
        return Location(name=name, lat=place.lat, lon=place.lon, country=place.country, admin1=place.admin1,
                        geonameid=place.geonameid, precision=PRECISION[place.feature])

    def outlet_place(self, text: str | None) -> Place | None:
        """Resolve an outlet's place ("Paris, Tenn.", "Kingston, Ontario") on its own; ``None`` if unknown."""
        parts = [p.strip() for p in (text or "").split(",") if p.strip()]
        if not parts or text is None:
            return None
        if text not in self._outlets:
            mentions = [Mention(parts[0], within=parts[1] if len(parts) > 1 else None), *map(Mention, parts[1:])]
            self._outlets[text] = resolve(self.gazetteer, mentions)[0]
        return self._outlets[text]

    def _resolve(self, found: list[Toponym], text: str, outlet: str | None = None) -> list[Toponym]:
        """Resolve toponyms together; names the gazetteer lacks stand for the focus place."""
        mentions = [Mention(t.text, t.demonym, within, weak=t.label not in FOCUS_LABELS, peers=peers, owner=owner)
                    for t, (within, peers), owner in zip(found, _neighbours(found, text), _owners(found, text),
                                                         strict=True)]
        hint = self.outlet_place(outlet)
        places = resolve(self.gazetteer, mentions, self.hint_countries, () if hint is None else (hint,))
        resolved = [replace(t, place=p) for t, p in zip(found, places, strict=True)]
        focus = self.focus(resolved)
        if focus is None:
            return resolved
        return [replace(t, place=focus.place, inferred=True)
                if t.place is None and not t.demonym and t.label in FOCUS_LABELS else t for t in resolved]


def _owners(found: Sequence[Toponym], text: str) -> list[str | None]:
    """Return, per toponym, the name right before it with a possessive ("Burkina Faso's Sahel region": Burkina
    Faso), the area it lies in."""
    ends = {t.end: t.text for t in found if not t.demonym}
    out: list[str | None] = []
    for toponym in found:
        gap = None if toponym.demonym else POSSESSIVE_GAP.search(text, max(0, toponym.start - 6), toponym.start)
        out.append(ends.get(gap.start()) if gap is not None else None)
    return out


def _neighbours(found: Sequence[Toponym], text: str) -> list[tuple[str | None, tuple[str, ...]]]:
    """Return, per toponym, the area named right after it and the names listed with it.

    The area follows a comma or "in" ("Springfield, Ill.", "Palma in Cabo Delgado province").

    Names listed with it stand right before or after it, joined by commas, "and" or "or" ("California,
    Washington and Utah"); two names with only a comma between them are a place and its area
    ("Parkland, Florida"), not a list.
    """
    order = sorted((t.start, t.end, t.text) for t in found if not t.demonym)
    starts = [item[0] for item in order]
    out: list[tuple[str | None, tuple[str, ...]]] = []
    for toponym in found:
        if toponym.demonym:
            out.append((None, ()))
            continue
        within: str | None = None
        peers: list[str] = []
        joined = False
        first = bisect_left(starts, toponym.start - NEAR_GAP - 200)  # no toponym name is 200 characters long
        for start, end, name in order[first:bisect_right(starts, toponym.end + NEAR_GAP)]:
            if name == toponym.text:
                continue
            if toponym.end <= start:
                gap = text[toponym.end:start]
                if within is None and AREA_GAP.fullmatch(gap):
                    within = name
            elif end <= toponym.start <= end + NEAR_GAP:
                gap = text[end:toponym.start]
            else:
                continue
            if LIST_GAP.fullmatch(gap):
                peers.append(name)
                joined = joined or gap.strip() != ","
        distinct = tuple(dict.fromkeys(peers))
        out.append((within, distinct if joined or len(distinct) > 1 else ()))
    return out


def _is_source(toponym: Toponym, events: Sequence[Event]) -> bool:
    """Say whether the toponym names who reports an event ("the Pentagon said"): a speaker, not a place."""
    return any(e.evidence.start <= toponym.start < e.evidence.end and any(in_mention(toponym, s) for s in e.sources)
               for e in events)


def _seat_of_speaker(toponym: Toponym, event: Event) -> bool:
    """Say whether the toponym is a seat of power (a point: the Kremlin, the White House) in the title of the
    actor or a source ("Kremlin spokesman Dmitry Peskov"): it says whose speaker it is, as "Moscow" alone does."""
    return (toponym.place is not None and toponym.place.feature == "point"
            and (in_mention(toponym, event.actor) or any(in_mention(toponym, s) for s in event.sources)))


def _both_placed(event: Event) -> bool:
    """Say whether the actor and the recipient both have a country: the story's focus then fills no role
    (events.placed), and a party's place stands for the focus of an addressed event no more ("Germany's
    foreign minister accused Russia" was said in neither)."""
    return (event.actor is not None and event.actor.country is not None
            and event.recipient is not None and event.recipient.country is not None)


def _names_focus(focus: Toponym | None, toponyms: Sequence[Toponym]) -> bool:
    """Say whether one of the toponyms names the focus place."""
    if focus is None or focus.place is None:
        return False
    return any(t.place is not None and t.place.index == focus.place.index for t in toponyms)


def _is_town(toponym: Toponym | None) -> bool:
    """Say whether a toponym names a town or a point (a capital standing for its government: Washington)."""
    return toponym is not None and toponym.place is not None and toponym.place.feature in ("city", "point")


def _specificity(toponym: Toponym) -> int:
    """Rank a place by how precisely it locates: a point or town first, a country or wide region last."""
    place = toponym.place
    if place is None:
        return len(SPECIFICITY)
    if place.feature == "region" and place.population > WIDE_REGION:
        return SPECIFICITY.index("country")
    return SPECIFICITY.index(place.feature) if place.feature in SPECIFICITY else len(SPECIFICITY)


def _clause(parsed: ParsedDoc | None, trigger: int) -> tuple[int, int] | None:
    """Return the document offsets of the clause of the verb that governs the trigger."""
    if parsed is None:
        return None
    span = parsed.doc.char_span(trigger, trigger + 1, alignment_mode="expand")
    if span is None:
        return None
    token = span[0]
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    subtree = list(token.subtree)
    return subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)


MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})


def _modifies_a_noun(parsed: ParsedDoc, toponym: Toponym) -> bool:
    """Say whether a place adjective stands before a noun it modifies (Russian troops), not alone (the Russians)."""
    span = parsed.doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    root = span.root
    return root.dep_ in MODIFIER_DEPS and root.head.i > root.i and root.head.pos_ in ("NOUN", "PROPN")


def _with_fighting_country(actor: ActorRef | None, location: Location | None) -> ActorRef | None:
    if actor is None or actor.country is not None or actor.sector not in ARMED_GROUP_SECTORS:
        return actor
    if location is None or location.country is None:
        return actor
    return replace(actor, country=location.country)


def with_rebel_countries(events: list[Event]) -> list[Event]:
    """Give armed groups of no known country the country where their event is located.

    An event's id depends on its actor and recipient, so the ``disputed_by`` links of every event
    are rewritten to the new ids of the events that changed.
    """
    renamed: dict[str, str] = {}
    changed: list[Event] = []
    for event in events:
        actor = _with_fighting_country(event.actor, event.location)
        recipient = _with_fighting_country(event.recipient, event.location)
        if actor is event.actor and recipient is event.recipient:
            changed.append(event)
            continue
        new = replace(event, actor=actor, recipient=recipient)
        renamed[event.id] = new.id
        changed.append(new)
    if not renamed:
        return changed
    return [replace(e, disputed_by=tuple(renamed.get(i, i) for i in e.disputed_by)) if e.disputed_by else e
            for e in changed]
