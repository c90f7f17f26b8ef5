"""Bag-of-words sentence features: lemmas and lemma pairs from the parse, over a vocabulary learned in training.

Cheap enough to score every sentence of every document (the parse is already there), where a
sentence embedding of each would cost more than the parse itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.tokens import Span

MIN_COUNT = 3  # a feature seen in fewer training sentences is noise


def terms(span: Span | Sequence[Any]) -> list[str]:
    """Return the lower-case lemmas of a sentence's words and their adjacent pairs."""
    lemmas = [t.lemma_.lower() for t in span if not (t.is_punct or t.is_space)]
    return lemmas + [f"{a}_{b}" for a, b in pairwise(lemmas)]


def build_vocabulary(sentences: Iterable[list[str]], min_count: int = MIN_COUNT,
                     limit: int | None = None) -> tuple[str, ...]:
    """Return the terms found in at least ``min_count`` sentences, the ``limit`` most frequent, sorted."""
    counts: Counter[str] = Counter()
    for found in sentences:
        counts.update(set(found))
    common = sorted((term for term, n in counts.items() if n >= min_count), key=lambda t: (-counts[t], t))
    return tuple(sorted(common[:limit]))


class BagOfWords:
    """Turn term lists into L2-normalised binary vectors over a fixed vocabulary."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = tuple(vocabulary)
        self._index = {term: i for i, term in enumerate(self.vocabulary)}

    def matrix(self, sentences: Sequence[list[str]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return one row per sentence."""
        rows = np.zeros((len(sentences), len(self.vocabulary)))
        for row, found in enumerate(sentences):
            columns = [self._index[t] for t in set(found) if t in self._index]
            if columns:
                rows[row, columns] = 1.0 / np.sqrt(len(columns))
        return rows
