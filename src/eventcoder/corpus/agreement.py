"""Inter-annotator agreement on the sentences two annotation sets share: Cohen's kappa on types, span F1 on actors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from eventcoder.corpus.annotations import Annotation, Span, plover_modes

NONE = "NONE"


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Return Cohen's kappa of two equally long label sequences (1.0 when both are constant and equal)."""
    if len(first) != len(second) or not first:
        raise ValueError("kappa needs two non-empty label sequences of the same length")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    left, right = Counter(first), Counter(second)
    expected = sum(left[label] * right[label] for label in left) / (n * n)
    return 1.0 if expected == 1.0 else (observed - expected) / (1 - expected)


def _spans(a: Annotation, role: str) -> set[tuple[str, Span]]:
    return {(e.event_type, s) for e in a.events for s in (e.actors if role == "actors" else e.recipients)}


def _overlaps(x: Span, y: Span) -> bool:
    return x.start < y.end and y.start < x.end


@dataclass(frozen=True)
class Agreement:
    """Agreement figures over the shared sentences."""

    n_sentences: int
    kappa_types: float  # pooled over sentence x type yes/no decisions (16 types)
    kappa_primary: float  # on each sentence's first event type, NONE for a negative
    kappa_event_or_not: float  # negative vs. has an event
    actor_f1_exact: float  # actor spans under the same type, exact offsets
    actor_f1_overlap: float  # the same, any overlap counts
    recipient_f1_exact: float

    def lines(self) -> list[str]:
        return [f"sentences annotated by both: {self.n_sentences}",
                f"Cohen's kappa, type present (sentence x 16 types): {self.kappa_types:.3f}",
                f"Cohen's kappa, first type or NONE: {self.kappa_primary:.3f}",
                f"Cohen's kappa, event vs negative: {self.kappa_event_or_not:.3f}",
                f"actor span F1 exact {self.actor_f1_exact:.3f}  overlap {self.actor_f1_overlap:.3f}",
                f"recipient span F1 exact {self.recipient_f1_exact:.3f}"]


def _f1(first: Sequence[Annotation], second: Sequence[Annotation], role: str, exact: bool) -> float:
    found = gold = hit = 0
    for a, b in zip(first, second, strict=True):
        left, right = _spans(a, role), _spans(b, role)
        found, gold = found + len(left), gold + len(right)
        for kind, span in left:
            hit += any(k == kind and (s == span if exact else _overlaps(s, span)) for k, s in right)
    return 2 * hit / (found + gold) if found + gold else 1.0


def agreement(first: Sequence[Annotation], second: Sequence[Annotation]) -> Agreement:
    """Return the agreement of two annotation sets over the sentences both annotated."""
    others = {a.key: a for a in second}
    pairs = [(a, others[a.key]) for a in sorted(first, key=lambda a: a.key) if a.key in others]
    if not pairs:
        raise ValueError("the two annotation sets share no sentence")
    left, right = [p[0] for p in pairs], [p[1] for p in pairs]
    types = sorted(plover_modes())
    present = [[t in {e.event_type for e in a.events} for t in types] for a in left]
    present2 = [[t in {e.event_type for e in b.events} for t in types] for b in right]
    return Agreement(
        len(pairs),
        cohen_kappa([x for row in present for x in row], [x for row in present2 for x in row]),
        cohen_kappa([a.events[0].event_type if a.events else NONE for a in left],
                    [b.events[0].event_type if b.events else NONE for b in right]),
        cohen_kappa([a.negative for a in left], [b.negative for b in right]),
        _f1(left, right, "actors", True), _f1(left, right, "actors", False), _f1(left, right, "recipients", True))
