"""Dates stage: resolve each event's date from its sentence against the publication date.

Choices, in order, for one event:

1. The date expression in the event's sentence nearest to the trigger: an absolute date
   (2020-09-27, September 27, 2020, 27 September), a weekday ("on Sunday" is the publication day
   when that is a Sunday, otherwise the latest Sunday before; "last Sunday" is strictly before;
   "next Sunday" after), a month ("In July" is the latest July up to the publication month, month
   precision), a year ("since 1994", year precision), a relative phrase (yesterday, last week,
   three days ago) or a time of day ("early in the morning": the day in context, that is the last
   day the story named before this sentence, else the publication day). German and Russian
   weekday and month words (Sonntag, voskresenye) count too, for bad translations.
2. Without an expression, a sentence about now (past tense or present perfect, no date the
   rules cannot read) gets the day in context with day precision and ``date_text`` None. Present
   and future tense sentences, and documents without a publication date, get no date.
3. ``modality`` becomes "historical" when an asserted event's date lies well before the story:
   more than 7 days for day or week precision, an earlier month, an earlier year.

Relative expressions need the publication date; without one only absolute dates resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from eventcoder.errors import DataError
from eventcoder.model import DatePrecision, Event

if TYPE_CHECKING:
    from spacy.tokens import Token

    from eventcoder.nlp import ParsedDoc

WORDS_FILE = "words.yaml"
HISTORICAL_DAYS = 7
UNITS = ("day", "week", "month", "year")
_PAST_TAGS = frozenset({"VBD"})
_HAVE = frozenset({"has", "have", "had", "'s", "'ve"})


@dataclass(frozen=True)
class DateWords:
    """The date vocabulary of data/dates/words.yaml."""

    weekdays: dict[str, int]
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    relative: dict[str, tuple[str, int]]
    times_of_day: tuple[str, ...]
    numbers: dict[str, int]


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in a text: where, what, and which rule read it."""

    start: int
    end: int
    text: str
    kind: str
    groups: tuple[str | None, ...]


def _words_map(table: Any, name: str, top: int) -> dict[str, int]:
    if not isinstance(table, dict):
        raise DataError(f"{WORDS_FILE}: {name!r} must map a number to a list of words")
    out: dict[str, int] = {}
    for number, words in table.items():
        if not isinstance(number, int) or not 1 <= number <= top or not isinstance(words, list):
            raise DataError(f"{WORDS_FILE}: {name!r} entry {number!r}: needs a number 1-{top} and a list of words")
        for word in words:
            out[str(word).lower()] = number
    return out


@lru_cache(maxsize=1)
def load_words() -> DateWords:
    """Read and validate data/dates/words.yaml."""
    text = resources.files("eventcoder.data").joinpath("dates", WORDS_FILE).read_text("utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise DataError(f"{WORDS_FILE}: needs a mapping at the top")
    relative: dict[str, tuple[str, int]] = {}
    for phrase, spec in (raw.get("relative") or {}).items():
        if not isinstance(spec, dict) or spec.get("unit") not in UNITS or not isinstance(spec.get("offset"), int):
            raise DataError(f"{WORDS_FILE}: relative {phrase!r}: needs unit ({', '.join(UNITS)}) and an int offset")
        relative[str(phrase).lower()] = (spec["unit"], spec["offset"])
    numbers = raw.get("numbers") or {}
    if not all(isinstance(v, int) for v in numbers.values()):
        raise DataError(f"{WORDS_FILE}: numbers must map words to integers")
    return DateWords(
        weekdays=_words_map(raw.get("weekdays"), "weekdays", 7),
        months=_words_map(raw.get("months"), "months", 12),
        ambiguous_months=frozenset(str(w).lower() for w in raw.get("ambiguous_months") or []),
        relative=relative,
        times_of_day=tuple(str(t).lower() for t in raw.get("times_of_day") or []),
        numbers={str(k).lower(): v for k, v in numbers.items()},
    )


def _alternation(words: object) -> str:
    ordered = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w) for w in ordered)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compile the expression patterns from the vocabulary, most specific first."""
    w = load_words()
    month, weekday = _alternation(w.months), _alternation(w.weekdays)
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    year = r"(1[89]\d\d|20\d\d)"
    number = rf"(\d+|{_alternation(w.numbers)})"
    cue = r"in|on|since|during|by|until|till|from|early|late|mid|mid-|last|this|next|before|after|of"
    flags = re.IGNORECASE
    rules = [
        ("iso", rf"\b{year}-(\d\d)-(\d\d)\b"),
        ("month_day", rf"\b(?:(on|since|by|until|from|before|after)\s+)?({month})\s+{day}\b(?:,?\s+{year}\b)?"),
        ("day_month", rf"\b(?:(on|since|by|until|from|before|after)\s+)?{day}\s+(?:of\s+)?({month})(?:,?\s+{year}\b)?"),
        ("month_year", rf"\b(?:({cue})\s+)?({month})\s+{year}\b"),
        ("ago", rf"\b{number}\s+(day|week|month|year)s?\s+ago\b"),
        ("relative", rf"\b({_alternation(w.relative)})\b"),
        ("time_of_day", rf"\b({_alternation(w.times_of_day)})\b"),
        ("weekday", rf"\b(?:(on|last|this|next|since|by|until|early|late)\s+)?({weekday})(?![\w'])"),
        ("month", rf"\b(?:({cue})\s+)?({month})(?![\w'])"),
        ("year", rf"\b(in|since|during|until|till|from|before|after|early|late|mid|the year)\s+{year}\b"),
    ]
    return tuple((kind, re.compile(pattern, flags)) for kind, pattern in rules)


_NEEDS_DIGIT = frozenset({"iso", "month_day", "day_month", "month_year", "year"})  # their patterns need a \d
_DIGIT = re.compile(r"\d")
_AGO = re.compile("ago", re.IGNORECASE)


def find_expressions(text: str) -> list[DateMatch]:
    """Return the date expressions in ``text``, longest first where they overlap, in text order."""
    return list(_find_expressions(text))


@lru_cache(maxsize=1024)  # an event's sentence is read again after its piece's sentences (~400 a piece)
def _find_expressions(text: str) -> tuple[DateMatch, ...]:
    words = load_words()
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    digit, ago = _DIGIT.search(text) is not None, _AGO.search(text) is not None
    for kind, pattern in _patterns():
        if (not digit and kind in _NEEDS_DIGIT) or (not ago and kind == "ago"):
            continue  # a pattern that cannot match here: skipping it changes nothing
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind == "month" and not _month_word_ok(m, words):
                continue
            found.append(DateMatch(m.start(), m.end(), m.group(0), kind, m.groups()))
            taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda d: d.start))


def _month_word_ok(m: re.Match[str], words: DateWords) -> bool:
    """Say whether a bare month word is a month: ambiguous ones (May, Mar.) need a capital and a cue."""
    word = m.group(2)
    if word.lower() not in words.ambiguous_months:
        return True
    return word[:1].isupper() and m.group(1) is not None


def resolve_expression(text: str, published: date | None,
                       context_day: date | None = None) -> tuple[date, DatePrecision] | None:
    """Resolve the first date expression in ``text`` against the publication date.

    Args:
        text: an expression or a sentence ("on Sunday", "In July there was heavy fighting").
        published: the publication date; ``None`` resolves absolute dates only.
        context_day: the day the story is about, for "early in the morning" (default: published).

    Returns:
        ``(date, precision)`` or ``None``: ``resolve_expression("on Sunday", date(2020, 9, 27))``
        is ``(date(2020, 9, 27), "day")``; with ``"In July"`` it is ``(date(2020, 7, 1), "month")``.
    """
    for match in find_expressions(text):
        resolved = resolve_match(match, published, context_day)
        if resolved is not None:
            return resolved
    return None


def resolve_match(match: DateMatch, published: date | None,
                  context_day: date | None = None) -> tuple[date, DatePrecision] | None:
    """Resolve one found expression (see ``resolve_expression``)."""
    words = load_words()
    g = match.groups
    try:
        if match.kind == "iso":
            return date(int(g[0] or 0), int(g[1] or 0), int(g[2] or 0)), "day"
        if match.kind in ("month_day", "day_month"):
            month_word, day_text = (g[1], g[2]) if match.kind == "month_day" else (g[2], g[1])
            month, day_number = words.months[(month_word or "").lower()], int(day_text or 0)
            if g[3]:
                return date(int(g[3]), month, day_number), "day"
            if published is None:
                return None
            value = date(published.year, month, day_number)
            if value > published + timedelta(days=1):
                value = date(published.year - 1, month, day_number)
            return value, "day"
        if match.kind == "month_year":
            return date(int(g[2] or 0), words.months[(g[1] or "").lower()], 1), "month"
        if match.kind == "year":
            return date(int(g[1] or 0), 1, 1), "year"
    except (ValueError, KeyError):
        return None
    if published is None:
        return None
    if match.kind == "month":
        return _month(words.months[(g[1] or "").lower()], (g[0] or "").lower(), published), "month"
    if match.kind == "weekday":
        return _weekday(words.weekdays[(g[1] or "").lower()], (g[0] or "").lower(), published), "day"
    if match.kind == "relative":
        unit, offset = words.relative[(g[0] or "").lower()]
        return _shift(published, unit, offset)
    if match.kind == "ago":
        amount = g[0] or ""
        count = int(amount) if amount.isdigit() else words.numbers[amount.lower()]
        return _shift(published, (g[1] or "day").lower(), -count)
    if match.kind == "time_of_day":
        return (context_day or published), "day"
    return None


def _weekday(target: int, cue: str, published: date) -> date:
    """Return the weekday's date: the publication day or the latest before; after it for "next"."""
    if cue == "next":
        return published + timedelta(days=(target - published.isoweekday()) % 7 or 7)
    back = (published.isoweekday() - target) % 7
    if cue == "last" and back == 0:
        back = 7
    return published - timedelta(days=back)


def _month(target: int, cue: str, published: date) -> date:
    """Return the first day of the latest such month up to the publication month (next one for "next")."""
    if cue == "next":
        return date(published.year + (1 if target <= published.month else 0), target, 1)
    if cue == "last" and target == published.month:
        return date(published.year - 1, target, 1)
    return date(published.year - (1 if target > published.month else 0), target, 1)


def _shift(published: date, unit: str, offset: int) -> tuple[date, DatePrecision]:
    """Move the publication date by ``offset`` units; the precision is the unit."""
    if unit == "day":
        return published + timedelta(days=offset), "day"
    if unit == "week":
        return published + timedelta(weeks=offset), "week"
    if unit == "month":
        months = published.year * 12 + published.month - 1 + offset
        return date(months // 12, months % 12 + 1, 1), "month"
    return date(published.year + offset, 1, 1), "year"


def is_historical(value: date, precision: str | None, published: date) -> bool:
    """Say whether a date lies well before the story published on ``published``."""
    if precision in ("day", "week"):
        return (published - value).days > HISTORICAL_DAYS
    if precision == "month":
        return (value.year, value.month) < (published.year, published.month)
    return value.year < published.year


class DateResolver:
    """Fill ``date``, ``date_precision`` and ``date_text`` of events; mark historical ones."""

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return the events with their dates resolved (see the module docstring for the rules)."""
        if not events:
            return events
        published = parsed.document.published
        days = self._days_named(parsed, published)
        return [self._date_event(parsed, event, published, days) for event in events]

    def _days_named(self, parsed: ParsedDoc, published: date | None) -> list[tuple[int, date]]:
        """Return (sentence start, day) for sentences that name a day, in text order."""
        named: list[tuple[int, date]] = []
        for sent in parsed.doc.sents:
            for match in find_expressions(sent.text):
                if match.kind == "time_of_day":
                    continue
                resolved = resolve_match(match, published)
                if resolved is not None and resolved[1] == "day":
                    named.append((sent.start_char, resolved[0]))
                    break
        return named

    def _date_event(self, parsed: ParsedDoc, event: Event, published: date | None,
                    days: list[tuple[int, date]]) -> Event:
        evidence = event.evidence
        context_day = next((d for start, d in reversed(days) if start < evidence.start), None)
        trigger = (evidence.trigger_start if evidence.trigger_start is not None else evidence.start) - evidence.start
        matches = find_expressions(evidence.sentence)
        matches.sort(key=lambda m: min(abs(m.start - trigger), abs(m.end - trigger)))
        for match in matches:
            resolved = resolve_match(match, published, context_day)
            if resolved is not None:
                value, precision = resolved
                modality = event.modality
                if published is not None and modality == "asserted" and is_historical(value, precision, published):
                    modality = "historical"
                return replace(event, date=value, date_precision=precision, date_text=match.text, modality=modality)
        if published is not None and not matches and _about_now(parsed, event):
            return replace(event, date=context_day or published, date_precision="day", date_text=None)
        return event


def _about_now(parsed: ParsedDoc, event: Event) -> bool:
    """Say whether the event's clause is past news (past tense or present perfect) without a date entity."""
    from eventcoder.nlp import entities_in  # spaCy loads only when a parse is there

    evidence = event.evidence
    span = parsed.doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    if span is not None and any(ent.label_ == "DATE" for ent in entities_in(span)):
        return False
    where = evidence.trigger_start if evidence.trigger_start is not None else evidence.start
    token_span = parsed.doc.char_span(where, where + 1, alignment_mode="expand")
    if token_span is None:
        return False
    verb = _governing_verb(token_span[0])
    if verb is None:
        return False
    if any(child.dep_ == "aux" and child.lower_ in ("will", "would", "shall", "could", "might", "may")
           for child in verb.children):
        return False
    if verb.tag_ in _PAST_TAGS:
        return True
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    return any(a.tag_ in _PAST_TAGS or a.lower_ in _HAVE for a in auxes)


def _governing_verb(token: Token) -> Token | None:
    """Return the verb whose tense tells the event's time (the token itself when it is one)."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None
