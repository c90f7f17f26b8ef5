"""Resolve an actor mention to country and sector: names, agents, offices and dates combined.

:mod:`eventcoder.actors.matching` finds the known spans of the mention. The head of the phrase
(the words before its first preposition) decides; what follows ("... for the Armenian Defense
Ministry", "rebels in Darfur") fills what the head lacks. Office words with a country give the
office-holder on the date ("the president of Armenia"). A surname alone is kept only on the evidence
:mod:`eventcoder.actors.people` asks for (a title, an earlier full name, a leading office).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from eventcoder.actors.bodies import body_of, named_country
from eventcoder.actors.index import ActorIndex
from eventcoder.actors.matching import PREPOSITIONS, Match, Matcher, cached, inside, role_at
from eventcoder.actors.names import key, words
from eventcoder.actors.patterns import LABELS, entity_patterns
from eventcoder.actors.people import Named, PersonEvidence
from eventcoder.actors.readings import (
    faiths_forces,
    is_place,
    only_a_town,
    past_quantity,
    separatist,
    state_medium,
)
from eventcoder.actors.sources import Entries, Entry, source_of
from eventcoder.model import ActorRef

FORMER = frozenset({"former", "ex", "ousted", "deposed", "exiled", "toppled"})
LEADER = frozenset({"leader", "leaders"})  # "Palestinian leader Yasser Arafat": a country's leader governs
INTERNATIONAL = frozenset({"IGO", "NGO"})
GOVERNMENTS = frozenset({"administration", "government", "cabinet", "regime"})  # "Bush administration": GOV


@dataclass(frozen=True)
class KBEntry:
    """The knowledge-base entry a resolution used, as shown by ``eventcoder actor``."""

    kb_id: str
    name: str
    kind: str
    roles: list[str]
    aliases: list[str]


@dataclass(frozen=True)
class Resolution:
    """A resolution and why: the actor, its KB entry, and the keys that matched."""

    when: str | None
    actor: ActorRef | None
    entry: KBEntry | None
    matched: list[str] = field(default_factory=list)
    country_from: str | None = None
    sector_from: str | None = None
    news_agency: bool = False
    source: str | None = None  # where the entry was read from
    spell: str | None = None  # the entry's role on the date, e.g. "HUN GOV Minister of Foreign Affairs 2014-09-23.."


@dataclass(frozen=True)
class _Analysis:
    """What resolving one mention found; ``explain`` turns it into a :class:`Resolution`."""

    actor: ActorRef | None
    matches: tuple[Match, ...]
    giver: Match | None
    sector_match: Match | None
    chosen: Entry | None
    news_agency: bool
    surname_alone: bool = False  # a person's surname alone was read: the document may say whom it names


class ActorKB:
    """The actor knowledge base; ``resolve`` is the ActorResolver of the pipeline."""

    def __init__(self, index: ActorIndex) -> None:
        self.index = index
        self._cache: dict[tuple[str, date | None], _Analysis] = {}
        self._in_document: dict[tuple[str, date | None, tuple[Match, ...]], ActorRef | None] = {}
        self._named: dict[tuple[str, date | None], Named] = {}
        self.matcher = Matcher(index)
        self.evidence = PersonEvidence(index)

    def resolve(self, text: str, when: date | None = None) -> ActorRef | None:
        """Return the actor a mention names as of ``when``, or ``None`` when nothing matches.

        Args:
            text: the mention, e.g. "the spokeswoman for the Armenian Defense Ministry".
            when: the date roles are valid on (usually the publication date); ``None``: the latest.

        Returns:
            ActorRef with ``text`` the mention, e.g. ``ActorRef(text=..., name="Armenia",
            country="ARM", sector="MIL")``.
        """
        return self._analyse(text, when).actor

    def resolve_in_document(self, text: str, when: date | None, earlier: Sequence[str]) -> ActorRef | None:
        """Return the actor a mention names after the ``earlier`` person names of its document.

        A surname alone names the person the document named in full before, and nobody known when that
        was someone else; with no such name it follows :meth:`resolve`.

        Args:
            text: the mention, e.g. "Erdogan".
            when: the date roles are valid on (usually the publication date); ``None``: the latest.
            earlier: the document's person mentions so far, oldest first, e.g. ``["Recep Tayyip Erdogan"]``.

        Returns:
            ActorRef as :meth:`resolve` gives; "Hewitt" after "Lleyton Hewitt" gives ``None``.
        """
        analysis = self._analyse(text, when)
        if not analysis.surname_alone or not earlier:
            return analysis.actor
        lower, matches = self.matcher.match(text, when)
        named = [self._names_in(name, when) for name in earlier]
        weighed = tuple(self.evidence.weigh(lower, matches, when, named))
        return cached(self._in_document, (text, when, weighed),
                      lambda: self._compose(text, lower, list(weighed), when).actor)

    def _names_in(self, name: str, when: date | None) -> Named:
        """Return the words of the full names in ``name`` with whom they name, cached."""
        def compute() -> Named:
            lower, matches = self.matcher.match(name, when)
            return self.evidence.named(words(name), lower, self.evidence.weigh(lower, matches, when))

        return cached(self._named, (name, when), compute)

    def explain(self, text: str, when: date | None = None) -> Resolution:
        """Return the resolution of ``text`` with the entry used and the keys that matched."""
        return self._explain(when, self._analyse(text, when))

    def _analyse(self, text: str, when: date | None) -> _Analysis:
        return cached(self._cache, (text, when), lambda: self._resolve(text, when))

    def is_news_agency(self, text: str) -> bool:
        """Return whether ``text`` names a news agency (AFP, Reuters, TASS …), a source and not an actor."""
        return self._analyse(text, None).news_agency

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """Return spaCy entity-ruler patterns for the curated names (leaders PERSON, groups ORG, places GPE)."""
        return entity_patterns(self.index.entries.of_kinds(frozenset(LABELS)))

    def entry(self, kb_id: str) -> Entry | None:
        """Return the entry with this id, if any."""
        return next((e for e in self.index.entries if e.kb_id == kb_id), None)

    def holder(self, polity: str, office: str, when: date | None) -> Entry | None:
        """Return who held ``office`` of ``polity`` (ISO-3 or region name) on ``when`` (latest if ``None``)."""
        spans = self.index.holders.get((polity, office), ())
        if when is None:
            latest = max(spans, key=lambda s: s[0] or date.min, default=None)
            return self.index.entries[latest[2]] if latest else None
        for start, end, i in spans:
            if (start is None or start <= when) and (end is None or when < end):
                return self.index.entries[i]
        return None
    def _resolve(self, text: str, when: date | None) -> _Analysis:
        lower, matches = self.matcher.match(text, when)
        surname_alone = any(self.evidence.bare_surname(m, lower, matches, when) for m in matches)
        analysis = self._compose(text, lower, self.evidence.weigh(lower, matches, when), when)
        return replace(analysis, surname_alone=surname_alone)

    # -- composing ----------------------------------------------------------------------------

    def _compose(self, text: str, lower: list[str], matches: list[Match], when: date | None) -> _Analysis:
        entries = self.index.entries
        first = past_quantity(lower)  # "Thousands of people in Hong Kong": the people are the head
        head_end = next((j for j, w in enumerate(lower) if j >= first and w in PREPOSITIONS and not inside(j, matches)),
                        len(lower))
        head_end = min([head_end, *(m.end for m in matches if m.end < head_end and self.matcher.ends_head(m, lower))])
        head = [m for m in matches if m.start < head_end]
        tail = [m for m in matches if m.start >= head_end]
        giver = _country_giver(head, entries, when) or _country_giver(tail, entries, when)
        if giver is not None and giver.people:  # "Albanians of southern Serbia": the people of the place named
            giver = _country_giver(tail, entries, when) or giver
        sector_match = _sector_giver(head, entries, when) or _sector_giver(tail, entries, when)
        giver = _trust_stated_country(giver, matches, entries, when)
        chosen: Entry | None = entries[giver.entry] if giver and giver.entry is not None else None
        chosen = self._as_country(chosen, when)
        country = role_at(chosen, when).country if chosen else None
        if country == "INT" and chosen is not None:  # no ISO code: "Egyptian Islamic Jihad" acts in Egypt
            country = named_country(self.matcher, chosen.name, when) or country
        if chosen is not None and chosen.person:  # "French President Jacques Chirac", not Andorra's co-prince
            country = _stated_country(chosen, matches, entries, when) or country
        sector = _match_sector(sector_match, entries, when) if sector_match else None
        name = chosen.name if chosen else None
        if giver and chosen and _personal(chosen):
            title = self._title(giver, head, lower)
            if title and not (title == "GOV" and sector == "PRE"):  # a de facto state's president stays PRE
                sector = title
            employer = _international_employer(giver, head, entries, when)
            if employer is not None:  # "NATO chief Jens Stoltenberg" acts for NATO, not as a Norwegian official
                national = role_at(chosen, when).country not in INTERNATIONAL
                country, sector = employer, (title if national or sector == "ELI" else sector)
        if giver and chosen and _personal(chosen) and lower[giver.end - 1] in GOVERNMENTS:
            sector = "GOV"  # a leader's government named as one alias ("Bush administration"), not the person
        if sector == "MIL" and sector_match and sector_match.entry is None and giver and giver.entry is not None \
                and role_at(entries[giver.entry], when).sector == "REB":
            sector = "REB"  # "Taliban commanders", "Houthi fighters": the rank of a rebel group
        if sector == "MIL" and chosen is None and country is None and faiths_forces(head, sector_match):
            sector = "REB"  # "Moslem forces", "Christian troops": a faith's forces are no state's military
        office = next((m for m in head if m.office), None)
        if office and office.office and chosen and chosen.polity:
            holder = self.holder(chosen.polity, office.office, when)
            if holder is not None:
                chosen, name = holder, holder.name
                sector = role_at(holder, when).sector
            else:
                sector = "GOV"  # an office we do not list the holders of ("King ... of Morocco")
        elif office and chosen and _personal(chosen) and sector in (None, "ELI"):
            sector = "GOV"  # "President Bill Clinton": the text gives the office, whatever the KB's dates say
        if giver and chosen and giver.entry is not None and entries[giver.entry].kind == "region" and sector == "GOV":
            sector = "PRE"  # the authorities of a de facto state (PLOVER)
        if country is None:  # "Association of African Jurists", "Third World Water Forum"
            country = body_of(self.index, head, lower)
        if sector in INTERNATIONAL:  # "an aid group": an NGO is an actor class, not a sector
            country = country or sector
            sector = None
        if country and any(m.method == "agent" and m.text.lower() in LEADER for m in head):
            if _people_only(giver) and sector in (None, "CVL"):
                sector = "ELI"  # "Yoruba leaders": a people's leaders are elites, they do not govern
            elif sector in (None, "ELI") and not _people_only(giver):
                sector = "GOV"
        if sector == "GOV" and any(w in FORMER for w in lower[:head_end]):
            sector = "ELI"
        if sector is None and country and only_a_town(self.index, giver, lower, matches, when):
            sector = "CVL"  # "Cizre", "the town of Jericho": a town that is no seat of government is its people
        if sector == "MED" and state_medium(lower, sector_match, chosen, when):
            sector = "GOV"  # "Iranian state television", "official Syrian newspaper": PLOVER codes them GOV
        if sector is None and separatist(chosen, lower, head_end):
            sector = "REB"  # "Movement for the Independence of Kabylie": separatists
        if country is None and sector is None and chosen is None:
            actor = None
        else:
            actor = ActorRef(text=text, name=name, country=country, sector=sector,
                             kb_id=chosen.kb_id if chosen else None)
        news = bool(giver and giver.entry is not None and entries[giver.entry].kind == "agency")
        return _Analysis(actor, tuple(matches), giver, sector_match, chosen, news)

    def _explain(self, when: date | None, analysis: _Analysis) -> Resolution:
        chosen, giver, sector_match = analysis.chosen, analysis.giver, analysis.sector_match
        return Resolution(
            when=when.isoformat() if when else None,
            actor=analysis.actor,
            entry=_entry_view(chosen) if chosen else None,
            matched=[self._describe(m) for m in analysis.matches],
            country_from=self._describe(giver) if giver else None,
            sector_from=self._describe(sector_match) if sector_match else None,
            news_agency=analysis.news_agency,
            source=source_of(chosen) if chosen else None,
            spell=role_at(chosen, when).describe() if chosen else None,
        )

    def _as_country(self, entry: Entry | None, when: date | None) -> Entry | None:
        """Read a converted entry that is only a country name ("the US") as that country's own entry."""
        if entry is None or entry.kind != "phoenix" or entry.person:
            return entry
        role = role_at(entry, when)
        polity = self.index.polity_entries.get(role.country or "")
        if role.sector is None and polity is not None and self.index.entries[polity].kind == "country":
            return self.index.entries[polity]
        return entry

    def _title(self, person: Match, head: list[Match], lower: list[str]) -> str | None:
        """Return the sector a title before a person gives ("General Michel Aoun": MIL), newer than the KB's."""
        offices, agents = self.index.offices, self.index.agents
        own = set(key(self.index.entries[person.entry or 0].name).split())  # "Roch Marc Christian Kabore"
        for j in range(person.start, person.end - 1):  # a title inside a converted alias ("President Bush")
            for size in (3, 2, 1):
                phrase = " ".join(lower[j:j + size])
                titled = phrase in offices or agents.get(phrase)
                if j + size < person.end and titled and not own & set(phrase.split()):
                    return "GOV" if phrase in offices else agents[phrase]
        before = [m for m in head if m.end <= person.start and (m.office or m.method == "agent")]
        if before and before[-1].end == person.start:
            return before[-1].sector
        return None

    def _describe(self, match: Match) -> str:
        what = f"{match.text!r} {match.method}"
        if match.entry is not None:
            entry = self.index.entries[match.entry]
            what += f" -> {entry.name} ({entry.kind} {entry.kb_id})"
        if match.office:
            what += f" -> office {match.office}"
        elif match.method == "agent":
            what += f" -> sector {match.sector or 'none'}"
        if match.score < 100:
            what += f" score {match.score:.0f}"
        if match.affiliation:
            what += " (pro-/anti-: affiliation only)"
        if match.bare:
            what += " (surname alone)"
        return what


def _country_giver(matches: list[Match], entries: Entries, when: date | None) -> Match | None:
    """Pick the match that gives the country: the last organisation or person, else the first place."""
    named = [m for m in matches if m.entry is not None and not m.affiliation
             and role_at(entries[m.entry], when).country is not None]
    actors = [m for m in named if not is_place(entries[m.entry], when)]  # type: ignore[index]
    if actors:
        return actors[-1]
    return named[0] if named else None


def _stated_country(person: Entry, matches: list[Match], entries: Entries, when: date | None) -> str | None:
    """Return the country the mention states among a person's several countries of office, if any."""
    countries = {r.country for r in person.roles}
    if len(countries) < 2:
        return None
    for match in matches:
        if match.entry is not None and not match.affiliation and is_place(entries[match.entry], when):
            stated = role_at(entries[match.entry], when).country
            if stated in countries:
                return stated
    return None


def _international_employer(person: Match, head: list[Match], entries: Entries, when: date | None) -> str | None:
    """Return IGO/NGO for a person titled by an international body ("NATO Secretary-General Jens Stoltenberg")."""
    before = [m for m in head if m.end <= person.start]
    if not before or any(m.method == "agent" and m.text.lower().startswith("ambassador") for m in before):
        return None  # "UN ambassador Nikki Haley" speaks for her country
    first = before[0]
    if first.entry is None or first.affiliation or entries[first.entry].kind != "igo":
        return None
    country = role_at(entries[first.entry], when).country
    return country if country in INTERNATIONAL else None


def _personal(entry: Entry) -> bool:
    """Return whether an entry is a person, counting converted names with dated roles ("Suharto")."""
    return entry.person or (entry.kind == "phoenix" and any(r.start or r.end for r in entry.roles))


def _people_only(giver: Match | None) -> bool:
    """Return whether the country comes from a people ("Yoruba leaders"), whose leaders need not govern."""
    return giver is not None and giver.people


def _trust_stated_country(giver: Match | None, matches: list[Match], entries: Entries,
                          when: date | None) -> Match | None:
    """Prefer a stated country over a person found by a partial name from elsewhere ("King Hassan of Morocco")."""
    if giver is None or giver.entry is None:
        return giver
    entry = entries[giver.entry]
    if is_place(entry, when) or not (entry.person or entry.kind == "phoenix") or (
            giver.method == "exact" and giver.end - giver.start > 1):
        return giver  # a full name or a curated organisation: trust it ("US envoy Zalmay Khalilzad")
    country = role_at(entry, when).country
    for match in matches:
        if match.entry is None or match.affiliation or not is_place(entries[match.entry], when):
            continue
        if role_at(entries[match.entry], when).country not in (None, country):
            return match
    return giver


def _sector_giver(matches: list[Match], entries: Entries, when: date | None) -> Match | None:
    """Pick the match that gives the sector: the right-most word or name that has one."""
    for match in reversed(matches):
        if match.people:
            return match  # "Palestinians", "ethnic Albanians": a people, civilians
        if match.affiliation:
            continue
        if match.entry is None and match.sector is not None:
            return match
        if match.entry is None:
            continue
        entry = entries[match.entry]
        if role_at(entry, when).sector is not None:
            if entry.kind in ("capital", "seat") and len(matches) > 1 and match is not matches[0]:
                continue  # "... in Baku": a place here, not the government
            return match
        if is_place(entry, when):
            return None  # the head noun is a people ("Karabakh Armenians"): modifiers give no sector
    return None


def _match_sector(match: Match, entries: Entries, when: date | None) -> str | None:
    if match.people:
        return "CVL"
    if match.entry is None:
        return match.sector
    return role_at(entries[match.entry], when).sector


def _entry_view(entry: Entry) -> KBEntry:
    return KBEntry(entry.kb_id, entry.name, entry.kind, [r.describe() for r in entry.roles], list(entry.aliases[:12]))
