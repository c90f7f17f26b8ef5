"""What the actor tests share: the day they resolve mentions on, and a mention read as (country, sector)."""

from __future__ import annotations

from datetime import date

from eventcoder.actors import ActorKB

DAY = date(2019, 6, 1)


def resolved(kb: ActorKB, text: str, when: date | None = DAY) -> tuple[str | None, str | None]:
    """Return the country and sector the knowledge base gives ``text`` on ``when`` ((None, None): no actor)."""
    actor = kb.resolve(text, when)
    return (actor.country, actor.sector) if actor else (None, None)
