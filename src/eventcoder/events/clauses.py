"""Relative clauses that tell news rather than describe: what the trigger finder keeps from them.

"supporters who marched on Monday" (a dated act), "Ankara, which blamed the deaths on the PKK, said ..." (an
accusation said aside), "blamed Hezbollah for a rocket strike that killed 12 children" (an attack the accusation
tells as fact).
"""

from __future__ import annotations

from collections.abc import Set

from spacy.tokens import Token

RELATIVE_SUBJECTS = frozenset({"who", "which", "that"})


def stated_in_accusation(verb: Token, accusations: Set[int]) -> bool:
    """Tell whether an attack verb is told as fact in a relative clause of an accusation (indexes of its verbs).

    "blamed Hezbollah for a rocket strike that killed 12 children", "accused Rwanda of backing rebels who shelled
    a camp": the attack is told as having happened (the accuser's claim); what the accused is blamed for is not.
    """
    if verb.tag_ != "VBD" or verb.dep_ not in {"relcl", "ccomp"} or any(c.dep_ == "aux" for c in verb.children):
        return False
    if not any(c.dep_ == "nsubj" and c.lower_ in RELATIVE_SUBJECTS for c in verb.children):
        return False
    current = verb
    for _ in range(8):
        if current.head is current:
            return False
        current = current.head
        if current.i in accusations:
            return True
    return False


def said_aside(verb: Token) -> bool:
    """Tell whether a relative clause says, aside, what its head did: "Ankara, which blamed ..., said" (simple past)."""
    if verb.dep_ != "relcl" or verb.tag_ != "VBD" or verb.lemma_.lower() == "be" \
            or any(c.dep_ == "aux" for c in verb.children):
        return False  # "Hamas, which was behind the attack, ...": a description, not what it said
    head, doc = verb.head, verb.doc
    pronoun = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in {"which", "who"}), None)
    return pronoun is not None and pronoun.i == head.i + 2 and doc[head.i + 1].text == ","


def dated_past(verb: Token) -> bool:
    """Tell whether a relative clause states a simple-past act with its own date ("who marched on Monday")."""
    if verb.dep_ != "relcl" or verb.tag_ != "VBD" or any(c.dep_ == "aux" for c in verb.children):
        return False
    dates = [verb]
    dates += [c for c in verb.children if c.dep_ == "prep"]
    return any(t.ent_type_ in {"DATE", "TIME"} and t.dep_ in {"pobj", "npadvmod"}
               for d in dates for t in d.children)
