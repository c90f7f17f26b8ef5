"""Name keys: ASCII folding, a transliteration skeleton and a phonetic key.

Every key is computed the same way for knowledge-base names and for mentions, so German,
French and Russian spellings of one name meet on one key (Paschinjan, Pashinyan -> pashinyan).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz

# Number words never name an actor ("Seven opposition parties", "Some 800,000 Iraqi Kurds").
NUMBER_WORDS = frozenset(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
     "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
     "millions", "billion", "dozen", "dozens", "score", "scores", "tens", "some", "several", "about", "around",
     "nearly", "almost", "over", "least", "more", "fewer", "many", "first", "second", "third", "fourth", "fifth"]
)
# Forms of address before a name: "Mr Macron" is Macron, not a first name "Mr".
HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mme", "dr", "sir", "dame", "madam", "madame", "herr", "frau"])
# Lower-case particles inside a person's name ("Fayez al-Sarraj", "Ursula von der Leyen").
NAME_PARTICLES = frozenset(["al", "el", "e", "i", "bin", "ibn", "bint", "abu", "ul", "ud", "ur", "de", "del", "della",
                            "der", "van", "von", "da", "di", "du", "dos", "le", "la"])
FIRST_NAME_SCORE = 85.0  # "Araik"/"Arayik" agree; "Jalal"/"Jamal" are two names
_WORD = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z](?=\.))*\.?|&")
_POSSESSIVE = re.compile(r"(?<=\w)['’`´]s\b|(?<=s)['’`´](?=\s|$)")
# Spelling rules applied in order; each maps a transliteration habit to one English form.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"tsch", "ch"),
        (r"dsch|dzh|dj", "j"),
        (r"sch|sz", "sh"),
        (r"zh", "j"),
        (r"j", "y"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"kh|ch(?=[^aeiouy]|$)", "h"),
        (r"ck|q", "k"),
        (r"z", "s"),
        (r"ou", "u"),
        (r"(?<=[aeiou])ie|ie$", "i"),
        (r"(?:iy|yy|ii|ij|yi)$", "y"),
        (r"(?<=[^aeiouy])i(?=[aeou])", "y"),
        (r"([a-z])\1+", r"\1"),
    )
)


def fold(text: str) -> str:
    """Return ``text`` in ASCII, possessives removed (Erdoğan's -> Erdogan)."""
    return _POSSESSIVE.sub("", anyascii(text))


def words(text: str) -> list[str]:
    """Split folded text into word tokens, keeping case (U.S. stays one token)."""
    return [w.replace(".", "") or w for w in _WORD.findall(fold(text).replace("-", " "))]


def key(text: str) -> str:
    """Return the folded lookup key: lower-case ASCII words joined by one space."""
    return " ".join(w.lower() for w in words(text))


@lru_cache(maxsize=200_000)
def skeleton_word(word: str) -> str:
    """Return the transliteration skeleton of one lower-case word (selenskyj -> selensky)."""
    for pattern, repl in _SKELETON_RULES:
        word = pattern.sub(repl, word)
    return word


def skeleton(text_key: str) -> str:
    """Return the skeleton of a folded key, word by word."""
    return " ".join(skeleton_word(w) for w in text_key.split())


@lru_cache(maxsize=200_000)
def phonetic(word: str) -> str:
    """Return the phonetic key of one skeleton word, for finding fuzzy candidates."""
    return str(jellyfish.metaphone(word))


def singular(phrase: str) -> str:
    """Return the phrase with its last word made singular (soldiers -> soldier, policemen -> policeman)."""
    if phrase.endswith("men"):
        return phrase[:-3] + "man"
    if phrase.endswith("ies") and len(phrase) > 4:
        return phrase[:-3] + "y"
    if phrase.endswith(("ches", "shes", "sses", "xes")):
        return phrase[:-2]
    if phrase.endswith("s") and not phrase.endswith("ss"):
        return phrase[:-1]
    return phrase


def first_names_agree(first: str, known: str) -> bool:
    """Return whether two first-name skeletons are one name: the same, a transliteration, or an initial."""
    if len(first) <= 2 or len(known) == 1:  # initials: "P. Hewitt", "F.W. de Klerk"
        return first[:1] == known[:1]
    return first == known or phonetic(first) == phonetic(known) or fuzz.ratio(first, known) >= FIRST_NAME_SCORE
