"""Parse stage: the faster rule components annotate exactly as spaCy's own (same tags, lemmas, parse, entities)."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from conftest import CORPUS, SHARED
from eventcoder.fastrules import IndexedAttributeRuler, same_annotations, use_fast_rules, use_indexed_token_matcher
from eventcoder.nlp import MODEL_NAME

# Rule-ruler corner cases: multi-token exceptions, "there is" (DEP expl), spaces, contractions, odd case.
TRICKY = ("Y'all ain't gonna believe it: there's a ceasefire, they're saying, and we gotta wait.\n\n"
          "  Let's see.  C'mon!  THERE ARE 3 tanks; there were none.\tIt's the Minister's call, isn't it?")


@pytest.fixture(scope="module")
def models() -> tuple[Language, Language]:
    return spacy.load(MODEL_NAME), use_fast_rules(spacy.load(MODEL_NAME))


def _texts() -> list[str]:
    texts = [TRICKY] + [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    dev = SHARED / "eval" / "dev" / "geowebnews.geo.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text("utf-8").splitlines()[:60]]
    return texts


def test_nlp_fast_rules_are_in_place(models: tuple[Language, Language]) -> None:
    _, fast = models
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    index = fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    assert all(isinstance(words, frozenset) for words in index.values())
    assert fast.pipe_names == spacy.load(MODEL_NAME).pipe_names


def test_nlp_fast_rules_annotate_as_spacy_does(models: tuple[Language, Language]) -> None:
    stock, fast = models
    differing = [text[:60] for text in _texts() if not same_annotations(stock(text), fast(text))]
    assert differing == []


def test_nlp_fast_rules_apply_rules_in_order(models: tuple[Language, Language]) -> None:
    stock, fast = models
    ruler = fast.get_pipe("attribute_ruler")
    # a later rule overrides an earlier one on the same token; a two-token rule mixes with one-token rules
    ruler.add([[{"LOWER": "ceasefire"}]], {"LEMMA": "first"})  # type: ignore[attr-defined]
    ruler.add([[{"TAG": "NN", "LOWER": "ceasefire"}]], {"LEMMA": "second"})  # type: ignore[attr-defined]
    ruler.add([[{"LOWER": "a"}, {"LOWER": "ceasefire"}]], {"POS": "X"}, index=-1)  # type: ignore[attr-defined]
    reference = stock.get_pipe("attribute_ruler")
    reference.add([[{"LOWER": "ceasefire"}]], {"LEMMA": "first"})  # type: ignore[attr-defined]
    reference.add([[{"TAG": "NN", "LOWER": "ceasefire"}]], {"LEMMA": "second"})  # type: ignore[attr-defined]
    reference.add([[{"LOWER": "a"}, {"LOWER": "ceasefire"}]], {"POS": "X"}, index=-1)  # type: ignore[attr-defined]
    text = "They agreed a ceasefire; the ceasefire held."
    fast_doc, stock_doc = fast(text), stock(text)
    assert same_annotations(stock_doc, fast_doc)
    assert next(t.pos_ for t in fast_doc if t.lower_ == "ceasefire") == "X"


def test_nlp_indexed_token_matcher_matches_as_the_entity_ruler_matcher_does(
        models: tuple[Language, Language]) -> None:
    from eventcoder.actors import load_kb
    from eventcoder.fastrules import IndexedTokenMatcher
    from eventcoder.nlp import load_patterns

    _, fast = models
    patterns = load_patterns(load_kb().ruler_patterns())
    # ties: one span under two keys (the ruler keeps whichever comes first), overlapping and nested matches
    patterns += [{"label": "ORG", "pattern": [{"ORTH": "Minister"}, {"ORTH": "'s"}]},
                 {"label": "NORP", "pattern": [{"ORTH": "Minister"}]},
                 {"label": "PERSON", "pattern": [{"ORTH": "Minister"}], "id": "minister"},
                 {"label": "EVENT", "pattern": [{"LOWER": {"IN": ["ceasefire", "truce"]}}, {"ORTH": ","}]}]
    indexed, stock = (fast.add_pipe("entity_ruler", name=name, config={"phrase_matcher_attr": "LOWER"})
                      for name in ("indexed_ruler", "stock_ruler"))
    try:
        use_indexed_token_matcher(indexed)
        for ruler in (indexed, stock):
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        matcher = indexed.matcher  # type: ignore[attr-defined]
        assert isinstance(matcher, IndexedTokenMatcher) and matcher.only_fixed
        with fast.select_pipes(disable=["indexed_ruler", "stock_ruler", "ner"]):
            docs = [fast(text) for text in _texts()]
        assert sum(len(stock.matcher(doc)) for doc in docs) > 100  # type: ignore[attr-defined]
        assert all(indexed.matcher(doc) == list(stock.matcher(doc)) for doc in docs)  # type: ignore[attr-defined]
        ruled = [(indexed(doc.copy()), stock(doc.copy())) for doc in docs]
        assert all([(e.start, e.end, e.label, e.ent_id) for e in a.ents] ==
                   [(e.start, e.end, e.label, e.ent_id) for e in b.ents] for a, b in ruled)
        # a pattern with a quantifier: the Matcher of all patterns answers
        quantified = [{"label": "GPE", "pattern": [{"LOWER": "north", "OP": "?"}, {"LOWER": "gaza"}]}]
        for ruler in (indexed, stock):
            ruler.add_patterns(quantified)  # type: ignore[attr-defined]
        assert not matcher.only_fixed
        assert all(indexed.matcher(doc) == list(stock.matcher(doc)) for doc in docs)  # type: ignore[attr-defined]
    finally:
        fast.remove_pipe("indexed_ruler")
        fast.remove_pipe("stock_ruler")
