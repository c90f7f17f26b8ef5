"""Agents inside instruments: who acts through the attack a verb happened in ("killed in a Turkish drone strike").

The cues are data (``data/events/agents.yaml``); the coder resolves the candidates and keeps the first that
names a known actor, so that an unknown perpetrator stays empty rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from eventcoder.events import roles
from eventcoder.events.datafiles import listed, read_yaml

DATA_FILE = "agents.yaml"
OWNER_DEPS = frozenset({"amod", "compound", "nmod"})


@dataclass(frozen=True)
class AgentCues:
    """The word lists of ``data/events/agents.yaml``."""

    prepositions: frozenset[str]
    operations: frozenset[str]


@lru_cache(maxsize=1)
def load_agent_cues() -> AgentCues:
    """Load the cues (cached)."""
    spec = read_yaml(DATA_FILE)
    return AgentCues(prepositions=listed(spec, DATA_FILE, "prepositions"),
                     operations=listed(spec, DATA_FILE, "operations"))


def instrument_agents(verb: Token, is_attack: Callable[[Token], bool], cues: AgentCues) -> list[Token]:
    """Return who may act through the attack ``verb`` happened in, in the order to try them.

    "were killed in a Turkish drone strike" gives "Turkish"; "died during a police raid" gives "police";
    "killed in a bombing claimed by Baloch separatists" gives "separatists".
    """
    found: list[Token] = []
    for preposition in verb.children:
        if preposition.dep_ != "prep" or preposition.lower_ not in cues.prepositions:
            continue
        for noun in preposition.children:
            if noun.dep_ != "pobj" or not (noun.lemma_.lower() in cues.operations or is_attack(noun)):
                continue
            found += [c for c in noun.children if (c.dep_ == "poss" and c.pos_ != "PRON") or c.dep_ in OWNER_DEPS]
            for clause in noun.children:
                if clause.dep_ == "acl":
                    found += [agent for _, agent in roles.prepositional(clause, ("by",))]
    return found
