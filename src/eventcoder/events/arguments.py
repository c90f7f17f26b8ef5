"""Actor and recipient heads of a trigger: subject/object roles, passives, prepositions, "between A and B"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from eventcoder.events import roles

NAMED_ENTITIES = frozenset({"NORP", "GPE", "ORG", "PERSON", "FAC", "LOC"})
TARGET_PREPOSITIONS = ("against", "on", "upon", "at", "into")


@dataclass(frozen=True)
class Arguments:
    """Actor and recipient heads of a trigger; ``indirect`` recipients (from a preposition) must resolve."""

    actors: list[Token]
    recipients: list[Token]
    pairs: list[tuple[Token, Token]] = field(default_factory=list)
    indirect: bool = False


def with_parties(actor: Token | None, recipient: Token | None, parties: list[Token], indirect: bool) -> Arguments:
    """Combine the roles with a "between A and B" phrase: reciprocal pairs when there is no actor."""
    actors = roles.expand(actor) if actor is not None else []
    recipients = roles.expand(recipient) if recipient is not None else []
    if len(parties) >= 2 and not actors:
        return Arguments([], [], [(a, b) for a in parties for b in parties if a is not b])
    if parties and not actors:
        return Arguments(parties, recipients, [], indirect)
    if parties and not recipients:
        return Arguments(actors, parties)
    return Arguments(actors, recipients, [], indirect)


def verbal_arguments(verb: Token, is_means: Callable[[Token], bool],
                     statements: frozenset[str] = frozenset()) -> Arguments:
    """Read the roles of a verb: subject acts on object; passive subject is acted on, "by" names the actor.

    An object that is an event noun or an instrument ("imposed martial law", "fired tear gas") is no recipient.
    """
    actor: Token | None = None
    recipient: Token | None = None
    indirect = False
    if roles.is_passive(verb):
        for _, agent in roles.prepositional(verb, ("by",)):
            actor = agent
        subjects = roles.children(verb, roles.PASSIVE_SUBJECTS)
        if subjects:
            recipient = subjects[0]
        elif verb.dep_ == "acl":
            recipient = verb.head
    else:
        actor = roles.subject_of(verb, statements)
        objects = [o for o in roles.children(verb, roles.OBJECTS) if not is_means(o)]
        if objects:
            recipient = objects[0]
        else:
            for _, target in roles.prepositional(verb, roles.RECIPIENT_PREPOSITIONS[:-1]):
                recipient, indirect = target, True
                break
    return with_parties(actor, recipient, roles.between(verb), indirect)


def nominal_arguments(noun: Token, verb: Token) -> Arguments:
    """Read the roles of an event noun: "Israel's air strikes on Gaza", "shelling from the Azerbaijani side".

    Without an actor of its own, the noun takes the subject of the verb that carries it.
    """
    actor: Token | None = None
    recipient: Token | None = None
    for child in noun.children:
        if (child.dep_ == "poss" and child.lower_ not in roles.PERSONAL_PRONOUNS) or (
                child.dep_ in {"amod", "compound"} and child.ent_type_ in NAMED_ENTITIES):
            actor = child
            break
    if actor is None:
        actor = _first(roles.prepositional(noun, roles.ACTOR_PREPOSITIONS))
    if actor is None and noun.dep_ in {"dobj", "attr", "conj"} and verb.lemma_ != "be":
        actor = roles.subject_of(verb)
    if actor is None:
        actor = _first(roles.prepositional(verb, roles.ACTOR_PREPOSITIONS))
    recipient = _first(roles.prepositional(noun, roles.RECIPIENT_PREPOSITIONS))
    if recipient is None:
        recipient = _first(roles.prepositional(verb, TARGET_PREPOSITIONS))
    return with_parties(actor, recipient, roles.between(noun) or roles.between(verb), True)


def _first(phrases: Iterator[tuple[str, Token]]) -> Token | None:
    return next((target for _, target in phrases), None)
