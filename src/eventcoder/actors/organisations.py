"""Organisations by class (data/actors/organisations.yaml) and the parties of actors-sources.

The classes give the sector: legislatures LEG, intelligence services SPY, armed services, fleets and
units MIL, police COP, armed groups REB (with the country they operate in). Parties come from Party
Facts (``parties.tsv``, read at set-up like the officeholders, never committed): a party name or
acronym that one country's party bears gives that country; one that several countries' parties bear
("PSD", "PP", "Social Democratic Party") says PTY only, and the country must come from the text
("Romania's PSD").
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventcoder.actors.officeholders import source_folder
from eventcoder.actors.sources import Entry, Role, _aliases, _code, _name, _sector, _yaml
from eventcoder.errors import DataError

PARTIES = "parties.tsv"
RECENT = 2000  # parties that ended before this year are left out
MIN_ACRONYM = 3  # a two-letter acronym ("FW") names one party only when several countries share it: PTY
# Words any party's name may hold: a name of these words only ("Nation Party", "Conservatives") names none.
_GENERIC_WORDS = (
    "party parties movement front union alliance congress league bloc coalition national nation people peoples "
    "people's democratic democrats social socialist socialists liberal liberals conservative conservatives "
    "republican republicans progressive progressives new united popular labour labor workers workers' green greens "
    "citizens civic christian opposition candidates candidate independent independents for of the and list forum "
    "federal freedom reform unity development democracy action renewal center centre left right communist "
    "communists radical revolutionary patriotic solidarity justice change hope future together forward "
    "alternative democratic-republican ecologist ecologists pirate pirates farmers agrarian")
GENERIC = frozenset(_GENERIC_WORDS.split())


def read_organisations() -> Iterator[Entry]:
    """Yield the organisations of organisations.yaml (kind ``group``), their sector from their class."""
    data = _yaml("organisations.yaml") or {}
    if not isinstance(data, dict):
        raise DataError("data/actors/organisations.yaml: give classes (legislatures: {sector: LEG, entries: [...]})")
    for cls, body in data.items():
        where = f"data/actors/organisations.yaml {cls}"
        if not isinstance(body, dict) or not isinstance(body.get("entries"), list):
            raise DataError(f"{where}: give a sector and a list of entries")
        default = _sector(body.get("sector"), where)
        for number, item in enumerate(body["entries"], 1):
            here = f"{where} entry {number}"
            name = _name(item, here)
            sector = _sector(item.get("sector", default), here)
            role = Role(_code(item.get("country"), here), sector)
            yield Entry(f"org:{cls}:{name}", name, "group", (role,), _aliases(item, here))


def _recent(row: dict[str, Any]) -> bool:
    last = row.get("year_last") or ""
    return not last[:4].isdigit() or int(last[:4]) >= RECENT


def _distinctive(name: str) -> bool:
    """Return whether a party name can name one party: an acronym of 3+ letters, or a name with a proper word."""
    if "(" in name or len(name.replace(".", "")) < 2:
        return False
    if name.replace(".", "").replace("-", "").isupper() and " " not in name:
        return True  # an acronym (two letters only when several countries' parties share it: see read_parties)
    return any(word.strip("!?,.'\"").casefold() not in GENERIC for word in name.split())


def read_parties(folder: Path | None = None) -> list[Entry]:
    """Return one entry per party name (kind ``party``): its country when only one country's party has it."""
    path = (source_folder() if folder is None else folder) / PARTIES
    if not path.is_file():
        raise DataError(f"{path} is missing: the actor KB is built from {path.parent} "
                        "(set EVENTCODER_SOURCE_DATA=/path/to/shared/data)")
    countries: dict[str, set[str]] = defaultdict(set)
    spelled: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not _recent(row) or len(row["country"]) != 3:
                continue
            for name in (row["name_short"], row["name_english"], row["name_native"]):
                name = (name or "").strip().replace("\u2019", "'")
                if not _distinctive(name):
                    continue
                fold = name.casefold() if not name.isupper() else name
                countries[fold].add(row["country"])
                spelled.setdefault(fold, name)
    entries = []
    for fold, where in countries.items():
        if len(fold.replace(".", "")) < MIN_ACRONYM and len(where) == 1:
            continue  # "FW": two letters name one country's party too rarely; "PP" (several) still says PTY
        country = next(iter(where)) if len(where) == 1 else None
        name = spelled[fold]
        entries.append(Entry(f"party:{country or 'any'}:{name}", name, "party", (Role(country, "PTY"),)))
    return entries
