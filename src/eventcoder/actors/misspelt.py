"""Misspelt agent words: "peackeepers", "Commision" are the agent words one letter away.

Only long words (MIN_LETTERS or more) that no key knows are tried, against the one-word agent words of
the same first letter and the same last two letters; a word must score FUZZY_SCORE or more (one letter added
or dropped in a word of eight letters or more). "residence" is not "resident" (two letters differ), and an
inflected word is no misspelling: "produces" is not "producer", "monarchy" not "monarch" (their ends differ).
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from rapidfuzz import fuzz, process

from eventcoder.actors.names import singular

MIN_LETTERS = 8
FUZZY_SCORE = 92.0


class MisspeltAgents:
    """Find the agent word a misspelt word stands for, cached per word."""

    def __init__(self, agents: Mapping[str, str | None], known: Container[str]) -> None:
        self._agents = agents
        self._known = known
        self._by_ends: dict[tuple[str, str], list[str]] = {}
        for phrase in agents:
            if " " not in phrase and len(phrase) >= MIN_LETTERS - 1:
                self._by_ends.setdefault((phrase[0], phrase[-2:]), []).append(phrase)
        self._found: dict[str, tuple[str, float] | None] = {}

    def agent(self, word: str) -> tuple[str, float] | None:
        """Return the agent word ``word`` (lower case) misspells and the score, or ``None``."""
        if len(word) < MIN_LETTERS or not word.isalpha():
            return None
        if any(form in self._agents or form in self._known for form in (word, singular(word))):
            return None  # a known word or the plural of one ("militants"), found by the exact lookup
        if word not in self._found:
            best = None
            for form in dict.fromkeys((word, singular(word))):
                choices = self._by_ends.get((form[0], form[-2:]), [])
                best = best or process.extractOne(form, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
            self._found[word] = (best[0], float(best[1])) if best else None
        return self._found[word]
