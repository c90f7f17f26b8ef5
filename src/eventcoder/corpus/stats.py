"""Counts of an annotated corpus: per type, negatives, per file and period, per split, per annotator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from eventcoder.corpus.annotations import Annotation, plover_modes

TARGET_PER_TYPE = 40


def statistics(annotations: Sequence[Annotation], dates: Mapping[tuple[str, str, int], str],
               splits: Mapping[tuple[str, str, int], str] = {}) -> list[str]:
    """Return the lines of the statistics report."""
    types: Counter[str] = Counter()
    modality: Counter[str] = Counter()
    per_file: Counter[tuple[str, str]] = Counter()
    per_period: Counter[tuple[str, str]] = Counter()
    per_split: Counter[tuple[str, str]] = Counter()
    agree = 0
    for a in annotations:
        kind = "negative" if a.negative else "event"
        per_file[(a.source, kind)] += 1
        day = dates.get(a.key, "0000-01-01")
        per_period[(a.source, f"{day[:4]}-H{1 if day[5:7] <= '06' else 2}")] += 1
        per_split[(splits.get(a.key, "-"), kind)] += 1
        for e in a.events:
            types[e.event_type] += 1
            modality[e.modality] += 1
        agree += sorted({e.event_type for e in a.events}) == sorted(set(a.prefill))
    n = len(annotations)
    negatives = sum(a.negative for a in annotations)
    lines = [f"sentences {n}  with events {n - negatives}  negatives {negatives}  events {sum(types.values())}",
             f"annotators {dict(Counter(a.annotator for a in annotations))}",
             f"methods {dict(Counter(a.method for a in annotations))}",
             f"pre-fill type set kept unchanged: {agree}/{n}" + (f" ({agree / n:.1%})" if n else ""),
             f"per type (target {TARGET_PER_TYPE}):"]
    for t in sorted(plover_modes()):
        lines.append(f"  {t:<10} {types[t]:>5}{'' if types[t] >= TARGET_PER_TYPE else '  (short)'}")
    lines.append("modality: " + "  ".join(f"{k} {v}" for k, v in sorted(modality.items())))
    lines.append("per file (event / negative):")
    for source in sorted({s for s, _ in per_file}):
        lines.append(f"  {source:<24} {per_file[(source, 'event')]:>5} / {per_file[(source, 'negative')]:<5}")
    lines.append("per file and half-year:")
    lines += [f"  {s:<24} {p}  {c}" for (s, p), c in sorted(per_period.items())]
    if splits:
        lines.append("per split (event / negative):")
        for split in sorted({s for s, _ in per_split}):
            lines.append(f"  {split:<6} {per_split[(split, 'event')]:>5} / {per_split[(split, 'negative')]:<5}")
    return lines
