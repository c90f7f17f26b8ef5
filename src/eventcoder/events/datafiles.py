"""Read the events stage's data files (``data/events/``, and the converted tables), with one-line errors."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from eventcoder.converted import read_converted
from eventcoder.errors import DataError

DATA_PACKAGE = "eventcoder.data"
DATA_DIR = "events"
# Converted at set-up from ../shared (Phoenix verbs, CAMEO2PLOVER) by eventcoder.events.convert; never committed.
CONVERTED = frozenset({"verb_patterns.tsv", "synsets.tsv", "cameo2plover.tsv"})


def read_text(name: str) -> str:
    """Return the text of a data file of the events stage (a converted one from data/compiled/)."""
    if name in CONVERTED:
        return read_converted(name)
    try:
        return resources.files(DATA_PACKAGE).joinpath(DATA_DIR, name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"data/{DATA_DIR}/{name} is missing; reinstall eventcoder") from exc


def read_yaml(name: str) -> dict[str, Any]:
    """Return a YAML data file, which must hold a mapping."""
    try:
        data = yaml.safe_load(read_text(name))
    except yaml.YAMLError as exc:
        raise DataError(f"data/{DATA_DIR}/{name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"data/{DATA_DIR}/{name}: expected a mapping at the top")
    return data


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


def words(value: Any, where: str) -> frozenset[str]:
    """Return a YAML list of words, lower-cased; ``where`` names it in the error."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: expected a list of words")
    return frozenset(v.lower() for v in value)
