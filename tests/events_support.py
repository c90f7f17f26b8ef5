"""A tiny in-memory actor resolver for the events tests (the real KB is the actors stage's)."""

from __future__ import annotations

from datetime import date

from eventcoder.model import ActorRef

# lower-case key -> (name, country, sector); a mention resolves by its longest known key it contains.
TINY_KB: dict[str, tuple[str, str | None, str | None]] = {
    "azerbaijan": ("Azerbaijan", "AZE", None),
    "azerbaijani": ("Azerbaijan", "AZE", None),
    "baku": ("Azerbaijan", "AZE", "GOV"),
    "armenia": ("Armenia", "ARM", None),
    "armenian": ("Armenia", "ARM", None),
    "pro-armenian rebels": ("Karabakh rebels", "ARM", "REB"),
    "yerevan": ("Armenia", "ARM", "GOV"),
    "armenian defense ministry": ("Armenian Defense Ministry", "ARM", "MIL"),
    "pashinyan": ("Nikol Pashinyan", "ARM", "GOV"),
    "russia": ("Russia", "RUS", None),
    "moscow": ("Russia", "RUS", "GOV"),
    "civilians": ("civilians", None, "CVL"),
    "rebels": ("rebels", None, "REB"),
    "soldiers": ("soldiers", None, "MIL"),
    "police": ("police", None, "COP"),
    "israel": ("Israel", "ISR", None),
    "israeli": ("Israel", "ISR", None),
    "hamas": ("Hamas", "PSE", "REB"),
    "gaza": ("Gaza", "PSE", None),
    "iran": ("Iran", "IRN", None),
    "united states": ("United States", "USA", None),
    "washington": ("United States", "USA", "GOV"),
    "china": ("China", "CHN", None),
    "japan": ("Japan", "JPN", None),
    "protesters": ("protesters", None, "CVL"),
    "afp": ("AFP", None, "MED"),
}
AGENCIES = frozenset({"afp", "reuters", "ap", "tass"})


class TinyResolver:
    """Resolve a mention by the longest known key it contains (word-aligned)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def resolve(self, text: str, when: date | None = None) -> ActorRef | None:
        self.calls.append(text)
        padded = f" {text.lower().replace('’s', '').replace(chr(39) + 's', '')} "
        for key in sorted(TINY_KB, key=len, reverse=True):
            if f" {key} " in padded:
                name, country, sector = TINY_KB[key]
                return ActorRef(text=text, name=name, country=country, sector=sector, kb_id=key)
        return None

    def is_news_agency(self, text: str) -> bool:
        return any(word in AGENCIES for word in text.lower().split())
