"""Whom an actor acts for when the usual keys give no country: international bodies, a group's own name.

"Association of African Jurists", "Third World Water Forum" are non-governmental (NGO): the head noun
says so (agents.yaml ``bodies``) when no country is stated.
A converted group coded INT (no ISO code) that bears its country in its name acts there
("Moroccan Islamic Combatant Group": MAR).
"""

from __future__ import annotations

from datetime import date

from eventcoder.actors.index import ActorIndex
from eventcoder.actors.matching import Match, Matcher, role_at
from eventcoder.actors.names import singular, words


def body_of(index: ActorIndex, head: list[Match], lower: list[str]) -> str | None:
    """Return the IGO/NGO an actor with no stated country acts for, from its head noun, if any."""
    for match in reversed(head):
        if match.method == "agent":
            phrase = " ".join(lower[match.start:match.end])
            body = index.bodies.get(phrase) or index.bodies.get(singular(phrase))
            if body is not None:
                return body
    return None


def named_country(matcher: Matcher, name: str, when: date | None) -> str | None:
    """Return the country a word of a group's name names ("Japanese Red Army": JPN), if one does.

    Only countries and their demonyms count: no town or province ("Mara" is in Tanzania, the Mara
    Salvatrucha gang is not).
    """
    index = matcher.index
    for word in words(name):
        for form in (word.lower(), singular(word.lower())):
            for i in index.exact.get(form, ()):
                if index.entries.kind(i) == "country" or matcher.converted_place(i):
                    return role_at(index.entries[i], when).country
    return None
