"""A second, independent annotation: a blind sample of annotated sentences, disagreements, adjudication.

``sample_second`` picks already annotated sentences by key and hash only (stratified over the
open-news files), and writes them as *blank* candidates: keys, offsets and sentence hashes, with no
events, so that the second annotator sees the text (``show``) but neither the first annotator's
coding nor the coder's pre-fill. ``disagreements`` lists where two annotations of a sentence differ
in their type sets; ``replace_annotations`` writes adjudicated annotations over the first file's lines.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eventcoder.corpus.annotations import OPEN_NEWS_FILES, Annotation, read_annotations, write_annotations
from eventcoder.errors import DataError

Key = tuple[str, str, int]


def _rank(seed: int, key: Key) -> str:
    return hashlib.sha1(f"{seed}/{key[0]}/{key[1]}/{key[2]}".encode()).hexdigest()


def sample_keys(keys: Iterable[tuple[Key, int]], n: int, seed: int) -> list[tuple[Key, int]]:
    """Return ``n`` of the (key, end) pairs: per file in proportion to its share, lowest hash rank first.

    The choice depends on keys and the seed only, never on a label, so the sample is blind.
    """
    by_source: dict[str, list[tuple[Key, int]]] = defaultdict(list)
    for key, end in keys:
        by_source[key[0]].append((key, end))
    total = sum(len(v) for v in by_source.values())
    if n > total:
        raise DataError(f"cannot sample {n} sentences from {total}")
    sources = [s for s in OPEN_NEWS_FILES if s in by_source]
    quota = {s: n * len(by_source[s]) // total for s in sources}
    # hand the rounding remainder to the files with the largest fractional share
    for s in sorted(sources, key=lambda s: -(n * len(by_source[s]) % total))[:n - sum(quota.values())]:
        quota[s] += 1
    out: list[tuple[Key, int]] = []
    for s in sources:
        out.extend(sorted(by_source[s], key=lambda item: _rank(seed, item[0]))[:quota[s]])
    return sorted(out)


def blank_candidates(annotations: Sequence[Annotation], records: Mapping[str, Mapping[str, Mapping[str, Any]]],
                     n: int, seed: int) -> list[dict[str, Any]]:
    """Return the blind sample as candidate lines with no events (the ``show``/``apply`` format)."""
    sha = {a.key: a.sha1 for a in annotations}
    chosen = sample_keys(((a.key, a.end) for a in annotations), n, seed)
    return [{"source": k[0], "record": k[1], "date": records[k[0]][k[1]]["date"], "start": k[2], "end": end,
             "sha1": sha[k], "events": []} for k, end in chosen]


def type_set(annotation: Annotation) -> tuple[str, ...]:
    """Return the sorted distinct types of an annotation (empty for a negative)."""
    return tuple(sorted({e.event_type for e in annotation.events}))


def describe(annotation: Annotation, text: str) -> str:
    """Return an annotation's events as ``TYPE mode modality | actors | recipients; ...`` ('-': a negative)."""
    return "; ".join(
        f"{e.event_type} {e.mode or '-'} {e.modality} | " + " + ".join(text[s.start:s.end] for s in e.actors)
        + " | " + " + ".join(text[s.start:s.end] for s in e.recipients) for e in annotation.events) or "-"


def disagreements(first: Sequence[Annotation], second: Sequence[Annotation]) -> list[tuple[Annotation, Annotation]]:
    """Return (first, second) pairs over shared sentences whose type sets differ, in key order."""
    others = {a.key: a for a in second}
    return [(a, others[a.key]) for a in sorted(first, key=lambda a: a.key)
            if a.key in others and type_set(a) != type_set(others[a.key])]


def replace_annotations(folder: str | Path, adjudicated: Sequence[Annotation]) -> int:
    """Write ``adjudicated`` over the lines with the same key in the folder's files; return how many.

    Every adjudicated annotation must replace an existing one (it settles a sentence already coded);
    the replaced line's ``prefill`` (the coder's first proposal) is kept.
    """
    if any(a.method != "adjudicated" for a in adjudicated):
        raise DataError("only annotations with method 'adjudicated' may replace a first annotation")
    todo = {a.key: a for a in adjudicated}
    replaced = 0
    for file in sorted(Path(folder).glob("*.jsonl")):
        old = read_annotations(file)
        hits = [a.key for a in old if a.key in todo]
        if hits:
            write_annotations(file, [replace(todo[a.key], prefill=a.prefill) if a.key in todo else a for a in old])
            replaced += len(hits)
            for key in hits:
                del todo[key]
    if todo:
        raise DataError(f"{len(todo)} adjudicated sentences are not in {folder}, e.g. {next(iter(todo))}")
    return replaced
