"""Resolve place names to gazetteer places in document context.

Each name's candidates get a prior (population, feature class, capital, main name rather than
alternate name); then, twice over, a context score: the candidate's country or admin1 is what
other names in the story resolve to, and it lies near other places of the story (stories cluster).
A demonym resolves to its country. The weights are general priors, fixed here and documented.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from eventcoder.places.gazetteer import Gazetteer, Place

# Prior bonus by feature class, in units of log10(population).
FEATURE_BONUS: dict[str, float] = {
    "country": 3.0, "continent": 2.0, "region": 2.0, "water": 9.0, "point": 7.0,
    "admin1": -0.6, "admin2": -0.8, "city": 0.0,
}
CAPITAL_BONUS = 1.2
PRIMARY_BONUS = 0.6
SAME_COUNTRY = 2.2
SAME_ADMIN1 = 1.2
NEARBY = 1.0
NEARBY_KM = 150.0
NEARBY_DEGREES = NEARBY_KM / 111.0  # a cheap latitude test before the great-circle one
HINT_COUNTRY = 1.0
CITY_SHARE = 0.2
BIG_NAMESAKE = 1.0
MAX_CANDIDATES = 30
GENERIC_WORDS = frozenset({
    "city", "county", "province", "region", "state", "district", "river", "valley", "island", "islands",
    "mountains", "mountain", "lake", "bay", "street", "road", "avenue", "square", "park", "airport", "port",
    "border", "area", "municipality", "governorate", "oblast", "prefecture", "department", "territory",
})


@dataclass(frozen=True)
class Mention:
    """A place name to resolve: its text, and whether it is a demonym (Armenian) rather than a name."""

    text: str
    demonym: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def candidates(gazetteer: Gazetteer, mention: Mention) -> list[Place]:
    """Return the places a mention may name; a name with a generic word also tries without it."""
    if mention.demonym:
        country = gazetteer.demonym_country(mention.text)
        return [country] if country else []
    found = gazetteer.candidates(mention.text, MAX_CANDIDATES)
    if found:
        return found
    words = mention.text.split()
    kept = [w for w in words if w.lower() not in GENERIC_WORDS]
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
            hint_countries: Sequence[str] = ()) -> list[Place | None]:
    """Resolve every mention of one document jointly; ``None`` where no place has the name.

    Args:
        gazetteer: where candidates come from.
        mentions: the document's place names in order; a repeated name weighs once as context,
            and a name is never its own context.
        hint_countries: ISO-3 codes known to be the story's region (the publication's, say).

    Returns:
        One place or ``None`` per mention, e.g. ``[Place(name="Khankendi", country="AZE", ...)]``
        for ``[Mention("Stepanakert")]`` next to ``Mention("Azerbaijan")``.
    """
    distinct = list(dict.fromkeys(mentions))
    options: list[list[tuple[Place, float]]] = []
    for mention in distinct:
        found = candidates(gazetteer, mention)
        options.append([(p, prior(gazetteer, mention, p, found)) for p in found])
    picks: list[Place | None] = [max(o, key=lambda c: c[1])[0] if o else None for o in options]
    hints = set(hint_countries)
    for _ in range(2):
        picks = _rescore(options, picks, hints)
    by_mention = dict(zip(distinct, picks, strict=True))
    return [by_mention[m] for m in mentions]


def _rescore(options: list[list[tuple[Place, float]]], picks: list[Place | None],
             hints: set[str]) -> list[Place | None]:
    """Pick again with the context the current picks give."""
    countries: Counter[str | None] = Counter(p.country for p in picks if p is not None and p.country)
    admin1s = Counter((p.country, p.admin1) for p in picks if p is not None and p.admin1)
    points = {(p.index, p.lat, p.lon) for p in picks if p is not None and p.feature in ("city", "admin2", "region")}
    new: list[Place | None] = []
    for option, current in zip(options, picks, strict=True):
        if len(option) < 2:
            new.append(current)
            continue
        best, best_score = current, -math.inf
        for place, score in option:
            own = current is not None and current.country == place.country
            if countries[place.country] - (1 if own else 0) > 0:
                score += SAME_COUNTRY
            own1 = current is not None and (current.country, current.admin1) == (place.country, place.admin1)
            if place.admin1 and admin1s[(place.country, place.admin1)] - (1 if own1 else 0) > 0:
                score += SAME_ADMIN1
            if place.country in hints:
                score += HINT_COUNTRY
            if place.feature in ("city", "admin2") and any(
                    index != place.index and (current is None or index != current.index)
                    and abs(lat - place.lat) < NEARBY_DEGREES
                    and distance_km(lat, lon, place.lat, place.lon) < NEARBY_KM for index, lat, lon in points):
                score += NEARBY
            if score > best_score:
                best, best_score = place, score
        new.append(best)
    return new
