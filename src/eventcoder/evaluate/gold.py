"""Read and check gold files in the formats of eval/FORMAT.md (events, geo, actors)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from eventcoder.errors import EvalError

Kind = Literal["events", "geo", "actors"]
KINDS: tuple[Kind, ...] = ("events", "geo", "actors")

T = TypeVar("T")


@dataclass(frozen=True)
class GoldEvent:
    """One gold event: its label, the PLOVER types counted right, the actors' countries and its place.

    ``location``: the place name the event happened at, ``""`` when the gold says "no place", ``None``
    when the gold gives no ``location`` (not scored).
    """

    label: str
    accept: frozenset[str]
    actor_countries: tuple[str, ...]
    recipient_countries: tuple[str, ...]
    location: str | None = None


@dataclass(frozen=True)
class GoldEventRecord:
    """A gold sentence or article with its events."""

    id: str
    text: str
    published: date | None
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class GoldToponym:
    """A gold toponym span; ``lat``/``lon`` are ``None`` when the gold gives no coordinates."""

    start: int
    end: int
    phrase: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = None

    @property
    def located(self) -> bool:
        """Say whether the gold gives coordinates (only those are scored)."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class GoldGeoRecord:
    """A gold article with its toponyms; ``n_invalid`` counts spans outside the text or not matching it."""

    id: str
    text: str
    published: date | None
    toponyms: tuple[GoldToponym, ...]
    n_invalid: int = 0


@dataclass(frozen=True)
class GoldActor:
    """A gold actor mention.

    ``country``: ``None`` when the line gives none (not scored), ``""`` when the gold says "no country".
    ``sector``: ``None`` when the line gives none or an empty one (not scored).
    """

    id: str
    text: str
    when: date | None
    country: str | None
    sector: str | None


GoldRecord = GoldEventRecord | GoldGeoRecord | GoldActor


def gold_kind(path: str | Path) -> Kind:
    """Tell the kind of a gold file from its name (``*.events.jsonl``, ``*.geo.jsonl``, ``*.actors.jsonl``)."""
    name = Path(path).name
    for kind in KINDS:
        if name.endswith(f".{kind}.jsonl"):
            return kind
    raise EvalError(f"{path}: cannot tell the kind of gold file from its name; "
                    "name it *.events.jsonl, *.geo.jsonl or *.actors.jsonl (see eval/FORMAT.md)")


def read_gold(path: str | Path) -> tuple[Kind, list[GoldRecord]]:
    """Read a gold file, checking every line; a malformed line is an EvalError naming file and line.

    Example:
        >>> kind, records = read_gold("tests/data/eval/tiny.events.jsonl")  # doctest: +SKIP
    """
    kind = gold_kind(path)
    parse: Callable[[dict[str, Any], _Where], GoldRecord] = _PARSERS[kind]
    records = [parse(raw, where) for raw, where in _lines(Path(path))]
    if not records:
        raise EvalError(f"{path}: no gold records; the file is empty")
    return kind, records


@dataclass(frozen=True)
class _Where:
    path: Path
    line: int

    def error(self, problem: str) -> EvalError:
        return EvalError(f"{self.path} line {self.line}: {problem} (see eval/FORMAT.md)")


def _lines(path: Path) -> Iterator[tuple[dict[str, Any], _Where]]:
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise EvalError(f"{path}: no such gold file") from None
    except UnicodeDecodeError as exc:
        raise EvalError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise EvalError(f"{path}: cannot be read ({exc.strerror})") from None
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines: U+2028 may stand in a JSON string
        if not line.strip():
            continue
        where = _Where(path, number)
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise where.error(f"not JSON ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise where.error("a gold line must be a JSON object")
        yield raw, where


def _optional(raw: dict[str, Any], key: str, kind: type[T], where: _Where) -> T | None:
    """Return ``raw[key]`` checked to be of ``kind``; ``None`` when absent or null."""
    value = raw.get(key)
    if value is None:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise where.error(f"'{key}' must be {kind.__name__}, not {type(value).__name__}")
    return value


def _required(raw: dict[str, Any], key: str, kind: type[T], where: _Where) -> T:
    """Return ``raw[key]`` checked to be of ``kind``; absent or null is an error."""
    value = _optional(raw, key, kind, where)
    if value is None:
        raise where.error(f"'{key}' is missing")
    return value


def _published(raw: dict[str, Any], where: _Where) -> date | None:
    value = _optional(raw, "date", str, where)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise where.error(f"'date' {value!r} is not YYYY-MM-DD") from None


def _record_id(raw: dict[str, Any], where: _Where) -> str:
    value = raw.get("id")
    return str(value) if value is not None else f"line {where.line}"


def _countries(raw: dict[str, Any], key: str, where: _Where) -> tuple[str, ...]:
    """Return the non-empty country codes of the actor list ``raw[key]`` (absent: none)."""
    actors = _optional(raw, key, list, where) or []
    codes: list[str] = []
    for actor in actors:
        if not isinstance(actor, dict):
            raise where.error(f"each of '{key}' must be an object with 'text', 'country', 'sector'")
        code = _optional(actor, "country", str, where)
        if code and code.strip():
            codes.append(code.strip().upper())
    return tuple(codes)


def _event(raw: Any, where: _Where) -> GoldEvent:
    if not isinstance(raw, dict):
        raise where.error("each of 'events' must be an object")
    label = _required(raw, "type", str, where)
    accept = _optional(raw, "accept", list, where)
    if accept is None:
        accept = [label]  # a file without 'accept' counts its own label right
    if not accept or not all(isinstance(t, str) and t.strip() for t in accept):
        raise where.error("'accept' must be a non-empty list of event type names")
    return GoldEvent(label.strip().upper(), frozenset(t.strip().upper() for t in accept),
                     _countries(raw, "actors", where), _countries(raw, "recipients", where),
                     _location(raw, where))


def _location(raw: dict[str, Any], where: _Where) -> str | None:
    """Return the gold place name of an event: ``{"location": {"text": "Beirut", ...}}``; ``""`` for no place."""
    place = _optional(raw, "location", dict, where)
    if place is None:
        return None
    text = _optional(place, "text", str, where)
    return (text or "").strip()


def _events_record(raw: dict[str, Any], where: _Where) -> GoldEventRecord:
    text = _required(raw, "text", str, where)
    events = _required(raw, "events", list, where)
    return GoldEventRecord(_record_id(raw, where), text, _published(raw, where),
                           tuple(_event(e, where) for e in events))


def _toponym(raw: Any, where: _Where) -> GoldToponym:
    if not isinstance(raw, dict):
        raise where.error("each of 'toponyms' must be an object with 'start', 'end', 'lat', 'lon'")
    start = _required(raw, "start", int, where)
    end = _required(raw, "end", int, where)
    lat = _optional(raw, "lat", float, where)
    lon = _optional(raw, "lon", float, where)
    if (lat is None) != (lon is None):
        raise where.error(f"toponym {start}-{end} has only one of 'lat' and 'lon'")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise where.error(f"toponym {start}-{end} has coordinates out of range ({lat}, {lon})")
    return GoldToponym(start, end, _optional(raw, "phrase", str, where), lat, lon,
                       _optional(raw, "geonameid", int, where))


def _fits(toponym: GoldToponym, text: str) -> bool:
    """Say whether a gold span lies inside the text and, when a phrase is given, spells it."""
    inside = 0 <= toponym.start < toponym.end <= len(text)
    return inside and (toponym.phrase is None or text[toponym.start:toponym.end] == toponym.phrase)


def _geo_record(raw: dict[str, Any], where: _Where) -> GoldGeoRecord:
    text = _required(raw, "text", str, where)
    toponyms = _required(raw, "toponyms", list, where)
    parsed = [_toponym(t, where) for t in toponyms]
    # Spans that do not fit the text cannot be scored by overlap; they are counted apart, not guessed.
    valid = tuple(t for t in parsed if _fits(t, text))
    return GoldGeoRecord(_record_id(raw, where), text, _published(raw, where), valid, len(parsed) - len(valid))


def _actor(raw: dict[str, Any], where: _Where) -> GoldActor:
    text = _required(raw, "text", str, where)
    country = _optional(raw, "country", str, where)
    sector = _optional(raw, "sector", str, where)
    return GoldActor(_record_id(raw, where), text, _published(raw, where),
                     country.strip().upper() if country is not None else None,
                     sector.strip().upper() if sector and sector.strip() else None)


_PARSERS: dict[Kind, Callable[[dict[str, Any], _Where], GoldRecord]] = {
    "events": _events_record,
    "geo": _geo_record,
    "actors": _actor,
}
