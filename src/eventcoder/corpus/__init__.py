"""The project's own annotated corpus: sentences of ../shared/corpus/open-news keyed by id and offsets.

The texts stay in ../shared; the repository holds only annotations (record id, sentence character
offsets, PLOVER type, mode, modality, actor/recipient spans as offsets). docs/annotation.md gives the
guidelines and the file format; ``python -m eventcoder.corpus`` runs pre-fill, review, statistics,
split and leakage check.
"""

from eventcoder.corpus.annotations import (
    OPEN_NEWS_FILES,
    AnnotatedEvent,
    Annotation,
    Span,
    check_against_records,
    read_annotations,
    write_annotations,
)
from eventcoder.corpus.split import SPLITS, assign_splits, normalise, opening

__all__ = [
    "OPEN_NEWS_FILES", "SPLITS", "AnnotatedEvent", "Annotation", "Span", "assign_splits",
    "check_against_records", "normalise", "opening", "read_annotations", "write_annotations",
]
