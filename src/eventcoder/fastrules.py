"""Faster drop-ins for two rule components of the spaCy pipeline, with exactly the same annotations.

- ``IndexedAttributeRuler``: spaCy's ``AttributeRuler`` runs every one of its rules (179 in the English
  model: tag map, morph rules, exceptions) through a ``Matcher`` over every token, about a fifth of the
  parse on long texts. Most rules test one token's ``TAG``/``LOWER``/``ORTH``/``DEP``/``IS_SPACE``; those
  are looked up here by the token's values (cached per distinct combination) and only the rest (several
  tokens, regular expressions, other attributes) go through a ``Matcher``. All rules are matched on the
  document as it was before any is applied, and a token's rules are applied in rule order, as spaCy does.
- The rule lemmatizer asks ``form in index`` of its word lists (up to 57,000 words, scanned one by one, about
  0.35 ms a word it has not seen): the lists become sets, which answer the same.
- ``IndexedTokenMatcher``: the entity ruler's token ``Matcher`` tries each of its patterns (227 of 229 are
  exact ``ORTH`` sequences) at every token, about 3 s a million characters; the exact-``ORTH`` patterns are
  looked up by a ``PhraseMatcher`` instead, and the matches are given back in the ``Matcher``'s own order
  (by end, start, then pattern), which the ruler's choice between two patterns for one span depends on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span, Token
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "eventcoder_attribute_ruler"
INDEXED = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")  # one-token tests answered from the token's values
_Key = tuple[str, str, str, str, bool]
CACHE_LIMIT = 200_000  # token value combinations remembered (the 1 MB bench article meets about 24,000)


def _token_key(token: Token) -> _Key:
    return token.lower_, token.orth_, token.tag_, token.dep_, token.is_space


def _condition(value: Any) -> frozenset[Any] | None:
    """Return the values a one-token test accepts, or ``None`` when it is not a plain value or ``IN`` list."""
    if isinstance(value, (str, bool)):
        return frozenset([value])
    if isinstance(value, dict) and list(value) == ["IN"] and isinstance(value["IN"], list):
        return frozenset(value["IN"])
    return None


def _simple(pattern: list[dict[str, Any]]) -> dict[int, frozenset[Any]] | None:
    """Return a one-token pattern's tests by position in ``INDEXED``, or ``None`` when it needs the Matcher."""
    if len(pattern) != 1:
        return None
    tests: dict[int, frozenset[Any]] = {}
    for name, value in pattern[0].items():
        accepted = _condition(value)
        if name not in INDEXED or accepted is None:
            return None
        tests[INDEXED.index(name)] = accepted
    return tests or None


class IndexedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` with one-token rules looked up instead of matched (see the module docstring)."""

    def __init__(self, vocab: Any, name: str = "attribute_ruler") -> None:
        super().__init__(vocab, name)
        self._index: tuple[dict[tuple[int, Any], list[tuple[int, dict[int, frozenset[Any]]]]], Matcher] | None = None
        self._rules_of: dict[_Key, tuple[int, ...]] = {}

    def add(self, patterns: Iterable[Any], attrs: dict[str, Any], index: int = 0) -> None:
        self._index = None
        self._rules_of = {}
        super().add(patterns, attrs, index)

    def _built(self) -> tuple[dict[tuple[int, Any], list[tuple[int, dict[int, frozenset[Any]]]]], Matcher]:
        """Return the one-token rules filed under one of their tests (field, value), and a Matcher of the rest."""
        if self._index is None:
            filed: dict[tuple[int, Any], list[tuple[int, dict[int, frozenset[Any]]]]] = {}
            rest = Matcher(self.vocab)
            for number, rule in enumerate(self.patterns):
                patterns: list[list[dict[str, Any]]] = rule["patterns"]  # type: ignore[assignment]
                tests = [_simple(p) for p in patterns]
                if not all(t is not None for t in tests):
                    rest.add(self.vocab.strings.add(str(number)), patterns)
                    continue
                for test in tests:
                    assert test is not None
                    field = min(test, key=lambda i: len(test[i]))  # the field with the fewest accepted values
                    for value in test[field]:
                        filed.setdefault((field, value), []).append((number, test))
            self._index = (filed, rest)
        return self._index

    def _rules(self, key: _Key) -> tuple[int, ...]:
        found = self._rules_of.get(key)
        if found is None:
            filed, _ = self._built()
            numbers = {number for field, value in enumerate(key) for number, tests in filed.get((field, value), ())
                       if all(key[i] in accepted for i, accepted in tests.items())}
            if len(self._rules_of) >= CACHE_LIMIT:
                self._rules_of.clear()  # a long-running server meets ever more word/tag/dependency combinations
            found = self._rules_of[key] = tuple(sorted(numbers))
        return found

    def __call__(self, doc: Doc) -> Doc:
        _, rest = self._built()
        chosen = [self._rules(_token_key(token)) for token in doc]  # every rule matched before any is applied
        extra: dict[int, list[int]] = {}
        for match_id, start, end in rest(doc, allow_missing=True, as_spans=False):
            number = int(self.vocab.strings[match_id])
            extra.setdefault(Span(doc, start, end)[self.indices[number]].i, []).append(number)
        for token, numbers in zip(doc, chosen, strict=True):
            if token.i in extra:
                numbers = tuple(sorted([*numbers, *extra[token.i]]))
            for number in numbers:
                set_token_attrs(token, self.attrs[number])
        return doc


@Language.factory(FACTORY)
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    """Build an empty ``IndexedAttributeRuler`` (``use_fast_rules`` fills it from the model's ruler)."""
    return IndexedAttributeRuler(nlp.vocab, name)


def use_fast_rules(nlp: Language) -> Language:
    """Swap in the indexed attribute ruler and the lemmatizer's word sets (same annotations, less time)."""
    if "attribute_ruler" in nlp.pipe_names and not isinstance(nlp.get_pipe("attribute_ruler"),
                                                               IndexedAttributeRuler):
        patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
        nlp.replace_pipe("attribute_ruler", FACTORY)
        nlp.get_pipe("attribute_ruler").add_patterns(patterns)  # type: ignore[attr-defined]
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            table = lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if isinstance(words, list):
                    table[key] = frozenset(words)  # only ever asked ``form in index``: a set, not a list scan
    return nlp


class IndexedTokenMatcher:
    """Stands in for an entity ruler's token ``Matcher`` (``add`` and call, same matches in the same order).

    Exact-``ORTH`` patterns go to a ``PhraseMatcher``, other fixed-length ones (no ``OP``) to a ``Matcher``;
    every match of a pattern ``j`` from ``start`` to ``end`` is ordered by ``(end, start, j)``, which is the
    order spaCy's ``Matcher`` finds fixed-length patterns in, and the first one of a key and span kept. Once
    a pattern with an ``OP`` is added or a key removed, a ``Matcher`` of all patterns answers, as the ruler's
    own would.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.keys: list[int] = []  # pattern number -> its match key (the ruler's label, with its id)
        self.orth = PhraseMatcher(vocab, attr="ORTH")
        self.fixed = Matcher(vocab)
        self.full = Matcher(vocab)  # every pattern, in order: used once a pattern is not fixed
        self.only_fixed = True

    def __len__(self) -> int:
        return len(self.full)

    def _normalize_key(self, key: Any) -> Any:  # the entity ruler asks its matcher for a label's key
        return self.full._normalize_key(key)

    def remove(self, key: str) -> None:
        """Remove ``key``'s patterns: from then on the ``Matcher`` of all patterns answers."""
        self.full.remove(key)
        self.only_fixed = False

    def add(self, key: str, patterns: list[list[dict[str, Any]]], *, on_match: Any = None,
            greedy: str | None = None) -> None:
        """Add patterns under ``key`` (as ``Matcher.add``; callbacks and greedy filters are not taken)."""
        if on_match is not None or greedy is not None:
            raise ValueError("IndexedTokenMatcher takes no on_match or greedy")
        self.full.add(key, patterns)
        for pattern in patterns:
            name = f"{key}#{len(self.keys)}"
            self.keys.append(self.vocab.strings.add(key))
            if all(list(token) == ["ORTH"] and isinstance(token["ORTH"], str) for token in pattern):
                self.orth.add(name, [Doc(self.vocab, words=[token["ORTH"] for token in pattern])])
            elif pattern and all("OP" not in token for token in pattern):  # one token per dict: fixed length
                self.fixed.add(name, [pattern])
            else:
                self.only_fixed = False

    def __call__(self, doc: Doc | Span) -> list[tuple[int, int, int]]:
        """Return ``(key, start, end)`` for every match, as ``Matcher(doc)`` does."""
        if not self.only_fixed:
            return list(self.full(doc, as_spans=False))
        found = sorted((end, start, int(self.vocab.strings[name].rsplit("#", 1)[1]))
                       for matches in (self.orth(doc, as_spans=False), self.fixed(doc, as_spans=False))
                       for name, start, end in matches)
        seen: set[tuple[int, int, int]] = set()
        matched: list[tuple[int, int, int]] = []
        for end, start, number in found:
            match = (self.keys[number], start, end)
            if match not in seen:
                seen.add(match)
                matched.append(match)
        return matched


def use_indexed_token_matcher(ruler: Any) -> Any:
    """Give an entity ruler that has no patterns yet an ``IndexedTokenMatcher`` (same entities, less time)."""
    if len(ruler) or len(ruler.matcher):
        raise ValueError("the entity ruler already has patterns; give it the indexed matcher before any")
    ruler.matcher = IndexedTokenMatcher(ruler.nlp.vocab)
    return ruler


def same_annotations(a: Doc, b: Doc) -> bool:
    """Tell whether two parses of one text agree on every token annotation and entity (for tests and benches)."""
    return _annotations(a) == _annotations(b)


def _annotations(doc: Doc) -> tuple[Any, ...]:
    tokens = tuple((t.orth, t.tag, t.pos, t.morph.key,  # type: ignore[attr-defined]
                    t.lemma, t.dep, t.head.i, t.ent_iob, t.ent_type, t.ent_id,
                    t.is_sent_start) for t in doc)
    return tokens, tuple((e.start, e.end, e.label, e.ent_id) for e in doc.ents)
