"""Long texts are coded in bounded pieces, so that coding cost stays linear in the text.

A text over ``PIECE_CHARS`` is cut at paragraph (else sentence, else word) ends into pieces of at most
``PIECE_CHARS`` characters; each piece is parsed and coded on its own and the events are put back at
their offsets in the whole text (their ids, which depend on the offset, and the ``disputed_by`` links
between them are recomputed). Nothing is dropped: every character is in exactly one piece. What is lost
is only context that crosses a piece boundary (an earlier mention, a quotation, a date named in an
earlier paragraph), which for a break between paragraphs 50,000 characters apart is rarely any.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eventcoder.ingest.text import truncate
from eventcoder.model import Document, Event

PIECE_CHARS = 50_000  # past this, parse and coding cost per character grows (spaCy and the stages)


@dataclass(frozen=True)
class Piece:
    """Where a piece lies: its document, its offset in the text, its number and how many there are."""

    document: Document
    offset: int
    index: int
    count: int


def split_document(document: Document, limit: int = PIECE_CHARS) -> list[tuple[Document, Piece]]:
    """Return the document as (piece document, place) pairs; one pair, the document itself, when it is short."""
    text = document.text
    if len(text) <= limit:
        return [(document, Piece(document, 0, 0, 1))]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text):
            break
        head, _ = truncate(text[start:], limit)
        end = start + max(len(head), 1)
        spans.append((start, end))
        start = end
    return [(replace(document, text=text[a:b]), Piece(document, a, n, len(spans)))
            for n, (a, b) in enumerate(spans)]


def shift_events(events: list[Event], offset: int) -> list[Event]:
    """Move events read from a piece to their offsets in the whole text; rewrite ``disputed_by`` to new ids."""
    if offset == 0:
        return events
    moved: list[Event] = []
    renamed: dict[str, str] = {}
    for event in events:
        evidence = event.evidence
        trigger_start = evidence.trigger_start + offset if evidence.trigger_start is not None else None
        new = replace(event, evidence=replace(evidence, start=evidence.start + offset, end=evidence.end + offset,
                                              trigger_start=trigger_start))
        renamed[event.id] = new.id
        moved.append(new)
    return [replace(e, disputed_by=tuple(renamed.get(i, i) for i in e.disputed_by)) if e.disputed_by else e
            for e in moved]
