"""Sample sentences stratified over the open-news files and over time, and pre-fill them with the coder.

The candidates are for review only: an annotator reads each one and records the corrected coding
(``review.py``); a candidate is never an annotation by itself.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from eventcoder.corpus.annotations import AnnotatedEvent, Span, text_sha1
from eventcoder.model import Document

if TYPE_CHECKING:
    from eventcoder.pipeline import Pipeline

MIN_SENTENCE_CHARS = 30
MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class Candidate:
    """A sampled sentence with the coder's events, offsets into the record's text."""

    source: str
    record: str
    date: str
    start: int
    end: int
    sha1: str
    events: tuple[AnnotatedEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "record": self.record, "date": self.date, "start": self.start,
                "end": self.end, "sha1": self.sha1, "events": [e.to_dict() for e in self.events]}


def quarter(day: str) -> str:
    """Return 'YYYY-Qn' for a 'YYYY-MM-DD' date."""
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def sample_records(records: Mapping[str, Mapping[str, Mapping[str, Any]]], per_quarter: Mapping[str, int],
                   seed: int, exclude: frozenset[str] = frozenset(),
                   match: str | None = None) -> list[tuple[str, Mapping[str, Any]]]:
    """Return (source, record) pairs: ``per_quarter[source]`` records from every quarter of each file.

    ``match`` (a regular expression, case-insensitive) keeps only records whose text matches it: a
    targeted batch for rare types, whose bias the candidates file records.
    """
    rng = random.Random(seed)
    wanted = re.compile(match, re.IGNORECASE) if match else None
    out: list[tuple[str, Mapping[str, Any]]] = []
    for source in sorted(per_quarter):
        by_quarter: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for rid in sorted(records[source]):
            if f"{source}/{rid}" not in exclude and (wanted is None or wanted.search(records[source][rid]["text"])):
                by_quarter[quarter(records[source][rid]["date"])].append(records[source][rid])
        for q in sorted(by_quarter):
            pool = by_quarter[q]
            out.extend((source, r) for r in rng.sample(pool, min(per_quarter[source], len(pool))))
    return out


def _find(text: str, needle: str, lo: int, hi: int) -> Span | None:
    at = text.find(needle, lo, hi) if needle else -1
    return Span(at, at + len(needle)) if at >= 0 else None


def prefill(pipeline: Pipeline, sampled: Sequence[tuple[str, Mapping[str, Any]]], per_record: int,
            seed: int, match: str | None = None,
            skip: frozenset[tuple[str, str, int]] = frozenset()) -> Iterator[Candidate]:
    """Code each sampled record and yield up to ``per_record`` of its sentences with the coder's events.

    With ``match``, sentences matching it are preferred (the others are used when none does).
    Sentences whose (source, record, start) is in ``skip`` (already annotated) are never yielded.
    """
    rng = random.Random(seed)
    wanted = re.compile(match, re.IGNORECASE) if match else None
    documents = [Document(id=f"{s}/{r['id']}", text=r["text"], published=date.fromisoformat(r["date"]))
                 for s, r in sampled]
    for (source, record), parsed in zip(sampled, pipeline.parser.pipe(documents), strict=True):
        text = record["text"]
        sentences = [(s.start_char, s.end_char) for s in parsed.doc.sents
                     if MIN_SENTENCE_CHARS <= len(s.text.strip()) <= MAX_SENTENCE_CHARS and "\n" not in s.text.strip()
                     and (source, record["id"], s.start_char) not in skip]
        if wanted is not None:
            sentences = [s for s in sentences if wanted.search(text[s[0]:s[1]])] or sentences
        if not sentences:
            continue
        chosen = sorted(rng.sample(sentences, min(per_record, len(sentences))))
        coded = pipeline.code_parsed(parsed).events
        for lo, hi in chosen:
            while hi > lo and text[hi - 1].isspace():
                hi -= 1
            events = []
            for event in coded:
                if not lo <= event.evidence.start < hi:
                    continue
                start = event.evidence.trigger_start
                trigger = Span(start, start + len(event.evidence.trigger)) if start is not None else None
                if trigger is not None and not (lo <= trigger.start and trigger.end <= hi):
                    trigger = None
                actor = _find(text, event.actor.text, lo, hi) if event.actor else None
                recipient = _find(text, event.recipient.text, lo, hi) if event.recipient else None
                events.append(AnnotatedEvent(event.event_type, event.mode, event.modality, trigger,
                                             (actor,) if actor else (), (recipient,) if recipient else ()))
            yield Candidate(source, record["id"], record["date"], lo, hi, text_sha1(text[lo:hi]), tuple(events))
