"""Stated intents and demands: "X said it will withdraw" is AGREE, "X said Y must withdraw" is REQUEST.

PLOVER codes what an actor says it will do, or wants another to do, as the verbal event, not as the act.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Token

from eventcoder.events import roles
from eventcoder.events.arguments import Arguments
from eventcoder.events.lexicon import Sense
from eventcoder.events.modality import governors
from eventcoder.model import Modality

DEMAND_MODES = {"RETREAT": "yield", "CONCEDE": "yield", "AID": "assist", "COOPERATE": "assist", "CONSULT": "meet",
                "AGREE": "meet"}
THREAT_MODES: dict[str, str | None] = {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": "restrict",
                                       "SANCTION": "relations", "PROTEST": None}
STATEMENT_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN"})


@dataclass(frozen=True)
class Statement:
    """An event that is only said: an intent of the actor's own or a demand the speaker makes."""

    kind: Literal["intent", "demand"]
    speech: Token | None  # the verb of saying, whose subject makes a demand


def stated(head: Token, modality: Modality, intent_heads: frozenset[str], speech_verbs: frozenset[str],
           statements: frozenset[str]) -> Statement | None:
    """Tell whether the event whose clause ``head`` heads is a stated intent or demand.

    "X said it will withdraw" and "X is ready to withdraw" state an intent; "X said Y must withdraw" a demand.
    """
    chain = [head, *governors(head)]
    if chain[-1].dep_ == "acomp":
        chain.append(chain[-1].head)  # "must be ready to mediate": the clause is headed by "be"
    auxiliaries = {c.lower_ for verb in chain for c in verb.children if c.dep_ == "aux"}
    intent = {g.lemma_.lower() for g in chain[1:]} & intent_heads
    clause = chain[-1]
    speech = clause.dep_ == "ccomp" and clause.head.lemma_.lower() in speech_verbs | {"agree", "decide"}
    if clause.dep_ in {"ccomp", "acl"} and clause.head.lemma_.lower() in statements and "must" in auxiliaries:
        return Statement("demand", clause.head.head)  # "issued a reminder that Iraq must cooperate"
    if speech and "must" in auxiliaries:
        return Statement("demand", clause.head)
    if intent and modality in {"future", "negated"}:
        return Statement("intent", None)
    own = not roles.is_passive(clause) and not roles.is_passive(head)
    future = modality in {"future", "negated", "hypothetical"} and bool(auxiliaries & {"will", "would", "wo"})
    if speech and own and future:
        return Statement("intent", clause.head)  # "Iraq said it would allow ...": an actor states what it will do
    return None


def recode(sense: Sense, modality: Modality, statement: Statement, arguments: Arguments,
           quad_classes: dict[str, str]) -> tuple[Sense, Modality, Arguments]:
    """Recode a stated intent or demand by what it is about: cooperative or conflictual."""
    if sense.event_type in STATEMENT_TYPES:
        return sense, modality, arguments
    cooperative = quad_classes.get(sense.event_type, "").endswith("cooperation")
    if statement.kind == "demand" and statement.speech is not None:
        speaker = roles.subject_of(statement.speech)
        demand = Sense("REQUEST", DEMAND_MODES.get(sense.event_type), sense.contexts, "10", sense.curated)
        return demand, "asserted", Arguments(roles.expand(speaker) if speaker is not None else [], arguments.actors)
    if modality == "negated":
        if cooperative:
            return Sense("REJECT", None, sense.contexts, "12", sense.curated), "asserted", arguments
        return sense, modality, arguments
    if cooperative:
        return Sense("AGREE", None, sense.contexts, "03", sense.curated), "asserted", arguments
    return threat(sense), "asserted", arguments


def threat(sense: Sense) -> Sense:
    """Return the THREATEN sense for promising a conflictual act ("vowed to fight")."""
    return Sense("THREATEN", THREAT_MODES.get(sense.event_type), sense.contexts, "13", sense.curated)
