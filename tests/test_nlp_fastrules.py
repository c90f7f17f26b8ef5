"""Parse stage: the faster rule components annotate exactly as spaCy's own (same tags, lemmas, parse, entities)."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from conftest import CORPUS, SHARED
from eventcoder.fastrules import IndexedAttributeRuler, same_annotations, use_fast_rules
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
