"""spaCy entity-ruler patterns for the curated names of the KB, so that NER labels them right."""

from __future__ import annotations

from typing import Any

from eventcoder.actors.names import words
from eventcoder.actors.sources import Entries

LABELS = {"leader": "PERSON", "group": "ORG", "igo": "ORG", "agency": "ORG", "region": "GPE", "seat": "GPE",
          "country": "GPE", "capital": "GPE"}
# Demonym endings: "Armenian", "Azerbaijani", "Chinese", "Turkish" are NORP, not GPE.
DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ani", "anis", "eri", "eris", "eli", "elis", "ic",
                   "an", "ans", "i", "is")


def entity_patterns(entries: Entries) -> list[dict[str, Any]]:
    """Return patterns for curated entries (not the bulk Phoenix names, cities and capitals)."""
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        label = LABELS.get(entry.kind)
        if label is None or entry.kind == "capital":
            continue
        names = [entry.name, *entry.aliases]
        if entry.person:
            names += [n.split()[-1] for n in names if len(n.split()) > 1 and len(n.split()[-1]) >= 5]
        for name in names:
            tokens = words(name)
            if not tokens:
                continue
            this = label
            if entry.kind == "country" and name != entry.name and name.lower().endswith(DEMONYM_ENDINGS):
                this = "NORP"
            if (name, this) in seen:
                continue
            seen.add((name, this))
            if len(tokens) == 1 and tokens[0].isupper():
                patterns.append({"label": this, "pattern": [{"ORTH": name}], "id": entry.kb_id})
            else:
                patterns.append({"label": this, "pattern": name, "id": entry.kb_id})
    return patterns
