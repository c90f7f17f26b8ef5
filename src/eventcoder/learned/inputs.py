"""The learned layer's training inputs: the corpus train split joined with its texts, coded by the rules."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from eventcoder.corpus.__main__ import split_of, story
from eventcoder.corpus.annotations import Annotation, check_against_records, load_records, read_annotations
from eventcoder.errors import DataError
from eventcoder.learned.train import COUNTED, Example
from eventcoder.model import Document

ANNOTATIONS = "data/annotations/open-news"
OPEN_NEWS = "../shared/corpus/open-news"
Records = dict[str, dict[str, dict[str, Any]]]


def train_split(annotations_dir: str | Path, open_news: str | Path) -> tuple[list[Annotation], Records]:
    """Return the train-split annotations (sorted by key) and the records; raise ``DataError`` when they differ."""
    annotations = read_annotations(annotations_dir)
    records = load_records(open_news)
    problems = check_against_records(annotations, records)
    if problems:
        raise DataError(f"{len(problems)} annotations do not match {open_news}: {problems[0]}")
    splits = split_of(annotations, records)
    return sorted((a for a in annotations if splits[a.key] == "train"), key=lambda a: a.key), records


def sentence_text(annotation: Annotation, records: Records) -> str:
    return str(records[annotation.source][annotation.record]["text"][annotation.start:annotation.end])


def hashed_lines(annotations: Sequence[Annotation], records: Records) -> Iterator[str]:
    """Yield what the model learns from, in order, for the manifest's data hash."""
    for a in annotations:
        yield json.dumps({"key": list(a.key), "text": sentence_text(a, records),
                          "types": [e.event_type for e in a.events]}, sort_keys=True)


def code_examples(annotations: Sequence[Annotation], records: Records,
                  progress: Callable[[str], None] = lambda _: None) -> list[Example]:
    """Code each sentence alone with the rules (relevance threshold on, no learned layer) into ``Example``s."""
    from eventcoder.pipeline import Pipeline

    pipeline = Pipeline(learned=False)
    documents = []
    for a in annotations:
        record = records[a.source][a.record]
        documents.append(Document(id="/".join(map(str, a.key)), text=sentence_text(a, records),
                                  published=_date(record.get("date"))))
    progress(f"coding {len(documents)} train sentences with the rules")
    examples = []
    for a, coded in zip(annotations, pipeline.code(documents), strict=True):
        record = records[a.source][a.record]
        examples.append(Example(
            text=sentence_text(a, records), gold=tuple(e.event_type for e in a.events),
            rules=tuple(e.event_type for e in coded.events), counted=tuple(e.modality in COUNTED for e in coded.events),
            political=coded.political, group=f"{story(a.source, record)}|{str(record.get('date'))[:7]}"))
    return examples


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
