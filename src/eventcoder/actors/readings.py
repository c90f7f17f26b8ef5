"""Readings of mentions the knowledge base names no actor in, after PLOVER's conventions.

- a leading quantity is no head: "Thousands of people in Hong Kong" are people (CVL);
- a town named alone stands for its people (CVL), where a capital stands for its government (GOV);
- forces named by a faith and no state are an armed group ("Moslem forces": REB);
- a movement for the independence or sovereignty of a region that is no state is separatist (REB);
- the state's or an official medium with no outlet named speaks for the government ("official Syrian
  newspaper", "Iranian state television": GOV), as PLOVER's agent words code state-run media (GOVJRN).
"""

from __future__ import annotations

from datetime import date

from eventcoder.actors.index import ActorIndex
from eventcoder.actors.matching import Match, role_at
from eventcoder.actors.names import NUMBER_WORDS, key
from eventcoder.actors.sources import PLACE_KINDS, Entry

TOWN_KINDS = frozenset({"city", "phoenix"})  # a capital or a country named like a town keeps its own reading
# words a mention that names only a town may hold besides place names ("the town of Cizre", "central Tikrit")
TOWN_WORDS = frozenset({"the", "town", "city", "village", "port", "of", "in", "central", "downtown", "northern",
                        "southern", "eastern", "western", "north", "south", "east", "west", "northeastern",
                        "northwestern", "southeastern", "southwestern", "residential", "suburbs", "outskirts"})
# the nouns a movement is named by, and the aims that make one for a region separatist
MOVEMENTS = frozenset({"movement", "front", "organisation", "organization", "council", "alliance", "coalition"})
SEPARATIST_AIMS = frozenset({"independence", "sovereign", "sovereignty", "secession", "liberation", "emancipation",
                             "self-determination", "determination"})

# words that make a medium the state's ("state-run", "state-owned" are read word by word)
STATE_OWNERS = frozenset({"state", "official", "government", "regime"})
# the media that are outlets, not people ("state journalists" are reporters, whoever employs them)
OUTLETS = frozenset({"media", "newspaper", "newspapers", "paper", "daily", "television", "tv", "radio", "agency",
                     "broadcaster", "press", "channel", "network", "station", "website", "gazette", "outlet"})


def is_place(entry: Entry, when: date | None) -> bool:
    """Return whether an entry names a place: a country, city or region, or a Phoenix name without a sector."""
    if entry.kind in PLACE_KINDS:
        return True
    return entry.kind == "phoenix" and not entry.person and role_at(entry, when).sector is None


def past_quantity(lower: list[str]) -> int:
    """Return the index of the first word after leading quantities ("hundreds of thousands of", "dozens of")."""
    i = 0
    while i < len(lower) and (lower[i] in NUMBER_WORDS or lower[i].isdigit()):
        i += 1
        if i < len(lower) and lower[i] == "of":
            i += 1
    return i if i < len(lower) else 0


def only_a_town(index: ActorIndex, giver: Match | None, lower: list[str], matches: list[Match],
                when: date | None) -> bool:
    """Return whether the mention names a town and nothing else: no agent, office, person or organisation.

    A country, capital, seat of government or region keeps its own reading (Baku: the government).
    """
    entries = index.entries
    if giver is None or giver.entry is None or key(giver.text) not in index.towns:
        return False
    if entries.kind(giver.entry) not in TOWN_KINDS or giver.affiliation:
        return False
    if any(m.entry is None or not is_place(entries[m.entry], when) for m in matches):
        return False
    covered = {j for m in matches for j in range(m.start, m.end)}
    return all(w in TOWN_WORDS for j, w in enumerate(lower) if j not in covered)


def faiths_forces(head: list[Match], sector_match: Match | None) -> bool:
    """Return whether a faith's word stands before the forces that give the sector ("Moslem forces")."""
    return sector_match is not None and any(
        m.method == "agent" and m.sector == "REL" and m.end <= sector_match.start for m in head)


def separatist(chosen: Entry | None, lower: list[str], head_end: int) -> bool:
    """Return whether a movement is named for the independence of a region that is no state.

    "Movement for the Independence of Kabylie", "Front for the Liberation of the Enclave of Cabinda"; a
    movement for a country's liberation is not ("Popular Movement for the Liberation of Angola").
    """
    if chosen is None or chosen.kind != "city" or not any(w in MOVEMENTS for w in lower[:head_end]):
        return False
    return any(w in SEPARATIST_AIMS for w in lower[head_end:])


def state_medium(lower: list[str], sector_match: Match | None, chosen: Entry | None, when: date | None) -> bool:
    """Return whether a news medium (MED) with no outlet named is the state's ("official Syrian newspaper").

    A named outlet keeps its own sector: "the official IRNA news agency" is a news agency (MED).
    """
    if sector_match is None or sector_match.entry is not None or sector_match.sector != "MED" \
            or lower[sector_match.end - 1] not in OUTLETS:
        return False
    if chosen is not None and not is_place(chosen, when):
        return False
    return any(w in STATE_OWNERS for w in lower[:sector_match.start])
