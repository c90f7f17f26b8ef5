"""Read the package's own data files (``data/<folder>/<name>``) with one-line errors, for every stage.

A stage reads its files through this module (the events stage through ``eventcoder.events.datafiles``,
which adds the tables converted at set-up), so a missing file, bad YAML or a malformed word list reads the
same wherever it is found.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from eventcoder.errors import DataError

DATA_PACKAGE = "eventcoder.data"


def read_text(folder: str, name: str) -> str:
    """Return the text of ``data/<folder>/<name>``; raise ``DataError`` when it is missing."""
    try:
        return resources.files(DATA_PACKAGE).joinpath(folder, name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"data/{folder}/{name} is missing; reinstall eventcoder") from exc


def mapping(text: str, where: str) -> dict[str, Any]:
    """Return YAML ``text`` read as a mapping; ``where`` names the file in the error."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{where}: expected a mapping at the top")
    return data


def read_yaml(folder: str, name: str) -> dict[str, Any]:
    """Return the YAML data file ``data/<folder>/<name>``, which must hold a mapping."""
    return mapping(read_text(folder, name), f"data/{folder}/{name}")


def words(value: Any, where: str) -> frozenset[str]:
    """Return a YAML list of words, lower-cased; ``where`` names it in the error."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: expected a list of words")
    return frozenset(v.lower() for v in value)
