"""The compiled actor index: every name key mapped to its entries, saved as one pickle.

``python -m eventcoder.actors compile`` writes it to data/compiled/actors.pickle; loading it takes
a fraction of a second. Its ``version`` is a hash of the data files, so a stale index is rebuilt.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from eventcoder.actors.names import HONORIFICS, NUMBER_WORDS, key, phonetic, singular, skeleton, skeleton_word, words
from eventcoder.actors.namesakes import first_name_words
from eventcoder.actors.regions import town_keys
from eventcoder.actors.sources import (
    DATA_FILES,
    DATA_PACKAGE,
    PRIORITY,
    Entry,
    Lexicon,
    Role,
    read_entries,
    read_lexicon,
    read_places,
    read_text,
)
from eventcoder.errors import ModelError

FORMAT = 16  # bump when the index layout or the key functions change
COMPILED_NAME = "actors.pickle"
COMMON_GIVEN_NAME = 10  # people in the KB with this first name make it too common to name one alone

Holder = tuple[date | None, date | None, int]
RoleRow = tuple[str | None, str | None, int | None, int | None, str | None, str | None]
EntryRow = tuple[str, str, str, tuple[RoleRow, ...], tuple[str, ...], bool, str | None]


class EntryTable:
    """The entries kept packed (one pickled tuple each: the table unpickles fast), made records on access."""

    def __init__(self, entries: list[Entry]) -> None:
        self.kinds: list[str] = [sys.intern(e.kind) for e in entries]
        self.packed: list[bytes] = [pickle.dumps(_row(e), protocol=pickle.HIGHEST_PROTOCOL) for e in entries]
        self._made: dict[int, Entry] = {}

    def __getstate__(self) -> tuple[list[str], list[bytes]]:
        return self.kinds, self.packed

    def __setstate__(self, state: tuple[list[str], list[bytes]]) -> None:
        self.kinds, self.packed = state
        self._made = {}

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, i: int) -> Entry:
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = _entry(pickle.loads(self.packed[i]))
        return made

    def __iter__(self) -> Iterator[Entry]:
        return (self[i] for i in range(len(self.packed)))

    def kind(self, i: int) -> str:
        """Return the kind of entry ``i`` without making its record."""
        return self.kinds[i]

    def of_kinds(self, kinds: frozenset[str]) -> list[Entry]:
        """Return the entries of these kinds, making records of those only."""
        return [self[i] for i, kind in enumerate(self.kinds) if kind in kinds]


def _ordinal(day: date | None) -> int | None:
    return day.toordinal() if day else None


def _day(ordinal: int | None) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None


def _row(e: Entry) -> EntryRow:
    roles = tuple((r.country, r.sector, _ordinal(r.start), _ordinal(r.end), r.office, r.polity) for r in e.roles)
    return (e.kb_id, e.name, e.kind, roles, e.aliases, e.person, e.polity)


def _entry(row: EntryRow) -> Entry:
    kb_id, name, kind, roles, aliases, person, polity = row
    made = tuple(Role(c, s, _day(a), _day(b), o, p) for c, s, a, b, o, p in roles)
    return Entry(kb_id, name, kind, made, aliases, person, polity)  # type: ignore[arg-type]


@dataclass
class ActorIndex:
    """Lookup tables over the knowledge-base entries (ids are positions in ``entries``)."""

    version: str
    entries: EntryTable
    exact: dict[str, tuple[int, ...]]  # folded lower-case key
    acronyms: dict[str, tuple[int, ...]]  # upper-case acronym, matched case-sensitively
    skeletons: dict[str, tuple[int, ...]]  # transliteration skeleton of the key
    surnames: dict[str, tuple[int, ...]]  # skeleton of a person's last name
    surname_sounds: dict[str, tuple[int, ...]]  # phonetic key of that skeleton
    first_names: dict[int, tuple[str, ...]]  # person id -> skeletons of their first names
    last_names: dict[int, tuple[str, ...]]  # person id -> skeletons of their surnames
    holders: dict[tuple[str, str], tuple[Holder, ...]]  # (polity, office) -> who held it when
    polity_entries: dict[str, int]  # polity key -> its country or region entry
    agents: dict[str, str | None]
    offices: dict[str, str]
    bodies: dict[str, str]  # agent word -> the IGO/NGO its actor acts for when the mention names no country
    peoples: frozenset[str]  # keys of the peoples of one state (places.yaml peoples): "yoruba", "chechens"
    towns: frozenset[str]  # keys of GeoNames towns ("tel aviv", "cizre"): a town alone is its people
    max_words: int
    stop_words: frozenset[str]
    given_names: frozenset[str]  # skeletons of common first names (see common_given_names)
    first_words: frozenset[str]  # lower-case first names of two people or more (see eventcoder.actors.namesakes)
    spans: dict[str, int]  # first word of a key -> the most words a key starting with it has


def data_version() -> str:
    """Return the hash of the actor data files and the index format."""
    digest = hashlib.sha1(str(FORMAT).encode())
    for name in DATA_FILES:
        digest.update(read_text(name).encode("utf-8"))
    return digest.hexdigest()


def _is_acronym(alias: str) -> bool:
    token = alias.replace(".", "")
    # letters and digits, upper case, at least one letter first: UN, NATO, G7, M23 (matched case-sensitively)
    return (2 <= len(token) <= 6 and token.isalnum() and token[0].isalpha() and token.upper() == token
            and " " not in alias.strip())


def build_index(entries: list[Entry] | None = None, lexicon: Lexicon | None = None) -> ActorIndex:
    """Compile the entries (read from data/ by default) into lookup tables."""
    entries = read_entries() if entries is None else entries
    lexicon = read_lexicon() if lexicon is None else lexicon
    exact: dict[str, list[int]] = defaultdict(list)
    acronyms: dict[str, list[int]] = defaultdict(list)
    skeletons: dict[str, list[int]] = defaultdict(list)
    surnames: dict[str, list[int]] = defaultdict(list)
    sounds: dict[str, list[int]] = defaultdict(list)
    first_names: dict[int, set[str]] = defaultdict(set)
    last_names: dict[int, set[str]] = defaultdict(set)
    holders: dict[tuple[str, str], list[Holder]] = defaultdict(list)
    polity_entries: dict[str, int] = {}
    from spacy.lang.en.stop_words import STOP_WORDS

    lexicon = _without_names(lexicon, entries)
    blocked = set(STOP_WORDS) | NUMBER_WORDS | HONORIFICS | set(lexicon.agents) | set(lexicon.offices)
    order = sorted(range(len(entries)), key=lambda i: PRIORITY[entries[i].kind])
    for i in order:
        entry = entries[i]
        if entry.polity and entry.polity not in polity_entries:
            polity_entries[entry.polity] = i
        for role in entry.roles:
            if role.office and role.polity:
                holders[(role.polity, role.office)].append((role.start, role.end, i))
        for alias in dict.fromkeys((entry.name, *entry.aliases)):
            if _is_acronym(alias):
                token = alias.replace(".", "")
                if entry.kind == "party" and (token in acronyms or token.lower() in exact):
                    continue  # a party acronym never hides a better-known name ("UNITA", "MIT")
                acronyms[token].append(i)
                continue
            text_key = key(alias)
            single = " " not in text_key
            short = len(text_key) < (2 if entry.kind in ("leader", "group") else 3)  # "Xi" is a name
            if not text_key or (single and (text_key in blocked or singular(text_key) in blocked or short)):
                continue
            if entry.kind == "city" and text_key in exact:
                continue
            exact[text_key].append(i)
            skeletons[skeleton(text_key)].append(i)
            if entry.person and not single:
                parts = [w.lower() for w in words(alias)]
                last = skeleton_word(parts[-1])
                if len(last) >= 3:
                    surnames[last].append(i)
                    sounds[phonetic(last)].append(i)
                    first_names[i].add(skeleton_word(parts[0]))
                    last_names[i].add(last)
    _add_surnames(entries, exact, skeletons, blocked)
    _merge_articles(exact)
    max_words = max(len(k.split()) for k in (*exact, *lexicon.agents, *lexicon.offices))
    return ActorIndex(
        version=data_version(),
        entries=EntryTable(entries),
        exact=_freeze(exact),
        acronyms=_freeze(acronyms),
        skeletons=_freeze(skeletons),
        surnames=_freeze(surnames),
        surname_sounds=_freeze(sounds),
        first_names={i: tuple(sorted(names)) for i, names in first_names.items()},
        last_names={i: tuple(sorted(names)) for i, names in last_names.items()},
        holders={k: tuple(v) for k, v in holders.items()},
        polity_entries=polity_entries,
        agents=lexicon.agents,
        offices=lexicon.offices,
        bodies=lexicon.bodies,
        peoples=frozenset(key(n) for names in read_places()["peoples"].values() for n in names),
        towns=town_keys(),
        max_words=min(max_words, 12),
        stop_words=frozenset(STOP_WORDS) | NUMBER_WORDS | HONORIFICS,
        given_names=common_given_names(entries),
        first_words=first_name_words(entries),
        spans=_spans([*exact, *lexicon.agents, *lexicon.offices]),
    )


def _without_names(lexicon: Lexicon, entries: list[Entry]) -> Lexicon:
    """Drop the NGEC words that are one word of a curated name ("Bundestag", "Mossad"): the name says more."""
    if not lexicon.filled:
        return lexicon
    names = {key(alias) for e in entries if e.kind in ("leader", "group", "agency", "igo")
             for alias in (e.name, *e.aliases)}
    agents = {k: v for k, v in lexicon.agents.items() if not (k in lexicon.filled and k in names)}
    return Lexicon(agents, lexicon.offices, lexicon.filled, lexicon.bodies)


def common_given_names(entries: list[Entry]) -> frozenset[str]:
    """Return the skeletons of first names many people share ("Mohamed", "Hassan"): no surname alone."""
    # counted over the curated and converted people: the sources' 100,000 legislators would make "Sharon" one
    counts = Counter(skeleton_word(key(words(e.name)[0])) for e in entries
                     if e.person and e.kind != "official" and len(words(e.name)) > 1)
    return frozenset(name for name, count in counts.items() if count >= COMMON_GIVEN_NAME)


def _add_surnames(entries: list[Entry], exact: dict[str, list[int]], skeletons: dict[str, list[int]],
                  blocked: set[str]) -> None:
    """Let a curated leader's surname alone name them ("Pashinyan") when no other name or place has it."""
    owners: dict[str, list[int]] = defaultdict(list)
    given = common_given_names(entries)
    for i, entry in enumerate(entries):
        if entry.kind == "leader" and len(words(entry.name)) > 1:
            surname = key(words(entry.name)[-1])
            if len(surname) >= 4 and surname not in blocked and skeleton_word(surname) not in given:
                owners[surname].append(i)
    for surname, ids in owners.items():
        countries = {r.country for i in ids for r in entries[i].roles}
        taken = any(entries[i].kind != "phoenix" for i in exact.get(surname, ()))
        if len(countries) == 1 and not taken:
            exact[surname] = [*ids, *exact.get(surname, [])]
            skeletons[skeleton(surname)] = [*ids, *skeletons.get(skeleton(surname), [])]


def _merge_articles(exact: dict[str, list[int]]) -> None:
    """Let "the Islamic State" also find the entries of "Islamic State", ahead of its own (a converted alias)."""
    for text_key in [k for k in exact if k.startswith("the ") and k[4:] in exact]:
        exact[text_key] = [*exact[text_key[4:]], *exact[text_key]]


def _spans(keys: list[str]) -> dict[str, int]:
    spans: dict[str, int] = {}
    for text_key in keys:
        parts = text_key.split()
        if parts:
            spans[parts[0]] = max(spans.get(parts[0], 1), len(parts))
    return spans


def _freeze(table: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


def compiled_path() -> Path:
    """Return where the compiled index lives: data/compiled/actors.pickle inside the package."""
    return Path(str(resources.files(DATA_PACKAGE))) / "compiled" / COMPILED_NAME


def save_index(index: ActorIndex, path: Path | None = None) -> Path:
    """Write the index as a pickle; return its path."""
    path = compiled_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    return path


def load_index(path: Path | None = None) -> ActorIndex | None:
    """Return the compiled index, or ``None`` when it is missing or built from other data."""
    path = compiled_path() if path is None else path
    if not path.exists():
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling a few million small objects: the collector would walk them again and again
    try:
        index = pickle.loads(path.read_bytes())
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ModelError(f"{path} is unreadable ({exc}); run `python -m eventcoder.actors compile`") from exc
    finally:
        if collecting:
            gc.enable()
    if not isinstance(index, ActorIndex) or index.version != data_version():
        return None
    return index
