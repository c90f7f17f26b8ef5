"""Compare country codes across CAMEO and ISO-3 spellings (gold files use CAMEO's, we write ISO-3)."""

from __future__ import annotations

from functools import lru_cache

from eventcoder.actors.sources import read_cameo_countries

# Codes for actors without one country; gold coders use IGO and NGO loosely for one another.
INTERNATIONAL = frozenset({"IGO", "NGO"})
# Gold codes of one organisation (FORMAT.md): the UN and its bodies, the EU and its bodies.
ORGANISATION_CODES = frozenset({"UNO", "EUR"})


@lru_cache(maxsize=1)
def _cameo() -> dict[str, str | None]:
    return read_cameo_countries()


def normalize_country(code: str | None) -> str | None:
    """Return the eventcoder code for a CAMEO or ISO-3 code ("JAP" -> "JPN"; a region code -> None).

    Example: ``normalize_country("ROM") == "ROU"``; ``normalize_country("") is None``.
    """
    if not code:
        return None
    code = code.strip().upper()
    return _cameo().get(code, code)


def country_matches(predicted: str | None, gold: str | None) -> bool:
    """Return whether a predicted country agrees with a gold one, reading both through the CAMEO table.

    An empty gold country means "no country": only ``None`` matches it. IGO and NGO match each
    other (international organisations); a gold UNO (the UN and its bodies) or EUR (the EU and its
    bodies) is matched by IGO or NGO too (FORMAT.md).

    Example: ``country_matches("JPN", "JAP")`` and ``country_matches("NGO", "IGO")`` are true.
    """
    pred, want = normalize_country(predicted), normalize_country(gold)
    if gold and gold.strip().upper() in ORGANISATION_CODES:  # before the CAMEO table reads EUR as a region
        want = gold.strip().upper()
    if want is None:
        return pred is None
    if pred == want:
        return True
    return pred in INTERNATIONAL and (want in INTERNATIONAL or want in ORGANISATION_CODES)
