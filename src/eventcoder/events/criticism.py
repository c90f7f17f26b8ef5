"""Verbal attacks: "attacked Labour's pledges", "slammed the ruling" are criticism (ACCUSE), "attacked a bus" is not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from eventcoder.events import roles
from eventcoder.events.lexicon import CriticismCues, Sense

PARTICIPLE_CLAUSES = frozenset({"advcl", "xcomp"})


@dataclass(frozen=True)
class Criticism:
    """A verb read as criticism: its sense and the statement or policy it is aimed at, if one is named."""

    sense: Sense
    statement: Token | None


class CriticismReader:
    """Tell a verbal attack from violence by what it is aimed at and what is said with it.

    ``lemma`` and ``sense_of`` are the trigger finder's readings of a verb (its repaired lemma and its sense).
    """

    def __init__(self, cues: CriticismCues, lemma: Callable[[Token], str],
                 sense_of: Callable[[Token], Sense | None]) -> None:
        self.cues = cues
        self.lemma = lemma
        self.sense_of = sense_of

    def __call__(self, verb: Token, meaning: Sense | None) -> Criticism | None:
        """Return the criticism an attack verb states, or None when it is violence or no attack verb at all.

        Only a verb read as violence, as criticism already or as nothing is recoded. It criticises when aimed at
        a statement, decision or policy ("attacked Labour's pledges", "hit out at the plan") or said with an
        accusation ("blasted the governor, accusing him of ..."). What is said with it ("slammed Biden, saying
        ...") and the object of a reason ("slammed the government over its budget") count only for a verb not
        read as violence: "protesters attacked the police over the law" is violence with a motive.
        """
        cues = self.cues
        violent = meaning is not None and meaning.event_type == "ASSAULT"
        if meaning is not None and not violent and meaning.event_type != cues.sense.event_type:
            return None
        lemma = self.lemma(verb)
        phrasal = {f"{lemma} {c.lower_}" for c in verb.children
                   if c.dep_ in {"prt", "prep"} or (c.dep_ == "advmod" and c.i == verb.i + 1)}
        if lemma not in cues.verbs and not phrasal & cues.verbs:
            return None
        sense = meaning if meaning is not None and not violent else cues.sense
        prepositions = cues.prepositions if violent else cues.prepositions | cues.reasons
        aimed = roles.children(verb, roles.PASSIVE_SUBJECTS if roles.is_passive(verb) else roles.OBJECTS)
        aimed += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in prepositions
                  for o in p.children if o.dep_ == "pobj"]
        statement = next((o for o in aimed if o.lemma_.lower() in cues.objects or o.lower_ in cues.objects), None)
        if statement is not None or self._said_with(verb, violent):
            return Criticism(sense, statement)
        return None

    def _said_with(self, verb: Token, violent: bool) -> bool:
        """Tell whether a participle says what the attack was: "blasted X, accusing him of ...", "slammed X, saying"."""
        for clause in verb.children:
            if clause.dep_ not in PARTICIPLE_CLAUSES or clause.tag_ != "VBG":
                continue
            meaning = self.sense_of(clause)
            if meaning is not None and meaning.event_type == self.cues.sense.event_type:
                return True
            if not violent and self.lemma(clause) in self.cues.participles:
                return True
        return False
