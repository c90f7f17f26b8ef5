"""Dead and injured counts when the text gives numbers ("killing 6 civilians", "three soldiers were killed")."""

from __future__ import annotations

from spacy.tokens import Token

from eventcoder.events.lexicon import NumberWords
from eventcoder.model import Fatalities

NUMBER_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "det"})


class FatalityReader:
    """Read casualty counts from the victims of a kill/wound verb, or from its participle clause."""

    def __init__(self, words: NumberWords) -> None:
        self.words = words

    def count(self, head: Token) -> int | None:
        """Return the number a victim head carries ("6 civilians", "three soldiers"), None when vague or absent."""
        if head.like_num or head.lower_ in self.words.units:
            return self._number([head])
        numbers = [c for c in head.lefts if c.dep_ in NUMBER_DEPS and (c.like_num or c.lower_ in self.words.units)]
        if not numbers:
            return None
        return self._number(sorted({t for n in numbers for t in n.subtree}, key=lambda t: t.i))

    def _number(self, tokens: list[Token]) -> int | None:
        total, current = 0, 0
        found = False
        for token in tokens:
            word = token.lower_.replace(",", "")
            if word in self.words.vague:
                return None
            if word.isdigit():
                current += int(word)
                found = True
            elif word in self.words.units:
                current += self.words.units[word]
                found = True
            elif "-" in word and all(part in self.words.units for part in word.split("-")):
                current += sum(self.words.units[part] for part in word.split("-"))
                found = True
            elif word in self.words.scales:
                current = max(current, 1) * self.words.scales[word]
                total, current = total + current, 0
                found = True
        return total + current if found else None

    def kind(self, verb: Token) -> str | None:
        """Return "dead" or "injured" for a casualty verb or adjective, else None."""
        lemma = verb.lemma_.lower()
        if lemma in self.words.dead or verb.lower_ in self.words.dead:
            return "dead"
        if lemma in self.words.injured or verb.lower_ in self.words.injured:
            return "injured"
        return None

    def read(self, verb: Token, victims: list[Token]) -> Fatalities:
        """Return the counts for a casualty verb and its victims, the phrase kept even when vague."""
        kind = self.kind(verb)
        if kind is None or not victims:
            return Fatalities()
        counts = [self.count(v) for v in victims]
        number = None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
        doc = verb.doc
        start = min([verb.i, *(v.left_edge.i for v in victims)])
        end = max([verb.i, *(v.i for v in victims)])
        text = doc[start:end + 1].text
        if kind == "dead":
            return Fatalities(dead=number, text=text)
        return Fatalities(injured=number, text=text)

    @staticmethod
    def merge(first: Fatalities, second: Fatalities) -> Fatalities:
        """Combine dead from one phrase and injured from another."""
        texts = [t for t in (first.text, second.text) if t]
        return Fatalities(
            dead=first.dead if first.dead is not None else second.dead,
            injured=first.injured if first.injured is not None else second.injured,
            text="; ".join(texts) or None,
        )
