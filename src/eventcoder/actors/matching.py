"""Find the known spans of an actor mention: names, agent words, offices, and misspelt names.

The longest known keys are matched left to right; runs of capitalised words no key knows are
then tried through transliteration skeletons, surnames and fuzzy scores (Paschinjan -> Pashinyan),
and a surname after an unknown first name is checked against it (Hunter Biden is not Joe Biden).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, TypeVar

from rapidfuzz import fuzz, process

from eventcoder.actors.index import ActorIndex
from eventcoder.actors.misspelt import MisspeltAgents
from eventcoder.actors.names import NAME_PARTICLES, first_names_agree, key, phonetic, singular, skeleton_word, words
from eventcoder.actors.namesakes import drop_places_in_names
from eventcoder.actors.sources import PRIORITY, Entry, Role

PREPOSITIONS = frozenset(
    ["of", "for", "in", "at", "from", "on", "near", "with", "by", "to", "inside", "across", "throughout", "based",
     "living", "operating", "against", "under", "over", "into", "within", "around", "along", "among"]
)
# "pro-Armenian rebels" are not Armenian; "ethnic Albanians" are Albanian by descent, not by state
AFFILIATION = frozenset({"pro", "anti", "ethnic"})
# "Russian-backed separatists", "Israeli-occupied West Bank": the word after the name makes it a patron or occupier
BACKING = frozenset({"backed", "supported", "sponsored", "funded", "allied", "aligned", "affiliated", "linked",
                     "inspired", "installed", "occupied", "controlled", "held", "annexed"})
CURATED = frozenset({"leader", "group"})
SURNAME_SCORE = 85.0
PLACE_SCORE = 88.0
SHORT_PLACE_SCORE = 92.0  # a word under SHORT_WORD letters is one letter from many others ("Jordan", "Gordon")
SHORT_WORD = 8
PLACE_NAMES = frozenset({"country", "capital", "region", "seat"})  # what a misspelt single word may name
BARE_SURNAME_SCORE = 92.0  # a surname alone must be closer: "Both" is not Botha
FUZZY_SCORE = 88.0
OFFICE_RANK = {"GOV": 0, "MIL": 1, "SPY": 1, "JUD": 2, "COP": 2, "PTY": 3, "LEG": 4}  # a namesake tie-break
CLOSE_SURNAMES = 8  # misspelt surnames tried against this many known ones
CACHE_SIZE = 200_000
_K = TypeVar("_K")
_V = TypeVar("_V")

Method = Literal["exact", "acronym", "skeleton", "surname", "fuzzy", "agent", "office"]


@dataclass(frozen=True)
class Match:
    """One span of the mention that the knowledge base knows."""

    start: int
    end: int
    text: str
    method: Method
    entry: int | None = None
    sector: str | None = None
    office: str | None = None
    score: float = 100.0
    affiliation: bool = False  # preceded by pro-/anti-: says whom they side with, not who they are
    people: bool = False  # a plural demonym ("Palestinians"): the people, civilians unless a noun says otherwise
    bare: bool = False  # a person named by their surname alone, kept on evidence (see eventcoder.actors.people)


class Matcher:
    """Match mentions against the index; see the module docstring for the order of attempts."""

    def __init__(self, index: ActorIndex) -> None:
        self.index = index
        self._surname_buckets: dict[str, list[str]] = {}
        for surname in index.surnames:
            self._surname_buckets.setdefault(surname[0], []).append(surname)
        self._closest: dict[str, tuple[str, ...]] = {}
        self._place_keys: list[str] | None = None  # built on first use
        self._demonym_keys: dict[str, list[str]] = {}  # by initial: a misspelt demonym keeps its first letter
        self._places: dict[str, tuple[int, float, str, bool] | None] = {}
        self.misspelt = MisspeltAgents(index.agents, index.exact)

    def match(self, text: str, when: date | None) -> tuple[list[str], list[Match]]:
        """Return the mention's lower-case words and its matches in order."""
        tokens = words(text)
        lower = [t.lower() for t in tokens]
        matches = self._join_names(tokens, lower, self._fuzzy(tokens, lower, self._exact(tokens, lower, when), when),
                                   when)
        matches = drop_places_in_names(self.index, tokens, lower, matches)  # "Michael Jordan", "Victoria Beckham"
        matches = self._misspelt(tokens, lower, matches)
        return lower, [_mark_affiliation(m, lower) for m in matches]

    def _misspelt(self, tokens: list[str], lower: list[str], matches: list[Match]) -> list[Match]:
        """Add the agent words that words no key knows misspell ("UN peackeepers": peacekeepers, MIL)."""
        covered = {j for m in matches for j in range(m.start, m.end)}
        found = []
        for j, word in enumerate(lower):
            named = j > 0 and tokens[j][:1].isupper() and lower[j - 1] in self.index.first_words  # "John Sturgeon"
            near = None if j in covered or named or word in self.index.stop_words else self.misspelt.agent(word)
            if near is not None:
                found.append(Match(j, j + 1, tokens[j], "agent", sector=self.index.agents[near[0]], score=near[1]))
        return sorted([*matches, *found], key=lambda m: m.start) if found else matches

    def _join_names(self, tokens: list[str], lower: list[str], matches: list[Match], when: date | None) -> list[Match]:
        """Read two adjacent one-word people as one name: "Qassem Soleimani" is neither Naim Qassem nor another."""
        joined: list[Match] = []
        for match in matches:
            last = joined[-1] if joined else None
            if last is None or last.end != match.start or not (self._lone_person(last) and self._lone_person(match)):
                joined.append(match)
                continue
            text = " ".join(tokens[last.start:match.end])
            person = self._person([lower[last.start], lower[match.start]], when)
            joined[-1] = (Match(last.start, match.end, text, person[1], entry=person[0], score=person[2]) if person
                          else Match(last.start, match.end, text, "agent", sector=None))
        return joined

    def _lone_person(self, match: Match) -> bool:
        return match.end - match.start == 1 and match.entry is not None and self.index.entries[match.entry].person

    def ends_head(self, match: Match, lower: list[str]) -> bool:
        """Return whether an agent ends in a preposition ("ambassador to"): what follows is not the actor."""
        return match.method == "agent" and lower[match.end - 1] in PREPOSITIONS

    def _exact(self, tokens: list[str], lower: list[str], when: date | None) -> list[Match]:
        index, found, i = self.index, [], 0
        while i < len(tokens):
            match = None
            # no key is longer than the longest one starting with this word
            longest = index.spans.get(lower[i], 1)
            for size in range(min(longest, index.max_words, len(tokens) - i), 0, -1):
                match = self._lookup(tokens, lower, i, size, when)
                if match:
                    break
            if match:
                found.append(match)
                i = match.end
            else:
                i += 1
        return found

    def _lookup(self, tokens: list[str], lower: list[str], i: int, size: int, when: date | None) -> Match | None:
        index, end = self.index, i + size
        text = " ".join(tokens[i:end])
        if size == 1 and tokens[i].isupper() and tokens[i] in index.acronyms:
            return Match(i, end, text, "acronym", entry=self.pick(index.acronyms[tokens[i]], when))
        phrase = " ".join(lower[i:end])
        if size > 1 and phrase in index.exact:
            return Match(i, end, text, "exact", entry=self.pick(index.exact[phrase], when))
        for form in (phrase, singular(phrase)):
            if form in index.offices:
                return Match(i, end, text, "office", office=index.offices[form], sector="GOV")
            if form in index.agents:
                return Match(i, end, text, "agent", sector=index.agents[form])
        if size == 1 and tokens[i][:1].isupper():  # one lower-case word is not a name ("youths")
            for form in (phrase, singular(phrase)):  # "Libyans" -> "Libyan"
                if form in index.exact:
                    entry = self.pick(index.exact[form], when)
                    return Match(i, end, text, "exact", entry=entry, people=self._is_people(phrase, entry, when))
        return None

    def _is_people(self, phrase: str, entry_id: int, when: date | None) -> bool:
        """Return whether one word is a plural demonym of a country ("Libyans"), not its name ("Philippines")."""
        if phrase in self.index.peoples:  # "Yoruba", "Chechens": a people of one state, never its state
            return True
        one = singular(phrase)
        entry = self.index.entries[entry_id]
        if one == phrase or one not in self.index.exact or key(entry.name) == phrase or entry.person:
            return False
        return entry.kind == "country" or (entry.kind == "phoenix" and role_at(entry, when).sector is None)

    def _fuzzy(self, tokens: list[str], lower: list[str], matches: list[Match], when: date | None) -> list[Match]:
        """Match runs of capitalised unknown words by skeleton, surname and fuzzy score."""
        # A capitalised one-word agent next to a name may be a first name ("Hunter Biden"): let the run try it.
        # A title is no first name: "General Aoun", "Judge Rivera" (a sector other than CVL marks a title).
        weak = {m.start for m in matches if m.method == "agent" and m.end - m.start == 1
                and tokens[m.start][:1].isupper() and m.sector in (None, "CVL")}
        covered = {j for m in matches for j in range(m.start, m.end)} - weak
        runs: list[tuple[int, int]] = []
        for j, token in enumerate(tokens):
            name_like = (j not in covered and token[:1].isupper() and lower[j] not in PREPOSITIONS
                         and lower[j] not in self.index.stop_words)
            particle = (lower[j] in NAME_PARTICLES and j + 1 < len(tokens) and tokens[j + 1][:1].isupper()
                        and j + 1 not in covered)
            if particle and runs and runs[-1][1] == j and j - runs[-1][0] < 4:
                runs[-1] = (runs[-1][0], j + 1)  # "Fayez al-Sarraj" is one name, not "Fayez" and "Sarraj"
            elif name_like and runs and runs[-1][1] == j and j - runs[-1][0] < 4:
                runs[-1] = (runs[-1][0], j + 1)
            elif name_like:
                runs.append((j, j + 1))
        extra: list[Match] = []
        for start, end in runs:
            if all(j in weak for j in range(start, end)):
                continue
            extra.extend(self._match_run(tokens, lower, start, end, when))
        extra = [*extra, *self._check_first_names(tokens, lower, matches, covered, when)]
        taken = {j for m in extra for j in range(m.start, m.end)}
        kept = [m for m in matches if not (m.start in weak and m.start in taken)]
        dropped = {id(m) for m in kept if m.method == "exact" and m.end - m.start == 1 and m.start - 1 in taken
                   and self.index.entries[m.entry or 0].person}
        return sorted([m for m in kept if id(m) not in dropped] + extra, key=lambda m: m.start)

    def _check_first_names(self, tokens: list[str], lower: list[str], matches: list[Match], covered: set[int],
                           when: date | None) -> list[Match]:
        """Re-read "Hunter Biden": a bare surname match after an unknown capitalised word is a full name."""
        found = []
        for m in matches:
            j = m.start - 1
            if j > 0 and lower[j] in NAME_PARTICLES:  # "Nasr al-Hariri"
                j -= 1
            if (m.method != "exact" or m.end - m.start != 1 or m.entry is None or j < 0 or j in covered
                    or not self.index.entries[m.entry].person or not tokens[j][:1].isupper()
                    or lower[j] in self.index.stop_words):
                continue
            person = self._person([w for w in lower[j:m.end] if w not in NAME_PARTICLES], when)
            if person is None:  # the first name disagrees: a namesake, keep the first word only
                found.append(Match(j, m.start, " ".join(tokens[j:m.start]), "agent", sector=None))
            else:
                found.append(Match(j, m.end, " ".join(tokens[j:m.end]), person[1], entry=person[0], score=person[2]))
        return found

    def _match_run(self, tokens: list[str], lower: list[str], start: int, end: int, when: date | None,
                   split: bool = False) -> list[Match]:
        """Match one run; ``split``: the run is what is left of a longer name, so no bare surname is read in it."""
        index = self.index
        if start >= end:
            return []
        for size in range(end - start, 0, -1):
            for i in range(start, end - size + 1):
                skel = " ".join(skeleton_word(w) for w in lower[i:i + size])
                ids = index.skeletons.get(skel)
                if ids and size == 1 and end - start > 1 and index.entries[ids[0]].person:
                    continue  # one word of an unknown longer name is a namesake ("Mohammed Mamoun")
                if ids and (size > 1 or len(skel) >= 5):
                    text = " ".join(tokens[i:i + size])
                    found = Match(i, i + size, text, "skeleton", entry=self.pick(ids, when))
                    return [*self._match_run(tokens, lower, start, i, when, True), found,
                            *self._match_run(tokens, lower, i + size, end, when, True)]
        person = self._person([w for w in lower[start:end] if w not in NAME_PARTICLES], when)
        # a lone "surname" before a noun is an adjective ("Catalan separatists")
        modifier = end - start == 1 and (split or (end < len(tokens) and tokens[end][:1].islower()
                                                   and lower[end] not in PREPOSITIONS))
        if person is not None and not modifier:
            entry, method, score = person
            return [Match(start, end, " ".join(tokens[start:end]), method, entry=entry, score=score)]
        if end - start == 1:
            place = self._closest_place(lower[start])
            if place is not None:  # "Ghanians", "Ugandians": a misspelt plural demonym names the people
                entry, score, near, plural = place
                people = plural or self._is_people(near, entry, when)
                return [Match(start, end, tokens[start], "fuzzy", entry=entry, score=score, people=people)]
        return []

    def _closest_place(self, word: str) -> tuple[int, float, str, bool] | None:
        """Return the country, capital or region a misspelt word names ("Ghanians", "Khatmandu"), cached.

        The entry, the score, the key it is close to, and whether the word is the plural of that key.
        """
        if len(word) < 6:
            return None
        if self._place_keys is None:  # places first; then the converted demonyms ("Ghanaian")
            one_word = [(k, ids[0]) for k, ids in self.index.exact.items() if " " not in k]
            self._place_keys = [k for k, i in one_word if self.index.entries.kind(i) in PLACE_NAMES]
            for k, i in one_word:
                if self.converted_place(i):
                    self._demonym_keys.setdefault(k[0], []).append(k)
        if word not in self._places:
            cutoff = PLACE_SCORE if len(word) >= SHORT_WORD else SHORT_PLACE_SCORE
            best, people = None, False
            for keys in (self._place_keys, self._demonym_keys.get(word[0], [])):
                best = best or process.extractOne(word, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
                if best is None and singular(word) != word:  # "Ghanians": the misspelt plural of a demonym
                    best = process.extractOne(singular(word), keys, scorer=fuzz.ratio, score_cutoff=cutoff)
                    people = best is not None
            self._places[word] = (self.index.exact[best[0]][0], float(best[1]), best[0], people) if best else None
        return self._places[word]

    def converted_place(self, entry_id: int) -> bool:
        """Return whether a key's first entry is a converted place or demonym ("Ghanaian": Ghana, no sector)."""
        if self.index.entries.kind(entry_id) != "phoenix":
            return False
        entry = self.index.entries[entry_id]
        return not entry.person and len(entry.roles) == 1 and entry.roles[0].sector is None \
            and entry.roles[0].country is not None

    def _person(self, names: list[str], when: date | None) -> tuple[int, Method, float] | None:
        """Find a known person from a (possibly transliterated) name: surname first, then first name."""
        index = self.index
        if not names:
            return None
        last = skeleton_word(names[-1])
        if len(last) < 4:
            return None
        first = skeleton_word(names[0]) if len(names) > 1 else None
        ids = set(index.surnames.get(last, ())) | set(index.surname_sounds.get(phonetic(last), ()))
        method: Method = "surname"
        if first is None and (len(last) < 5 or last in index.given_names):  # "Kurd" is a word, "Mohammed" many
            return None
        scored = self._score_people(ids, last, first, SURNAME_SCORE if first else BARE_SURNAME_SCORE)
        if not scored and first is not None and len(last) >= 5:
            close = self._closest_surnames(last)
            if close:  # the closest surnames whose bearers have this first name ("Laurent Gbago": Gbagbo)
                method = "fuzzy"
                scored = self._score_people({i for near in close for i in index.surnames[near]}, last, first,
                                            FUZZY_SCORE)
        if not scored:
            return None
        # ties: the curated kinds first, then who holds the higher office on the date ("Sharon": the prime
        # minister, not his son the legislator), then the id, so that the choice never depends on set order
        ranked = sorted(scored, key=lambda s: (-s[1], PRIORITY[index.entries[s[0]].kind],
                                               OFFICE_RANK.get(role_at(index.entries[s[0]], when).sector or "", 9),
                                               s[0]))
        chosen = self.pick(tuple(i for i, _ in ranked), when)
        countries = {role_at(index.entries[i], when).country for i, _ in scored}
        if len(countries) > 1 and first is None and (when is None or not active(index.entries[chosen], when)):
            return None  # a bare surname shared across countries: do not guess
        return chosen, method, dict(scored)[chosen]

    def _closest_surnames(self, last: str) -> tuple[str, ...]:
        """Return the known surnames closest to ``last`` (same initial, ratio >= FUZZY_SCORE, best first), cached."""
        if last not in self._closest:
            best = process.extract(last, self._surname_buckets.get(last[0], []), scorer=fuzz.ratio,
                                   score_cutoff=FUZZY_SCORE, limit=CLOSE_SURNAMES)
            self._closest[last] = tuple(b[0] for b in best)
        return self._closest[last]

    def _score_people(self, ids: set[int], last: str, first: str | None, floor: float) -> list[tuple[int, float]]:
        """Keep the people whose surname scores at least ``floor`` and whose first name agrees."""
        scored = []
        for i in ids:
            score = max((fuzz.ratio(last, surname) for surname in self.index.last_names.get(i, ())), default=0.0)
            if score < floor:
                continue
            if first is not None and not any(first_names_agree(first, known)
                                             for known in self.index.first_names.get(i, ())):
                continue  # "Lleyton Hewitt" is not Patricia Hewitt
            scored.append((i, score))
        return scored

    def pick(self, ids: tuple[int, ...], when: date | None) -> int:
        """Prefer curated entries over converted ones, then the first holding a role on ``when``."""
        curated = tuple(i for i in ids if self.index.entries[i].kind in CURATED)
        ids = curated or ids
        if when is not None:
            for i in ids:
                if active(self.index.entries[i], when):
                    return i
        return ids[0]


def inside(j: int, matches: list[Match]) -> bool:
    """Return whether word ``j`` lies strictly inside a match ("of" in "Minister of Defence")."""
    return any(m.start < j < m.end for m in matches)


def _mark_affiliation(match: Match, lower: list[str]) -> Match:
    """Flag a match preceded by pro-/anti-/ethnic or followed by -backed: it tells an affiliation, not a country."""
    if (match.start > 0 and lower[match.start - 1] in AFFILIATION) or (
            match.end < len(lower) and lower[match.end] in BACKING):
        return replace(match, affiliation=True)
    return match


def cached(cache: dict[_K, _V], cache_key: _K, compute: Callable[[], _V]) -> _V:
    """Return ``cache[cache_key]``, computing and storing it when absent; a full cache (CACHE_SIZE) starts over."""
    try:
        return cache[cache_key]
    except KeyError:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        value = cache[cache_key] = compute()
        return value


def active(entry: Entry, when: date) -> bool:
    """Return whether the entry held any role on ``when``."""
    return any(r.active(when) for r in entry.roles)


_ROLES_AT: dict[tuple[str, Role, date | None], Role] = {}


def role_at(entry: Entry, when: date | None) -> Role:
    """Return the entry's role on ``when``: active, else the last one ended (ELI for people), else the latest."""
    if len(entry.roles) == 1 and not entry.person:
        return entry.roles[0]
    return cached(_ROLES_AT, (entry.kb_id, entry.roles[0], when), lambda: _find_role(entry, when))


def _find_role(entry: Entry, when: date | None) -> Role:
    """Compute :func:`role_at` (uncached)."""
    roles = entry.roles
    if when is not None:
        active = [r for r in roles if r.active(when)]
        if active:
            role = min(active, key=lambda r: (r.country is None, r.sector is None, r.sector == "ELI"))
            if role.country is None:  # Phoenix "- ELI": keep the country of the person's last dated role
                known = [r for r in roles if r.country is not None]
                if known:
                    return Role(max(known, key=lambda r: r.end or date.max).country, role.sector, role.start, role.end)
            return role
        ended = [r for r in roles if r.end is not None and r.end <= when]
        if ended:
            last = max(ended, key=lambda r: r.end or date.min)
            return Role(last.country, "ELI" if entry.person else last.sector, last.start, last.end)
        first = min(roles, key=lambda r: r.start or date.min)
        return Role(first.country, None)
    return max(roles, key=lambda r: (r.country is not None, r.end is None, r.start or date.min,
                                     r.sector not in (None, "ELI")))
