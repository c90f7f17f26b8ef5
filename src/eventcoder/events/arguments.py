"""Actor and recipient heads of a trigger: subject/object roles, passives, prepositions, "between A and B"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from eventcoder.events import roles

NAMED_ENTITIES = frozenset({"NORP", "GPE", "ORG", "PERSON", "FAC", "LOC"})
TARGET_PREPOSITIONS = ("against", "on", "upon", "at", "into")
# Whose act or thing an event noun is, or at whom it is aimed: "the U.S. proposal", "the seizure by U.S. authorities",
# "sanctions on Syria", "talks with Israel", "a request from the United Nations".
OWNER_PREPOSITIONS = ("by", "from", "against", "on", "upon", "at", "into", "with", "to", "toward", "towards")
# What a non-actor object is about: "expressed solidarity with Denmark", "voiced support for Lebanon".
ABOUT_PREPOSITIONS = ("with", "for", "to", "toward", "towards", "against", "on")


@dataclass(frozen=True)
class Arguments:
    """Actor and recipient heads of a trigger; ``indirect`` recipients (from a preposition) must resolve."""

    actors: list[Token]
    recipients: list[Token]
    pairs: list[tuple[Token, Token]] = field(default_factory=list)
    indirect: bool = False
    fallbacks: tuple[Token, ...] = ()  # recipients to try, in order, when the recipient names no known actor
    agents: tuple[Token, ...] = ()  # actors to try, in order, when there is none: "killed in a Turkish strike"


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
                     statements: frozenset[str] = frozenset(), addressed: frozenset[str] = frozenset()) -> Arguments:
    """Read the roles of a verb: subject acts on object; passive subject is acted on, "by" names the actor.

    An object that is an event noun, an instrument or a statement ("imposed martial law", "fired tear gas",
    "rejected the G7 statement") is no recipient; whose it is or at whom it is aimed may be. Verbs that
    address someone (demands, threats) also look for the recipient in their complement clauses of the
    ``addressed`` kinds (xcomp, ccomp): "demanded that Israel withdraw", "threatened to expel the French ambassador".
    """
    actor: Token | None = None
    recipient: Token | None = None
    indirect = False
    fallbacks: list[Token] = []
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
        found = roles.children(verb, roles.OBJECTS)
        objects = [o for o in found if not is_means(o) and o.lemma_.lower() not in statements]
        if objects:
            recipient = objects[0]
            fallbacks += _targets(recipient, ABOUT_PREPOSITIONS) + _targets(verb, ABOUT_PREPOSITIONS)
        else:
            for _, target in roles.prepositional(verb, roles.RECIPIENT_PREPOSITIONS[:-1]):
                recipient, indirect = target, True
                break
            for means in found:
                fallbacks += owners(means)
        if addressed:
            fallbacks += _demanded(verb, is_means, statements, addressed)
    # "mediated talks between Congo and Rwanda": the parties of the event noun the verb acts on
    parties = roles.between(verb) or next(
        (found for o in roles.children(verb, roles.OBJECTS) if is_means(o) for found in [roles.between(o)]
         if len(found) >= 2), [])
    arguments = with_parties(actor, recipient, parties, indirect)
    return replace(arguments, fallbacks=tuple(fallbacks))


def owners(noun: Token) -> list[Token]:
    """Return whose act or thing ``noun`` is, or at whom it is aimed: "the ECOWAS ultimatum", "sanctions on Syria"."""
    named = [c for c in noun.children if (c.dep_ == "poss" and c.lower_ not in roles.PERSONAL_PRONOUNS)
             or (c.dep_ in {"amod", "compound", "nmod"} and c.ent_type_ in NAMED_ENTITIES)]
    return named + _targets(noun, OWNER_PREPOSITIONS)


def _targets(head: Token, prepositions: tuple[str, ...]) -> list[Token]:
    return [target for _, target in roles.prepositional(head, prepositions)]


def _demanded(verb: Token, is_means: Callable[[Token], bool], statements: frozenset[str],
              clauses: frozenset[str]) -> list[Token]:
    """Return who is to act or be acted on in what a verb demands or threatens ("to strike Beirut", "that X go")."""
    found: list[Token] = []
    for clause in verb.children:
        if clause.dep_ not in clauses:
            continue
        if clause.dep_ == "ccomp":
            found += [s for s in roles.children(clause, roles.SUBJECTS) if s.pos_ != "PRON"]
        for target in roles.children(clause, roles.OBJECTS):
            found += owners(target) if is_means(target) or target.lemma_.lower() in statements else [target]
        found += _targets(clause, TARGET_PREPOSITIONS)
    return found


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
    argument = noun  # the verb's own argument: "euros" in "announced 120 million euros in aid"
    while argument.head.i not in {verb.i, argument.i}:
        argument = argument.head
    taking_part = argument.dep_ == "prep" and argument.lower_ == "in"  # "took part in the fighting"
    if actor is None and (argument.dep_ in {"dobj", "attr", "conj"} or taking_part) and verb.lemma_ != "be":
        actor = roles.subject_of(verb)
    if actor is None and taking_part:  # "soldiers were engaged in the fighting"
        actor = next(iter(roles.children(verb, roles.PASSIVE_SUBJECTS)), None)
    if actor is None:
        actor = _first(roles.prepositional(verb, roles.ACTOR_PREPOSITIONS))
    recipient = _first(roles.prepositional(noun, (*roles.RECIPIENT_PREPOSITIONS, "for")))
    if recipient is None:
        recipient = _first(roles.prepositional(verb, (*TARGET_PREPOSITIONS, "to", "for")))
    return with_parties(actor, recipient, roles.between(noun) or roles.between(verb), True)


def _first(phrases: Iterator[tuple[str, Token]]) -> Token | None:
    return next((target for _, target in phrases), None)
