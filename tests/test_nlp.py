"""Parse stage: the entity ruler fed from data runs before ner; patterns file parses."""

from __future__ import annotations

from datetime import date

import pytest

from eventcoder.model import Document
from eventcoder.nlp import Parser, build_nlp, headline, load_patterns


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(build_nlp())


def test_nlp_patterns_file_parses() -> None:
    patterns = load_patterns()
    assert patterns
    assert all(p["label"] in {"GPE", "LOC", "ORG", "PERSON", "NORP", "FAC"} for p in patterns)


@pytest.mark.parametrize(("text", "entity", "label"), [
    ("The capital Stepanakert had been shelled.", "Stepanakert", "GPE"),
    ("Fighting broke out in Nagornyj Karabakh on Sunday.", "Nagornyj Karabakh", "GPE"),
    ("According to the AFP news agency, the rebels imposed martial law.", "AFP", "ORG"),
])
def test_nlp_ruler_labels_names_the_model_misses(parser: Parser, text: str, entity: str, label: str) -> None:
    parsed = parser(Document("t", text, date(2020, 9, 27)))
    assert (entity, label) in {(e.text, e.label_) for e in parsed.doc.ents}


def test_nlp_pipe_keeps_order_and_documents(parser: Parser) -> None:
    documents = [Document(str(i), f"Russia called for talks number {i}.", None) for i in range(5)]
    parsed = list(parser.pipe(documents))
    assert [p.document.id for p in parsed] == ["0", "1", "2", "3", "4"]
    assert parsed[3].doc.text == documents[3].text


def test_nlp_blank_line_ends_a_sentence(parser: Parser) -> None:
    text = "Dam row in the Andes\n\nPeru's president said on Monday the dam would be built."
    parsed = parser(Document("t", text, date(2020, 9, 27)))
    assert [s.text.strip() for s in parsed.doc.sents] == ["Dam row in the Andes",
                                                          "Peru's president said on Monday the dam would be built."]


@pytest.mark.parametrize(("text", "title"), [
    ("Dam row in the Andes\n\nPeru's president said on Monday the dam would be built.", "Dam row in the Andes"),
    ("Peru's president said on Monday the dam would be built.\n\nHe spoke in Lima.", None),
    ("Peru's president said on Monday the dam would be built. He spoke in Lima.", None),
])
def test_nlp_headline_is_a_short_first_paragraph_without_a_full_stop(parser: Parser, text: str,
                                                                      title: str | None) -> None:
    found = headline(parser(Document("t", text, date(2020, 9, 27))).doc)
    assert (found.text.strip() if found is not None else None) == title
