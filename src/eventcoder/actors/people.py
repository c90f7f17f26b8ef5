"""Evidence for person names: a surname alone names a known person only when something says whom.

A one-word surname ("Hewitt", "Erdogan") names a knowledge-base person when a title stands before it
("President Erdogan"), when the document named that person in full before ("Recep Tayyip Erdogan ...
Erdogan said"), or, with no earlier full name, when the person holds a leading office on the story's
date. A full name of someone else the document gave before ("Lleyton Hewitt ... Hewitt said") makes
the surname theirs: it then names no known person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from eventcoder.actors.index import ActorIndex
from eventcoder.actors.matching import Match, cached, role_at
from eventcoder.actors.names import NAME_PARTICLES, key, skeleton_word
from eventcoder.actors.sources import Role

# Offices whose holder a surname alone names in the news: heads of state and government, and the foreign
# minister who speaks for the state abroad ("Lavrov said").
PROMINENT_OFFICES = frozenset({"president", "prime_minister", "monarch", "supreme_leader", "foreign_minister"})
# The same offices as position labels of the officeholder sources (heads of state and government, foreign minister).
PROMINENT_LABEL = re.compile(
    r"^(president|president of the (republic|nation)|prime minister|chancellor|federal chancellor|premier|king|queen"
    r"|emir|sultan|supreme leader|minister of foreign affairs|foreign minister|secretary of state)$", re.IGNORECASE)
# Agent sectors that are no title of office: "actor Brando" says nothing of a minister Brandao.
NO_TITLE = frozenset({None, "CVL", "ELI"})

# Skeleton of each word of the full names a mention gives -> the known person named; None: a person the KB lacks.
Named = dict[str, int | None]


class PersonEvidence:
    """Decide which surnames alone name a known person (see the module docstring)."""

    def __init__(self, index: ActorIndex) -> None:
        self.index = index
        self._titles = tuple(f"{phrase} " for phrase, office in index.offices.items() if office in PROMINENT_OFFICES)
        self._prominent: dict[tuple[int, date | None], bool] = {}

    def weigh(self, lower: list[str], matches: list[Match], when: date | None,
              earlier: Sequence[Named] = ()) -> list[Match]:
        """Keep each surname alone that an earlier full name or a leading office explains; drop the others.

        Args:
            lower: the mention's lower-case words.
            matches: what :class:`~eventcoder.actors.matching.Matcher` found in them.
            when: the story's date (``None``: today, the offices still held).
            earlier: the names the document gave before the mention, oldest first (see :meth:`named`).

        Returns:
            The matches, a surname alone marked ``bare`` (and made the earlier-named person) or dropped.
            Example: "Hewitt" after "Lleyton Hewitt" is dropped; "Erdogan" in 2020 is kept.
        """
        kept = []
        for match in matches:
            surname = self.bare_surname(match, lower, matches, when)
            if surname is None:
                kept.append(match)
                continue
            said = [names[surname] for names in earlier if surname in names]
            if said and said[-1] is not None:
                kept.append(replace(match, entry=said[-1], bare=True))
            elif not said and self.prominent(match.entry or 0, when):
                kept.append(replace(match, bare=True))
        return kept

    def bare_surname(self, match: Match, lower: list[str], matches: list[Match], when: date | None) -> str | None:
        """Return the skeleton of a known person's surname given alone (no first name, no title), else None."""
        if match.entry is None or not self.index.entries[match.entry].person:
            return None
        name = [w for w in lower[match.start:match.end] if w not in NAME_PARTICLES]
        if len(name) != 1:
            return None
        surname = skeleton_word(name[0])
        if match.method != "surname" and surname not in self.index.last_names.get(match.entry, ()):
            return None  # a one-word alias that is no surname
        before = next((m for m in matches if m.end == match.start), None)
        if before is not None and self._titles_person(before, match.entry, when):
            return None
        return surname

    def _titles_person(self, title: Match, entry_id: int, when: date | None) -> bool:
        """Return whether a word before a surname is the person's title ("President", "General" of a soldier)."""
        if title.office is not None:
            return True
        sector = role_at(self.index.entries[entry_id], when).sector
        return title.method == "agent" and title.sector not in NO_TITLE and title.sector == sector

    def prominent(self, entry_id: int, when: date | None) -> bool:
        """Return whether a person holds a leading office on ``when`` (``None``: still holds it).

        A curated leader holds one of PROMINENT_OFFICES; a converted name is titled so in an alias
        ("Prime Minister Ariel Sharon") and has a government role then.
        """
        return cached(self._prominent, (entry_id, when), lambda: self._holds_leading_office(entry_id, when))

    def _holds_leading_office(self, entry_id: int, when: date | None) -> bool:
        """Compute :meth:`prominent` (uncached)."""
        entry = self.index.entries[entry_id]
        if entry.kind == "leader":
            return any(r.office in PROMINENT_OFFICES and _holds(r, when) for r in entry.roles)
        if entry.kind == "official":  # a spell of the sources, by its position label ("Prime Minister")
            return any(PROMINENT_LABEL.match(r.office or "") is not None and _holds(r, when) for r in entry.roles)
        titled = any(key(alias).startswith(self._titles) for alias in (entry.name, *entry.aliases))
        return titled and any(r.sector == "GOV" and _holds(r, when) for r in entry.roles)

    def named(self, tokens: list[str], lower: list[str], matches: list[Match]) -> Named:
        """Return the words of the full names in a weighed mention, each with the person it names.

        A capitalised word no key knows, or a first name the lexicon reads as a word ("Hunter"), belongs
        to a person the KB lacks: "Lleyton Hewitt" gives ``{"lleyton": None, "hevitt": None}``.
        """
        found: Named = {}
        covered: set[int] = set()
        for match in matches:
            if match.method == "agent" and match.sector is None and match.end - match.start == 1:
                continue  # "Hunter Biden": a capitalised word of no sector may be a first name
            covered.update(range(match.start, match.end))
            if match.entry is not None and self.index.entries[match.entry].person and not match.bare:
                for word in lower[match.start:match.end]:
                    if word not in NAME_PARTICLES:
                        found[skeleton_word(word)] = match.entry
        for j, token in enumerate(tokens):
            if (j not in covered and token[:1].isupper() and lower[j] not in self.index.stop_words
                    and lower[j] not in NAME_PARTICLES):
                found.setdefault(skeleton_word(lower[j]), None)
        return found


def _holds(role: Role, when: date | None) -> bool:
    return role.active(when) if when is not None else role.end is None
