"""Long texts: coded in bounded pieces, nothing dropped, events at their offsets; the entity index."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from eventcoder.ingest import parse_text_document, read_documents
from eventcoder.nlp import ParsedDoc, Parser, entities, entities_in
from eventcoder.pieces import split_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _corpus_texts() -> list[str]:
    return [d.text for d in read_documents([str(CORPUS)], on_error="raise")]


def test_pieces_split_keeps_every_character_within_the_bound() -> None:
    text = "\n\n".join(_corpus_texts() * 3)
    document = parse_text_document(text, origin="<long>", published=date(2023, 5, 14))
    pieces = split_document(document, 4_000)
    assert len(pieces) > 3
    assert all(len(piece.text) <= 4_000 for piece, _ in pieces)
    assert all(piece.id == document.id for piece, _ in pieces)
    rebuilt = [" "] * len(document.text)
    for piece, place in pieces:
        assert document.text[place.offset:place.offset + len(piece.text)] == piece.text
        rebuilt[place.offset:place.offset + len(piece.text)] = piece.text
    assert "".join(rebuilt).split() == document.text.split()  # only white space between pieces


class _Recording(Parser):
    """A parser that remembers the longest text it was given."""

    longest = 0

    def __call__(self, document):  # type: ignore[no-untyped-def]
        self.longest = max(self.longest, len(document.text))
        return super().__call__(document)

    def pipe(self, documents):  # type: ignore[no-untyped-def]
        for document in documents:
            self.longest = max(self.longest, len(document.text))
            yield super().__call__(document)


def test_pieces_pipeline_codes_a_long_text_in_bounded_pieces_at_their_offsets(pipeline) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import Pipeline

    texts = _corpus_texts()
    text = "\n\n".join(texts)
    document = parse_text_document(text, origin="<long>", published=date(2023, 5, 14))
    parser = _Recording(pipeline.parser.nlp)
    whole = Pipeline(resolver=pipeline.resolver, parser=parser, relevance=False)
    whole.piece_chars = max(len(t) for t in texts) + 10
    [coded] = list(whole.code([document]))
    assert parser.longest <= whole.piece_chars < len(text)  # before: the whole text went to spaCy at once
    assert coded.document == document
    for event in coded.events:
        assert event.doc_id == document.id
        assert document.text[event.evidence.start:event.evidence.end].strip() == event.evidence.sentence.strip()
        assert event.evidence.trigger_start is None or (
            event.evidence.start <= event.evidence.trigger_start < event.evidence.end)
    ids = {e.id for e in coded.events}
    assert all(d in ids for e in coded.events for d in e.disputed_by)
    # nothing dropped: as many events as coding each piece on its own
    pieces = split_document(document, whole.piece_chars)
    alone = sum(len(c.events) for c in whole.code(replace(p, id=f"p{n}") for n, (p, _) in enumerate(pieces)))
    assert len(coded.events) == alone > 0
    # the batch path (eventcoder code, watch) codes through the same pieces
    from eventcoder.batch import code_documents

    parser.longest = 0
    [outcome] = list(code_documents(whole, [document]))
    assert parser.longest <= whole.piece_chars and outcome == coded


@pytest.fixture(scope="module")
def parsed() -> ParsedDoc:
    from eventcoder.nlp import default_nlp

    text = _corpus_texts()[0]
    return Parser(default_nlp())(parse_text_document(text, origin="<t>"))


def test_nlp_entities_in_matches_span_ents(parsed: ParsedDoc) -> None:
    doc = parsed.doc
    assert list(entities(doc)) == list(doc.ents)
    for sent in doc.sents:
        assert entities_in(sent) == list(sent.ents)
    for start in range(0, len(doc), 7):
        span = doc[start:start + 11]
        assert entities_in(span) == list(span.ents)
