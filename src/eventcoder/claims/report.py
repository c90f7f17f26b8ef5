"""The claims stage's working record: one event with the claims read for it so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from eventcoder.claims.cues import Cues
from eventcoder.model import ActorRef, Event, Source

Party = tuple[str, int | None]  # (country, sector side)
# How a denial points at what it denies: earlier claims as a whole ("denied this"), some content ("denied
# that troops fired"), or the claims that its side did something ("rejected any role in the blast").
DenialKind = Literal["anaphoric", "content", "responsibility"]
STATE_SECTOR = "GOV"


@dataclass(frozen=True)
class Claim:
    """A source for an event and where it was read: claims sharing an origin are one report."""

    source: Source
    origin: tuple[int, int]  # (sentence index, speech act index in it)
    publisher: bool = False
    denied: bool = False  # read from a denial ("X denied that ..."): X says it did not happen
    responsibility: bool = False  # a claim of responsibility ("X claimed the attack"): X says X did it


@dataclass(eq=False)
class Report:
    """An event as the linker works on it; becomes a frozen ``Event`` again at the end."""

    event: Event
    sentence: int
    tokens: tuple[int, ...]  # document token indices of the trigger
    claims: list[Claim] = field(default_factory=list)
    disputes: list[Report] = field(default_factory=list)  # the REJECT reports that deny this one
    denial_kind: DenialKind | None = None  # for a REJECT read by the claims stage: how it points at the claim
    stated: bool = True  # False: a denial the event coder wrote no REJECT for (kept only if it disputes a claim)

    def add_claims(self, claims: list[Claim]) -> None:
        """Add claims, skipping a speaker already listed; the publisher only stands in when nobody else does."""
        for claim in claims:
            if any(_same_source(c.source, claim.source) for c in self.claims):
                continue
            self.claims.append(claim)
        if any(not c.publisher for c in self.claims):
            self.claims = [c for c in self.claims if not c.publisher]

    def claimants(self) -> list[Claim]:
        """Return the claims made by someone other than the publisher."""
        return [c for c in self.claims if not c.publisher]


def _same_source(a: Source, b: Source) -> bool:
    """Tell whether two sources are one speaker ("both sides" stands for two)."""
    country_a = a.actor.country if a.actor else None
    country_b = b.actor.country if b.actor else None
    return a.text.lower() == b.text.lower() and country_a == country_b


def party_of(actor: ActorRef | None, cues: Cues) -> Party | None:
    """Return the side an actor speaks for: its country and sector group, or ``None`` if unknown.

    A country named without a sector ("Armenia", "the Azerbaijani side") speaks through its state.
    """
    if actor is None or actor.country is None:
        return None
    return actor.country, cues.sector_side.get(actor.sector or STATE_SECTOR)


def different_parties(a: Party | None, b: Party | None) -> bool:
    """Tell whether two known parties are on different sides (another country or another sector group)."""
    if a is None or b is None:
        return False
    if a[0] != b[0]:
        return True
    return a[1] is not None and b[1] is not None and a[1] != b[1]


def same_party(a: Party | None, b: Party | None) -> bool:
    """Tell whether two known parties are on one side."""
    return a is not None and b is not None and not different_parties(a, b)


UNKNOWN_COUNTRY = "?"


def side_of(actor: ActorRef | None, cues: Cues) -> Party | None:
    """Return ``party_of``, or for an actor known only by its sector ("the junta") that sector's group."""
    party = party_of(actor, cues)
    if party is not None or actor is None or actor.sector is None:
        return party
    group = cues.sector_side.get(actor.sector)
    return None if group is None else (UNKNOWN_COUNTRY, group)


def different_sides(a: Party | None, b: Party | None) -> bool:
    """Tell whether two sides differ: ``different_parties``, or by sector group when a country is unknown."""
    if a is None or b is None:
        return False
    if UNKNOWN_COUNTRY in (a[0], b[0]):
        return a[1] is not None and b[1] is not None and a[1] != b[1]
    return different_parties(a, b)
