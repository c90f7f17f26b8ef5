"""Read the events stage's data files (``data/events/``, and the converted tables), with one-line errors."""

from __future__ import annotations

from typing import Any

from eventcoder import datafiles
from eventcoder.converted import read_converted
from eventcoder.datafiles import words

__all__ = ["CONVERTED", "DATA_DIR", "listed", "read_text", "read_tsv", "read_yaml", "words"]

DATA_DIR = "events"
# Converted at set-up from ../shared (Phoenix verbs, CAMEO2PLOVER) by eventcoder.events.convert; never committed.
CONVERTED = frozenset({"verb_patterns.tsv", "synsets.tsv", "cameo2plover.tsv"})


def read_text(name: str) -> str:
    """Return the text of a data file of the events stage (a converted one from data/compiled/)."""
    if name in CONVERTED:
        return read_converted(name)
    return datafiles.read_text(DATA_DIR, name)


def read_yaml(name: str) -> dict[str, Any]:
    """Return a YAML data file, which must hold a mapping."""
    return datafiles.mapping(read_text(name), f"data/{DATA_DIR}/{name}")


def read_tsv(name: str) -> list[list[str]]:
    """Return the rows of a tab-separated data file, without blank and comment lines."""
    rows = []
    for line in read_text(name).splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def listed(spec: dict[str, Any], name: str, path: str) -> frozenset[str]:
    """Return the word list at a dotted key ("elections.verbs") of the data file ``name`` read as ``spec``."""
    value: Any = spec
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return words(value, f"data/{DATA_DIR}/{name} {path}")
