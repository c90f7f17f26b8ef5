"""The actors stage: resolve a mention to country (ISO-3 or IGO/NGO) and PLOVER sector, by date.

``load_kb()`` returns the process-wide :class:`ActorKB`, read from the compiled index
(``python -m eventcoder.actors compile``) or built in memory when that is missing or stale.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eventcoder.actors.codes import country_matches, normalize_country
from eventcoder.actors.index import build_index, load_index, save_index
from eventcoder.actors.kb import ActorKB, KBEntry, Resolution

__all__ = [
    "ActorKB", "KBEntry", "Resolution", "compile_kb", "country_matches", "load_kb", "normalize_country",
    "ruler_patterns",
]


@lru_cache(maxsize=1)
def load_kb() -> ActorKB:
    """Return the actor knowledge base, loaded once (from the compiled index when it is current).

    Example: ``load_kb().resolve("Baku").country == "AZE"``.
    """
    index = load_index()
    return ActorKB(index if index is not None else build_index())


def compile_kb() -> str:
    """Build the index from data/actors/ and write it under data/compiled/; return the path."""
    load_kb.cache_clear()
    return str(save_index(build_index()))


def ruler_patterns() -> list[dict[str, Any]]:
    """Return the entity-ruler patterns of the process-wide KB (see :meth:`ActorKB.ruler_patterns`)."""
    return load_kb().ruler_patterns()
