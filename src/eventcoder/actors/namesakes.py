"""Places inside people's names: "Michael Jordan" is no Jordanian, "Victoria Beckham" no Canadian.

A one-word place next to an unknown capitalised word reads as part of a person's name when a first
name makes it so: a known first name before it at the end of the name ("Michael Jordan"), or the place
word itself a known first name before an unknown surname ("Victoria Beckham", "Israel Folau"). First
names are those at least FIRST_NAME_PEOPLE people of the knowledge base bear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from eventcoder.actors.names import key, words

if TYPE_CHECKING:
    from eventcoder.actors.index import ActorIndex
    from eventcoder.actors.matching import Match
    from eventcoder.actors.sources import Entry

FIRST_NAME_PEOPLE = 2
PLACES = frozenset({"country", "capital", "city", "region"})


def first_name_words(entries: Iterable[Entry]) -> frozenset[str]:
    """Return the lower-case first words of people's names that at least FIRST_NAME_PEOPLE people bear."""
    counts = Counter(key(words(e.name)[0]) for e in entries if e.person and len(words(e.name)) > 1)
    return frozenset(word for word, count in counts.items() if count >= FIRST_NAME_PEOPLE)


def drop_places_in_names(index: ActorIndex, tokens: list[str], lower: list[str], matches: list[Match]) -> list[Match]:
    """Return the matches without the one-word places that are part of a person's name (see module doc)."""
    if not index.first_words:
        return matches
    covered: dict[int, Match] = {j: m for m in matches for j in range(m.start, m.end)}
    kept = []
    for match in matches:
        one_place = match.end - match.start == 1 and _is_place(index, match, lower[match.start])
        if one_place and _in_a_name(index, tokens, lower, covered, match):
            continue
        kept.append(match)
    return kept


def _is_place(index: ActorIndex, match: Match, word: str) -> bool:
    """A place, or a people of one state named by a word that is also a first name ("Karen", "Shona")."""
    return match.entry is not None and (not match.people or word in index.peoples) \
        and index.entries.kind(match.entry) in PLACES


def _unknown(index: ActorIndex, tokens: list[str], lower: list[str], covered: dict[int, Match], j: int) -> bool:
    """Return whether word ``j`` is a capitalised word no key names, or a one-word person (a possible namesake)."""
    if j < 0 or j >= len(tokens) or not tokens[j][:1].isupper() or lower[j] in index.stop_words:
        return False
    other = covered.get(j)
    if other is None:
        return True
    return other.end - other.start == 1 and other.entry is not None and index.entries[other.entry].person


def _capitalised(tokens: list[str], j: int) -> bool:
    return 0 <= j < len(tokens) and tokens[j][:1].isupper()


def _in_a_name(index: ActorIndex, tokens: list[str], lower: list[str], covered: dict[int, Match],
               match: Match) -> bool:
    before, after = match.start - 1, match.end
    if (_unknown(index, tokens, lower, covered, before) and lower[before] in index.first_words
            and not _capitalised(tokens, after)):
        return True  # "Michael Jordan"
    titled = before in covered and covered[before].method in ("office", "agent")  # "President Santiago Pena"
    return (lower[match.start] in index.first_words and (titled or not _capitalised(tokens, before))
            and _unknown(index, tokens, lower, covered, after) and not _capitalised(tokens, after + 1))
