"""Dated officeholders read at set-up from ``actors-sources`` (Wikidata via every-politician, US Congress).

``python -m eventcoder.actors compile`` (run by ``make setup``) reads ``officeholders.tsv`` and
``us_congress.tsv`` from the source folder (``$EVENTCODER_SOURCE_DATA/actors-sources``, by default
``../shared/data`` next to the repository) and compiles them with the curated data; nothing read
here is committed. People are merged by Wikidata (or bioguide) id into one entry with one dated role
per spell; the sector comes from the position label (data/actors/positions.yaml); names are the label,
the Wikipedia title and the other labels, plus "given name + first surname" for Iberian-style names.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from eventcoder.actors.sources import Entry, Role, _yaml
from eventcoder.errors import DataError

SOURCE_ENV = "EVENTCODER_SOURCE_DATA"
SOURCE_FOLDER = "actors-sources"
FILES = ("officeholders.tsv", "us_congress.tsv")
# States whose people carry two surnames, the father's first: "Pedro Sanchez Perez-Castejon" is "Pedro Sanchez".
IBERIAN = frozenset(["ESP", "PRT", "MEX", "COL", "ARG", "CHL", "PER", "VEN", "ECU", "BOL", "PRY", "URY", "CUB", "DOM",
                     "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "BRA", "GNQ", "AND", "PRI"])
_PAREN = re.compile(r"\s*\([^)]*\)")
_HONORIFIC = re.compile(r"^(mr|mrs|ms|dr|prof|sir|dame|hon|h\.e)\.?(\s+|(?<=\.)(?=[A-Z]))", re.IGNORECASE)
_LATIN = re.compile(r"^[\sA-Za-z\u00C0-\u024F.'’\-]+$")
SECTOR_RANK = {"GOV": 0, "MIL": 1, "SPY": 1, "JUD": 2, "COP": 2, "PTY": 3, "LEG": 4}


def source_folder() -> Path:
    """Return the folder of actors-sources: ``$EVENTCODER_SOURCE_DATA/actors-sources`` or ../shared/data's."""
    base = os.environ.get(SOURCE_ENV)
    if base:
        return Path(base) / SOURCE_FOLDER
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "data" / SOURCE_FOLDER


@dataclass(frozen=True)
class SectorRules:
    """Position label -> sector, first matching rule wins (data/actors/positions.yaml)."""

    rules: tuple[tuple[re.Pattern[str], str], ...]

    def sector(self, label: str) -> str:
        for pattern, sector in self.rules:
            if pattern.search(label):
                return sector
        return "GOV"


def read_sector_rules() -> SectorRules:
    """Return the position rules of data/actors/positions.yaml, validated."""
    data = _yaml("positions.yaml") or {}
    rules = []
    for number, item in enumerate(data.get("rules") or [], 1):
        where = f"data/actors/positions.yaml rule {number}"
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str) \
                or item.get("sector") not in SECTOR_RANK:
            raise DataError(f"{where}: needs a pattern and a sector among {sorted(SECTOR_RANK)}")
        try:
            rules.append((re.compile(item["pattern"], re.IGNORECASE), str(item["sector"])))
        except re.error as exc:
            raise DataError(f"{where}: bad pattern ({exc})") from exc
    return SectorRules(tuple(rules))


def _day(text: str, end: bool) -> date | None:
    if not text:
        return None
    try:
        if len(text) == 4:
            return date(int(text) + 1, 1, 1) if end else date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def clean_name(name: str) -> str | None:
    """Return a usable name: no "(politician)", no "Surname, Given", Latin script, two words or more."""
    name = _HONORIFIC.sub("", _PAREN.sub("", name).strip())  # "Mr Lawrence WONG", "Dr.Seyyed Ebrahim Raisi"
    if not name or "," in name or not _LATIN.match(name) or len(name.split()) < 2:
        return None
    return name


def name_forms(name: str, country: str | None) -> list[str]:
    """Return the short forms news use of a longer Iberian-style name ("Andres Manuel Lopez Obrador")."""
    parts = name.split()
    if country not in IBERIAN or len(parts) < 3:
        return []
    surname = parts[-2]
    if surname.lower() in {"de", "da", "do", "dos", "das", "del", "la", "y", "e"}:
        return []
    return [f"{parts[0]} {surname}", " ".join(parts[:-1])]


@dataclass
class _Person:
    name: str
    names: list[str]
    roles: list[Role]
    country: str | None


def read_officeholders(folder: Path | None = None) -> list[Entry]:
    """Return one entry per person of officeholders.tsv and us_congress.tsv (kind ``official``)."""
    folder = source_folder() if folder is None else folder
    for name in FILES:
        if not (folder / name).is_file():
            raise DataError(f"{folder / name} is missing: the actor KB is built from {folder} "
                            f"(set {SOURCE_ENV}=/path/to/shared/data)")
    rules = read_sector_rules()
    people: dict[str, _Person] = {}
    for row in _rows(folder / "officeholders.tsv"):
        country = row["country"] or ("IGO" if row["source_repo"] == "world" else None)
        if country is None:
            continue
        role = Role(country, rules.sector(row["position"]), _day(row["start"], False), _day(row["end"], True),
                    office=sys.intern(row["position"][:80]) or None)
        _add(people, row["wikidata_id"], row["name"], row["aliases"].split("|") if row["aliases"] else [], role)
    for row in _rows(folder / "us_congress.tsv"):
        label = "United States senator" if row["chamber"] == "sen" else "United States representative"
        role = Role("USA", "LEG", _day(row["start"], False), _day(row["end"], True), office=label)
        _add(people, row["bioguide_or_wikidata"], row["name"], row["aliases"].split("|") if row["aliases"] else [],
             role)
    return [_entry(pid, person) for pid, person in people.items() if person.names]


def _add(people: dict[str, _Person], pid: str, name: str, aliases: Iterable[str], role: Role) -> None:
    person = people.get(pid)
    if person is None:
        person = people[pid] = _Person(name, [], [], role.country)
    person.roles.append(role)
    for alias in (name, *aliases):
        cleaned = clean_name(alias)
        if cleaned is not None:
            person.names.append(cleaned)
            person.names.extend(name_forms(cleaned, role.country))
            if "Đ" in cleaned or "đ" in cleaned:  # "Đinđić" is written "Djindjic" in English news
                person.names.append(cleaned.replace("Đ", "Dj").replace("đ", "dj"))


def _entry(pid: str, person: _Person) -> Entry:
    names = list(dict.fromkeys(person.names))
    roles = sorted(set(person.roles), key=lambda r: (SECTOR_RANK.get(r.sector or "", 9), r.start or date.min))
    main = clean_name(person.name) or names[0]
    aliases = tuple(n for n in names if n != main)
    return Entry(f"official:{pid}", main, "official", tuple(roles), aliases, person=True)
