"""Politics that is no event between actors: elections, and laws passed that name no one.

"Citizens voted to elect a new parliament" and "the Bundestag approved a pensions bill" are domestic politics,
not acts of one actor towards another; the cues are data (``data/events/politics.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from eventcoder.events.datafiles import listed, read_yaml

DATA_FILE = "politics.yaml"


@dataclass(frozen=True)
class PoliticsCues:
    """The word lists of ``data/events/politics.yaml``."""

    election_verbs: frozenset[str]
    election_nouns: frozenset[str]
    election_complements: frozenset[str]
    legislation_verbs: frozenset[str]
    legislation_nouns: frozenset[str]
    actor_entities: frozenset[str]


@lru_cache(maxsize=1)
def load_politics_cues() -> PoliticsCues:
    """Load the cues (cached)."""
    spec = read_yaml(DATA_FILE)
    return PoliticsCues(
        election_verbs=listed(spec, DATA_FILE, "elections.verbs"),
        election_nouns=listed(spec, DATA_FILE, "elections.nouns"),
        election_complements=listed(spec, DATA_FILE, "elections.complements"),
        legislation_verbs=listed(spec, DATA_FILE, "legislation.verbs"),
        legislation_nouns=listed(spec, DATA_FILE, "legislation.nouns"),
        actor_entities=frozenset(e.upper() for e in listed(spec, DATA_FILE, "actor_entities")),
    )


def is_domestic_politics(verb: Token, lemma: str, cues: PoliticsCues) -> bool:
    """Tell whether a verb trigger is voting in an election or passing a law that names no actor.

    Args:
        verb: the trigger verb.
        lemma: its lemma (as the coder repairs it).
        cues: the word lists.
    """
    if lemma in cues.election_verbs and _election(verb, lemma, cues):
        return True
    if lemma not in cues.legislation_verbs:
        return False
    laws = [o for o in verb.children if o.dep_ in {"dobj", "obj", "nsubjpass"}
            and o.lemma_.lower() in cues.legislation_nouns]
    return bool(laws) and not any(t.ent_type_ in cues.actor_entities for law in laws for t in law.subtree)


def _election(verb: Token, lemma: str, cues: PoliticsCues) -> bool:
    if lemma == "elect":
        return True
    for child in verb.children:
        if child.dep_ in {"xcomp", "advcl"} and child.lemma_.lower() in cues.election_complements:
            return True
        if child.dep_ == "prep" and any(o.dep_ == "pobj" and o.lemma_.lower() in cues.election_nouns
                                        for o in child.children):
            return True
    return False
