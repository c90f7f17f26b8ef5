"""How a verb's phrase is matched against the lexicon's patterns: its text with particles, the words around it."""

from __future__ import annotations

from spacy.tokens import Token

from eventcoder.events.lexicon import Slot

CLAUSE_DEPS = frozenset({"conj", "cc", "ccomp", "advcl", "parataxis", "relcl", "punct", "mark", "aux", "auxpass",
                         "neg", "nsubj", "nsubjpass", "csubj"})
PATTERN_DEPTH = 3


def verb_text(verb: Token) -> str:
    """Return the verb with its particles ("shot down")."""
    particles = [c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1]
    return verb.doc[verb.i:verb.i + 1 + len(particles)].text


def bags(verb: Token) -> tuple[frozenset[str], frozenset[str]]:
    """Return the words before and after a verb in its own phrase (lower-case forms and lemmas)."""
    before: set[str] = set()
    after: set[str] = set()
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS and child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        target = before if child.i < verb.i else after
        level = [child]
        for _ in range(PATTERN_DEPTH):  # words deep inside a phrase ("a war against Iraq") are not the verb's
            for token in level:
                target.add(token.lower_)
                target.add(token.lemma_.lower())
            level = [c for t in level for c in t.children]
    return frozenset(before), frozenset(after)


def matches(slots: tuple[Slot, ...], bag: frozenset[str]) -> bool:
    """Tell whether every slot has one alternative whose words are all in ``bag``."""
    return all(any(all(word in bag for word in alternative) for alternative in slot) for slot in slots)


def same_words(found: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Tell whether the words found are those wanted, a plural -s aside."""
    return all(f == w or f.rstrip("s") == w for f, w in zip(found, wanted, strict=True))
