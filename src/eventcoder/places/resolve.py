"""Resolve place names to gazetteer places in document context.

Each name's candidates get a prior (population, feature class, capital, main name rather than
alternate name); then, twice over, a context score: the candidate's country or admin1 is what
other names in the story resolve to, and it lies near other places of the story (stories cluster);
it lies in the area named right after it ("Springfield, Ill."); it is of the kind of the names
listed with it ("California, Washington and Utah": a state). Names found outside any named entity
are resolved but give no context. Every mention of a name then takes one place, the one its
qualified mention resolved to if any. A demonym resolves to its country. The weights are general
priors, fixed here and documented.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from eventcoder.places.gazetteer import Gazetteer, Place, fold_name

# Prior bonus by feature class, in units of log10(population).
FEATURE_BONUS: dict[str, float] = {
    "country": 3.0, "continent": 2.0, "region": 2.0, "water": 9.0, "point": 7.0,
    "admin1": -0.6, "admin2": -0.8, "city": 0.0,
}
CAPITAL_BONUS = 1.2
PRIMARY_BONUS = 0.6
SAME_COUNTRY = 2.2
SAME_ADMIN1 = 1.2
# The document's country focus: more names in a country pull harder, by the log of their number (a
# low weight, chosen on GeoWebNews and the local-news set together; the same pull for admin1 areas
# helped local news and cost GeoWebNews 0.5 points, so it is not used).
COUNTRY_FOCUS = 0.5
NEARBY = 1.0
NEARBY_KM = 150.0
NEARBY_DEGREES = NEARBY_KM / 111.0  # a cheap latitude test before the great-circle one
HINT_COUNTRY = 1.0
AREAS = frozenset({"country", "admin1", "region", "continent", "water"})
WITHIN = 4.0  # "Springfield, Ill.": the place lies in the area named after the comma
LISTED = 2.0  # "California, Washington and Utah": the place is of the kind (feature, country) of those listed with it
CITY_SHARE = 0.2
BIG_NAMESAKE = 1.0
MAX_CANDIDATES = 30
# A name no place is called exactly may be a spelling variant of one (Qamishli: Al Qamishli). Such a
# candidate stands only when it is a place of some size, or lies in a country the story's other names
# resolve to (or the outlet's); it never competes with an exact match (it is looked up only without one).
VARIANT_MIN_POPULATION = 20_000
GENERIC_WORDS = frozenset({
    "city", "county", "province", "region", "state", "district", "river", "valley", "island", "islands",
    "mountains", "mountain", "lake", "bay", "street", "road", "avenue", "square", "park", "airport", "port",
    "border", "area", "municipality", "township", "twp", "governorate", "oblast", "prefecture", "department",
    "territory",
})


@dataclass(frozen=True)
class Mention:
    """A place name to resolve: its text, whether it is a demonym (Armenian), and the name that
    follows it after a comma when that is its state or country ("Springfield, Ill.": ``within="Ill."``),
    whether it is ``weak`` (a capitalised word the gazetteer knows, outside any named entity), and the
    ``peers`` listed with it: places in one list are of one kind (three states, not two states and a city),
    and the ``owner`` named before it with a possessive, which it lies in ("Burkina Faso's Sahel region")."""

    text: str
    demonym: bool = False
    within: str | None = None
    weak: bool = False  # matched outside any entity: resolved, but too unsure to be context for others
    peers: tuple[str, ...] = ()  # the names listed with it ("California, Washington and Utah")
    owner: str | None = None  # "Burkina Faso" in "Burkina Faso's Sahel region"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def candidates(gazetteer: Gazetteer, mention: Mention) -> list[Place]:
    """Return the places a mention may name; a name with a generic word also tries without it (the
    last word first: "Toms River Twp." is Toms River, not Toms)."""
    if mention.demonym:
        country = gazetteer.demonym_country(mention.text)
        return [country] if country else []
    found = gazetteer.candidates(mention.text, MAX_CANDIDATES)
    if found:
        return found
    words = mention.text.split()
    generic = [w.lower().rstrip(".") in GENERIC_WORDS for w in words]
    if len(words) > 1 and generic[-1] and not generic[0]:  # "Toms River Twp.": the last word only first
        found = gazetteer.candidates(" ".join(words[:-1]), MAX_CANDIDATES)
        if found:
            return found
    kept = [w for w, g in zip(words, generic, strict=True) if not g]
    if kept and len(kept) < len(words):
        return gazetteer.candidates(" ".join(kept), MAX_CANDIDATES)
    return []


def prior(gazetteer: Gazetteer, mention: Mention, place: Place, namesakes: Sequence[Place] = ()) -> float:
    """Return a candidate's score before context.

    A city that is a large share of the admin area of the same name is what the name means in
    news (New York, Sao Paulo), so it gets the admin area's feature bonus back.
    """
    score = math.log10(place.population + 10) + FEATURE_BONUS.get(place.feature, 0.0)
    if place.feature == "city" and any(
            other.feature == "admin1" and other.country == place.country and other.admin1 == place.admin1
            and place.population >= CITY_SHARE * other.population for other in namesakes):
        score += BIG_NAMESAKE
    if place.capital:
        score += CAPITAL_BONUS
    if gazetteer.is_primary(mention.text, place):
        score += PRIMARY_BONUS
    return score


def resolve(gazetteer: Gazetteer, mentions: Sequence[Mention],
            hint_countries: Sequence[str] = (), hint_places: Sequence[Place] = ()) -> list[Place | None]:
    """Resolve every mention of one document jointly; ``None`` where no place has the name.

    Args:
        gazetteer: where candidates come from.
        mentions: the document's place names in order; a repeated name weighs once as context,
            and a name is never its own context.
        hint_countries: ISO-3 codes known to be the story's region (the publication's, say).
        hint_places: places known to be near the story (the outlet's town): context like a
            named place of the story (country, admin1 area, nearness), never an answer.

    Returns:
        One place or ``None`` per mention, e.g. ``[Place(name="Khankendi", country="AZE", ...)]``
        for ``[Mention("Stepanakert")]`` next to ``Mention("Azerbaijan")``.
    """
    distinct = list(dict.fromkeys(mentions))
    options: list[list[tuple[Place, float]]] = []
    for mention in distinct:
        found = candidates(gazetteer, mention)
        options.append([(p, prior(gazetteer, mention, p, found)) for p in found])
    hints = set(hint_countries)
    _add_variants(gazetteer, distinct, options, hints | {p.country for p in hint_places if p.country})
    picks: list[Place | None] = [max(o, key=lambda c: c[1])[0] if o else None for o in options]
    position: dict[str, int] = {}
    for i, m in enumerate(distinct):
        if not m.demonym:
            position.setdefault(m.text, i)
    # "Florida, California and Texas" is a list, not a town in California: an area name has no container
    # A name whose own pick is an area has a container only when one of its towns lies in it ("LEBANON,
    # Ind.": the town in Indiana, not the country).
    containers = [_container(m, pick, option, picks, position)
                  for m, pick, option in zip(distinct, picks, options, strict=True)]
    strong = [not m.weak for m in distinct]
    keys = [fold_name(m.text) for m in distinct]
    # the kind of a list is read off its names' priors: two names must not drag each other from one kind to another
    kinds: list[set[tuple[str, str | None]]] = []
    for mention in distinct:
        listed = (picks[position[t]] for t in mention.peers if t in position)
        kinds.append({(p.feature, p.country) for p in listed if p is not None})
    for _ in range(2):
        picks = _rescore(options, picks, hints, containers, strong, kinds, keys, hint_places)
    return _one_sense(distinct, picks, mentions)


def _add_variants(gazetteer: Gazetteer, distinct: Sequence[Mention], options: list[list[tuple[Place, float]]],
                  hints: set[str]) -> None:
    """Give a name without exact candidates the spelling variants that are big enough or lie in
    a country of the story (the countries of the other names' exact candidates' best picks, or ``hints``)."""
    countries = set(hints)
    for mention, option in zip(distinct, options, strict=True):
        if option and not mention.weak:
            best = max(option, key=lambda c: c[1])[0]
            if best.country:
                countries.add(best.country)
    for i, mention in enumerate(distinct):
        if options[i] or mention.demonym:
            continue
        found = [p for p in gazetteer.variant_candidates(mention.text, MAX_CANDIDATES)
                 if p.population >= VARIANT_MIN_POPULATION or p.country in countries]
        options[i] = [(p, prior(gazetteer, mention, p, found)) for p in found]


def _container(mention: Mention, pick: Place | None, option: list[tuple[Place, float]],
               picks: list[Place | None], position: dict[str, int]) -> int | None:
    """Return the index of the area named right after the mention, if it may contain the mention's place; else
    that of the area that owns it ("Burkina Faso's Sahel region": the admin area of Burkina Faso, not the
    wide Sahel), when one of its places lies there."""
    owner = position.get(mention.owner) if mention.owner else None
    if owner is not None and pick is not None and any(_inside(p, picks[owner]) for p, _ in option):
        return owner
    where = position.get(mention.within) if mention.within else None
    if where is None or pick is None:
        return None
    if pick.feature not in AREAS:
        return where
    area = picks[where]
    return where if any(p.feature not in AREAS and _inside(p, area) for p, _ in option) else None


def _one_sense(distinct: list[Mention], picks: list[Place | None], mentions: Sequence[Mention]) -> list[Place | None]:
    """Give every mention of a name one place: its qualified mention's ("Springfield, Ill."), else a strong one's.

    A qualified place of another kind than the bare name's ("Washington, D.C." in a story about the
    state) was qualified to tell it apart: the bare mentions keep their own place.
    """
    sense: dict[str, tuple[int, Place]] = {}
    for mention, pick in zip(distinct, picks, strict=True):
        if mention.demonym or pick is None:
            continue
        key, rank = fold_name(mention.text), 0 if mention.within else 1 if not mention.weak else 2
        if key not in sense or rank < sense[key][0]:
            sense[key] = (rank, pick)
    by_mention = dict(zip(distinct, picks, strict=True))
    out: list[Place | None] = []
    for mention in mentions:
        own, found = by_mention[mention], sense.get(fold_name(mention.text))
        if (mention.demonym or found is None or mention.within is not None
                or (own is not None and own.feature != found[1].feature)):
            out.append(own)
        else:
            out.append(found[1])
    return out


def _inside(place: Place, area: Place | None) -> bool:
    """Say whether ``place`` lies in ``area`` (a country, or an admin1 area or city of one)."""
    if area is None or place.index == area.index or place.country != area.country:
        return False
    return area.feature in ("country", "region") or (area.admin1 is not None and place.admin1 == area.admin1)


def _rescore(options: list[list[tuple[Place, float]]], picks: list[Place | None],
             hints: set[str], containers: Sequence[int | None], strong: Sequence[bool],
             kinds: Sequence[set[tuple[str, str | None]]], keys: Sequence[str],
             hint_places: Sequence[Place] = ()) -> list[Place | None]:
    """Pick again with the context the current picks give (weak mentions give none, a name none to itself)."""
    context = [(k, p) for k, p, s in zip(keys, picks, strong, strict=True) if p is not None and s]
    context += [("\x00hint", p) for p in hint_places]
    countries: Counter[str | None] = Counter(p.country for _, p in context if p.country)
    admin1s = Counter((p.country, p.admin1) for _, p in context if p.admin1)
    points = {(p.index, p.lat, p.lon) for _, p in context if p.feature in ("city", "admin2", "region")}
    points |= {(-1 - p.index, p.lat, p.lon) for p in hint_places}  # the outlet's town is near itself too
    own: dict[str, list[Place]] = defaultdict(list)
    for key, place in context:
        own[key].append(place)
    new: list[Place | None] = []
    for option, current, container, listed, key in zip(options, picks, containers, kinds, keys, strict=True):
        if len(option) < 2:
            new.append(current)
            continue
        best, best_score = current, -math.inf
        area = picks[container] if container is not None else None
        mine = own.get(key, [])
        own_countries = Counter(p.country for p in mine)
        own_admin1s = Counter((p.country, p.admin1) for p in mine)
        own_points = {p.index for p in mine}
        for place, score in option:
            if _inside(place, area):
                score += WITHIN
            if (place.feature, place.country) in listed:
                score += LISTED
            in_country = countries[place.country] - own_countries[place.country]
            if in_country > 0:
                score += SAME_COUNTRY + COUNTRY_FOCUS * math.log2(in_country)
            if place.admin1 and admin1s[(place.country, place.admin1)] - own_admin1s[(place.country, place.admin1)] > 0:
                score += SAME_ADMIN1
            if place.country in hints:
                score += HINT_COUNTRY
            if place.feature in ("city", "admin2") and any(
                    index != place.index and index not in own_points
                    and abs(lat - place.lat) < NEARBY_DEGREES
                    and distance_km(lat, lon, place.lat, place.lon) < NEARBY_KM for index, lat, lon in points):
                score += NEARBY
            if score > best_score:
                best, best_score = place, score
        new.append(best)
    return new
