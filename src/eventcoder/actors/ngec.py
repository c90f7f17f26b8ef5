"""The PLOVER agent words of NGEC (``agents.tsv`` of actors-sources), read at set-up for the lexicon.

They fill the words the converted Phoenix agents and data/actors/agents.yaml lack ("border patrol"
COP, "anti graft commission" GOV); a word those files have keeps its sector. A code's first three
letters give the sector (``~GOVMIL`` -> GOV; the press ``JRN`` -> MED); codes that are no PLOVER
sector (``~NON``, ``~JNK``, ``~PRM``) are left out.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from eventcoder.actors.officeholders import source_folder
from eventcoder.errors import DataError

AGENTS = "agents.tsv"
CODE_ALIASES = {"JRN": "MED"}
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z '\-]*$")


def read_ngec_agents(sectors: frozenset[str], folder: Path | None = None) -> dict[str, str]:
    """Return {phrase (lower case, singular and plural): sector} of NGEC's PLOVER agents."""
    path = (source_folder() if folder is None else folder) / AGENTS
    if not path.is_file():
        raise DataError(f"{path} is missing: the actor lexicon is built from {path.parent} "
                        "(set EVENTCODER_SOURCE_DATA=/path/to/shared/data)")
    words: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            code = (row["code"] or "").lstrip("~")[:3]
            sector = CODE_ALIASES.get(code, code)
            if sector not in sectors:
                continue
            for phrase in (row["phrase"], row["plural"]):
                if phrase and _PLAIN.match(phrase):
                    words.setdefault(phrase.lower(), sector)
    return words
