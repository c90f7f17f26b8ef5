"""Map labels from the gazetteer: countries, admin1 regions and cities by population, for the web page's base map.

The page has no tiles; it asks ``labels(bbox, zoom)`` for the names to write on the map at its view, and
``country_names()`` for the names beside ISO codes. Both read the gazetteer already in the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventcoder.places.compiled import load_gazetteer
from eventcoder.places.gazetteer import Gazetteer

# zoom -> the smallest city population labelled (deeper zoom, smaller towns)
CITY_FLOOR = ((3, 5_000_000), (4, 2_000_000), (5, 700_000), (6, 250_000), (7, 100_000), (8, 40_000),
              (9, 15_000), (10, 5_000), (11, 1_000))
ADMIN1_ZOOM = 5  # admin1 regions are named from this zoom
COUNTRY_MAX_ZOOM = 7  # and countries up to this one
MAX_LABELS = 120


@dataclass(frozen=True)
class Label:
    """One name to write on the map."""

    name: str
    lat: float
    lon: float
    kind: str  # country, admin1 or city
    population: int
    capital: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "lat": self.lat, "lon": self.lon, "kind": self.kind,
                "population": self.population, "capital": self.capital}


@dataclass(frozen=True)
class LabelTable:
    """Labels of each kind, largest population first."""

    countries: tuple[Label, ...]
    admin1: tuple[Label, ...]
    cities: tuple[Label, ...]


def build_table(gazetteer: Gazetteer) -> LabelTable:
    """Collect the countries, admin1 regions and populated cities of ``gazetteer``."""
    d = gazetteer.data
    kinds: dict[str, list[Label]] = {"country": [], "admin1": [], "city": []}
    for number, feature in enumerate(d.features):
        if feature not in kinds or (feature == "city" and d.populations[number] <= 0):
            continue
        kinds[feature].append(Label(d.names[number], d.lats[number], d.lons[number], feature,
                                    d.populations[number], number in d.capitals))
    for found in kinds.values():
        found.sort(key=lambda label: (-label.population, label.name))
    return LabelTable(tuple(kinds["country"]), tuple(kinds["admin1"]), tuple(kinds["city"]))


@lru_cache(maxsize=1)
def label_table() -> LabelTable:
    """Return the process-wide label table (built once from the gazetteer)."""
    return build_table(load_gazetteer())


def city_floor(zoom: float) -> int | None:
    """Return the smallest city population labelled at ``zoom``; ``None`` when no city is."""
    floor = None
    for level, population in CITY_FLOOR:
        if zoom >= level:
            floor = population
    return floor


def labels(bbox: tuple[float, float, float, float], zoom: float, table: LabelTable | None = None,
           limit: int = MAX_LABELS) -> list[Label]:
    """Return the labels inside ``bbox`` (min_lon, min_lat, max_lon, max_lat) for ``zoom``, largest first."""
    table = table or label_table()
    min_lon, min_lat, max_lon, max_lat = bbox

    def inside(label: Label) -> bool:
        return min_lat <= label.lat <= max_lat and min_lon <= label.lon <= max_lon

    found: list[Label] = []
    scale = 256 * 2 ** zoom / 360  # pixels per degree of longitude at this zoom (latitude roughly alike)

    def add(label: Label) -> bool:
        """Keep ``label`` unless it would overprint one already kept (e.g. two spellings of one town)."""
        for kept in found:
            if abs(kept.lon - label.lon) * scale < 60 and abs(kept.lat - label.lat) * scale < 16:
                return False
        found.append(label)
        return True

    if zoom <= COUNTRY_MAX_ZOOM:
        for label in [label for label in table.countries if inside(label)][: limit // 2]:
            add(label)
    if zoom >= ADMIN1_ZOOM:
        for label in [label for label in table.admin1 if inside(label)][: limit // 3]:
            add(label)
    floor = city_floor(zoom)
    if floor is not None:
        for label in table.cities:
            if label.population < floor or len(found) >= limit:
                break
            if inside(label):
                add(label)
    return found


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Return ISO-3 code -> country name, for every country of the gazetteer."""
    gazetteer = load_gazetteer()
    names: dict[str, str] = {}
    for code in gazetteer.data.country_places:
        place = gazetteer.country(code)
        if place is not None:
            names[code] = place.name
    return dict(sorted(names.items()))
