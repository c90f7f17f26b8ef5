"""Deterministic train/dev/test split by story cluster and date, and the near-duplicate (leakage) check.

A sentence's cluster is its source file, its story (the portal's deepest story heading, or the
press release's title) and its month: items of one story told in the same month land together.
Clusters that share a near-duplicate sentence (same normalised text or same 60-character opening)
are merged before the split, so no near-duplicate can cross splits. Each merged cluster goes to a
split by a hash of its first cluster name, so the split needs no random state, and a sentence
added to a story never moves the others (unless it ties two clusters together).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SPLITS: tuple[str, ...] = ("train", "dev", "test")
SHARES: tuple[float, float] = (0.70, 0.85)  # cumulative bounds: 70 % train, 15 % dev, 15 % test
OPENING_CHARS = 60
_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Return ``text`` folded for duplicate checks: NFKC, lower case, punctuation and spaces to single spaces."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def opening(text: str) -> str:
    """Return the first 60 characters of the normalised text (the near-duplicate key)."""
    return normalise(text)[:OPENING_CHARS]


@dataclass(frozen=True)
class Item:
    """What the split needs of one sentence: its key, text, story and date (YYYY-MM-DD)."""

    key: str
    text: str
    story: str
    date: str

    @property
    def cluster(self) -> str:
        return f"{normalise(self.story)}|{self.date[:7]}"


def _bucket(name: str) -> str:
    value = int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return SPLITS[0] if value < SHARES[0] else SPLITS[1] if value < SHARES[1] else SPLITS[2]


def _near_keys(text: str) -> tuple[str, ...]:
    folded = normalise(text)
    keys = ["text:" + folded]
    if len(folded) >= OPENING_CHARS // 2:  # a very short opening says little
        keys.append("open:" + folded[:OPENING_CHARS])
    return tuple(keys)


def assign_splits(items: Iterable[Item]) -> dict[str, str]:
    """Return item key -> split; deterministic, by merged story-month cluster."""
    items = sorted(items, key=lambda i: i.key)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_with: dict[str, str] = {}
    for item in items:
        union("c:" + item.cluster, "i:" + item.key)
        for near in _near_keys(item.text):
            if near in first_with:
                union("i:" + item.key, "i:" + first_with[near])
            else:
                first_with[near] = item.key
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[find("i:" + item.key)].append(item)
    out: dict[str, str] = {}
    for members in groups.values():
        split = _bucket(min(m.cluster for m in members))
        out.update((m.key, split) for m in members)
    return out


@dataclass(frozen=True)
class Leak:
    """Two texts in different places that are near-duplicates."""

    kind: str  # "text" or "opening"
    first: str
    second: str


def find_leaks(splits: Mapping[str, str], texts: Mapping[str, str],
               eval_sets: Mapping[str, Sequence[str]] = {}) -> list[Leak]:
    """Return near-duplicates across splits, and between any annotated text and any eval-set text.

    ``splits`` maps key -> split, ``texts`` key -> sentence text, ``eval_sets`` set name -> its texts
    (whole records: a sentence leaks when its normalised text occurs inside one, or openings match).
    """
    leaks: list[Leak] = []
    seen: dict[str, tuple[str, str]] = {}
    for key in sorted(texts):
        for near in _near_keys(texts[key]):
            if near in seen and seen[near][1] != splits.get(key):
                leaks.append(Leak("text" if near.startswith("text:") else "opening", seen[near][0], key))
            seen.setdefault(near, (key, splits.get(key, "")))
    for name, records in eval_sets.items():
        folded = [normalise(t) for t in records]
        openings: dict[str, int] = {}
        for n, f in enumerate(folded):
            if len(f) >= OPENING_CHARS // 2:
                openings.setdefault(f[:OPENING_CHARS], n)
        haystack = "\n".join(folded)
        for key in sorted(texts):
            f = normalise(texts[key])
            if len(f) >= OPENING_CHARS // 2 and f[:OPENING_CHARS] in openings:
                leaks.append(Leak("opening", key, f"{name}#{openings[f[:OPENING_CHARS]]}"))
            elif len(f) >= OPENING_CHARS // 2 and f in haystack:
                leaks.append(Leak("text", key, name))
    return leaks
