"""The gazetteer: GeoNames places from registry packages and one name index.

Places are stored column-wise (one list per field) so that the compiled index unpickles fast;
``Gazetteer.place(i)`` builds a ``Place`` record on demand. ``eventcoder.places.compiled`` writes
and reads the index (``python -m eventcoder.places compile``); ``eventcoder.places.sources`` builds it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from anyascii import anyascii

Feature = Literal["country", "admin1", "admin2", "city", "region", "continent", "water", "point"]
FEATURES: tuple[str, ...] = ("country", "admin1", "admin2", "city", "region", "continent", "water", "point")

_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_DROPPED = re.compile(r"[.'’`´,()\"]")
_POSSESSIVE = re.compile(r"['’]s$")
_THE = re.compile(r"^the ")
_LEVEL_WORDS = re.compile(r" (?:county|parish|city|municipality)$")
# Spelling variants of one romanised name (Al Qamishli / Qamishli, Khan Yunis / Khan Younis, Kryvyy Rih /
# Kryvyi Rih, Tall Rif'at / Tal Rifaat): Arabic articles, vowel spellings, doubled letters, a final -h.
_ARTICLES = frozenset({"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "er", "es",
                       "et", "ez", "en", "ul"})
# (o as u would join Hodeidah and Hudaydah, but also Choi and Chuy, Juliet and Joliet: not taken)
_VOWEL_SPELLINGS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"), ("ei", "ai"))
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
VARIANT_FEATURES = frozenset({"city", "admin1", "admin2"})
MIN_VARIANT_KEY = 5  # shorter keys join unrelated names (UConn: Ucon, Idaho)


@lru_cache(maxsize=262_144)
def fold_name(text: str) -> str:
    """Return the lookup key of a place name: ASCII, lower case, no dots, single spaces."""
    text = _POSSESSIVE.sub("", text.strip())
    text = anyascii(text).lower()
    text = _DROPPED.sub("", text)
    text = _SEPARATORS.sub(" ", text).strip()
    return _THE.sub("", text)


@lru_cache(maxsize=65_536)
def variant_key(text: str) -> str:
    """Return the loose key of a place name, the same for its common romanisations.

    Folded (``fold_name``); Arabic articles dropped (al-, el-, ad-, as-, ... when other words remain);
    ou/oo as u, ee/y as i, ei as ai; doubled letters single; a final h after a vowel dropped;
    Tell/Tall as Tal. ``variant_key("Khan Younis") == variant_key("Khān Yūnis")``.
    """
    words = fold_name(text).split()
    kept = [w for w in words if w not in _ARTICLES] or words
    out = []
    for word in kept:
        for spelling, plain in _VOWEL_SPELLINGS:
            word = word.replace(spelling, plain)
        word = _FINAL_H.sub("", _DOUBLED.sub(r"\1", word))
        out.append("tal" if word == "tel" else word)
    return " ".join(out)


def is_code(text: str) -> bool:
    """Say whether a name is a code (MT, LA, USA): up to three capital letters, no dots."""
    return 2 <= len(text) <= 3 and text.isalpha() and text.isupper()


def is_latin(text: str) -> bool:
    """Say whether every letter of ``text`` is a Latin letter (other scripts are not indexed)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a GeoNames place or a curated region."""

    index: int
    name: str
    lat: float
    lon: float
    feature: Feature
    country: str | None  # ISO-3
    admin1: str | None  # admin1 name
    population: int
    geonameid: int | None
    capital: bool = False


@dataclass
class GazetteerData:
    """The columns of the compiled index; built by ``eventcoder.places.sources``."""

    names: list[str] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    countries: list[str | None] = field(default_factory=list)
    admin1s: list[str | None] = field(default_factory=list)
    populations: list[int] = field(default_factory=list)
    geonameids: list[int | None] = field(default_factory=list)
    capitals: set[int] = field(default_factory=set)
    index: dict[str, list[int]] = field(default_factory=dict)
    primary: set[tuple[str, int]] = field(default_factory=set)  # (key, place) pairs from a main name
    codes: set[tuple[str, int]] = field(default_factory=set)  # (key, place) pairs from a code alone (MT, LA)
    abbreviations: dict[str, str] = field(default_factory=dict)  # "mt." -> "Mount", "l.a." -> "Los Angeles"
    demonyms: dict[str, int] = field(default_factory=dict)
    country_places: dict[str, int] = field(default_factory=dict)  # ISO-3 -> the country's place
    variants: dict[str, list[int]] = field(default_factory=dict)  # variant_key -> populated places not indexed under it
    _named: set[tuple[str, int]] = field(default_factory=set)  # pairs from written names, while building

    def add(self, name: str, lat: float, lon: float, feature: str, country: str | None, admin1: str | None,
            population: int, geonameid: int | None, aliases: Iterable[str] = (), capital: bool = False) -> int:
        """Add one place with its names; return its index."""
        number = len(self.names)
        self.names.append(name)
        self.lats.append(round(lat, 5))
        self.lons.append(round(lon, 5))
        self.features.append(feature)
        self.countries.append(country)
        self.admin1s.append(admin1)
        self.populations.append(max(0, population))
        self.geonameids.append(geonameid)
        if capital:
            self.capitals.add(number)
        main = fold_name(name)
        if main:
            self.primary.add((main, number))
        self.alias(number, (name, *aliases))
        return number

    def alias(self, number: int, aliases: Iterable[str]) -> None:
        """Index place ``number`` under more names; an all-capital name of up to three letters is a code."""
        for alias in aliases:
            key = fold_name(alias)
            if not key:
                continue
            if is_code(alias):
                self.codes.add((key, number))
            else:
                self._named.add((key, number))
            if not self.index.get(key) or self.index[key][-1] != number:
                self.index.setdefault(key, []).append(number)

    def finish(self) -> None:
        """Order each name's places by population, largest first, without duplicates; keep as codes
        only the pairs that no written name gives too."""
        for key, numbers in self.index.items():
            self.index[key] = sorted(set(numbers), key=lambda n: -self.populations[n])
        self.codes -= self._named
        self._named = set()
        variants: dict[str, set[int]] = {}
        for key, numbers in self.index.items():
            populated = [n for n in numbers if self.features[n] in VARIANT_FEATURES and (key, n) not in self.codes]
            loose = variant_key(key) if populated else ""
            if loose != key and len(loose.replace(" ", "")) >= MIN_VARIANT_KEY:  # a name already loose: the index
                variants.setdefault(loose, set()).update(populated)
        self.variants = {k: sorted(v, key=lambda n: -self.populations[n]) for k, v in variants.items()}


class Gazetteer:
    """Look up places by name; the service the geocoder reads (tests pass a small one)."""

    def __init__(self, data: GazetteerData) -> None:
        self._data = data
        self._places: dict[int, Place] = {}

    @property
    def size(self) -> int:
        return len(self._data.names)

    @property
    def data(self) -> GazetteerData:
        """The columns, read-only by convention (the map labels scan them)."""
        return self._data

    def place(self, number: int) -> Place:
        """Return place ``number`` as a record."""
        found = self._places.get(number)
        if found is None:
            d = self._data
            found = Place(number, d.names[number], d.lats[number], d.lons[number], d.features[number],  # type: ignore[arg-type]
                          d.countries[number], d.admin1s[number], d.populations[number], d.geonameids[number],
                          number in d.capitals)
            self._places[number] = found
        return found

    def candidates(self, text: str, limit: int = 40) -> list[Place]:
        """Return the places named ``text``, largest first (at most ``limit``).

        A code matches only text written as a code: "Mt." and "L.A." are no codes, so they name
        neither Montana (MT) nor Louisiana (LA). A name with a news abbreviation (Boone Co., Mt.
        Juliet, L.A. County) is looked up written out first (Boone County, Mount Juliet)."""
        found: list[int] = []
        if "." in text and self._data.abbreviations:
            words = re.findall(r"\S+", text)
            expanded = " ".join(self._data.abbreviations.get(w.lower(), w) for w in words)
            if expanded != text:
                found = self._lookup(fold_name(expanded), code=False)
        if not found:
            found = self._lookup(fold_name(text), code=is_code(text.strip()))
        return [self.place(n) for n in found[:limit]]

    def _lookup(self, key: str, code: bool) -> list[int]:
        numbers = self._data.index.get(key, [])
        if code:
            return numbers
        return [n for n in numbers if (key, n) not in self._data.codes]

    def variant_candidates(self, text: str, limit: int = 40) -> list[Place]:
        """Return the populated places (cities, admin areas) whose name is a spelling variant of
        ``text`` (``variant_key``), largest first: a fallback for names no place is called exactly.
        A name in capitals (UCLA, a dateline) has none: it may be an acronym."""
        key = variant_key(text)
        if text.isupper() or len(key.replace(" ", "")) < MIN_VARIANT_KEY:
            return []
        d = self._data
        numbers = set(d.variants.get(key, ()))
        numbers.update(n for n in d.index.get(key, ()) if d.features[n] in VARIANT_FEATURES and (key, n) not in d.codes)
        return [self.place(n) for n in sorted(numbers, key=lambda n: (-d.populations[n], n))[:limit]]

    def is_primary(self, text: str, place: Place) -> bool:
        """Say whether ``text`` is the place's main name rather than an alternate one."""
        return (fold_name(text), place.index) in self._data.primary

    def is_main_spelling(self, text: str, place: Place) -> bool:
        """Say whether ``text`` is the place's main name or a spelling variant of it (Kryvyi Rih: Kryvyy Rih)."""
        return self.is_primary(text, place) or variant_key(text) == variant_key(place.name)

    def knows(self, text: str) -> bool:
        """Say whether some place is called ``text``."""
        return bool(self.candidates(text, 1))

    def demonym_country(self, text: str) -> Place | None:
        """Return the country a demonym or adjective names (Armenian -> Armenia), if any."""
        number = self._data.demonyms.get(fold_name(text))
        return None if number is None else self.place(number)

    def other_levels(self, place: Place) -> list[Place]:
        """Return the same place at other levels: the like-named state of a city (New York), the county
        or parish of its like-named seat (Lafayette Parish, Lafayette), in the same country and admin1."""
        base = _LEVEL_WORDS.sub("", fold_name(place.name))
        names = {base, *(f"{base} {word}" for word in ("county", "parish", "city", "municipality"))}
        found: list[Place] = []
        numbers = dict.fromkeys(n for name in sorted(names) for n in self._data.index.get(name, ()))
        for number in numbers:
            other = self.place(number)
            if (other.index != place.index and other.feature != place.feature
                    and other.feature in ("admin1", "admin2", "city") and other.country == place.country
                    and other.admin1 == place.admin1 and _LEVEL_WORDS.sub("", fold_name(other.name)) == base):
                found.append(other)
        return found

    def country(self, iso3: str) -> Place | None:
        """Return the country place with ISO-3 code ``iso3``."""
        number = self._data.country_places.get(iso3)
        return None if number is None else self.place(number)
