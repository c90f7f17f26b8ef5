"""Text normalisation, the ``date YYYY-MM-DD`` line, and content-hash document ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

import yaml

from eventcoder.errors import DataError, InputError
from eventcoder.model import DateSource, Document

MAX_CHARS = 1_000_000  # spaCy's default max_length; longer texts are cut at a boundary
BROKEN_TOKENS_FILE = "ingest/broken_tokens.yaml"

_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
           "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'"}
_SPACES = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ",
           "\u200a": " ", "\u3000": " ", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"}
_INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
              # bidirectional embeddings, overrides and isolates: they can make evidence display as other text
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")
_KEEP_CONTROLS = {"\n", "\t"}


def _translation_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in {**_QUOTES, **_SPACES}.items()}
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        if chr(code) not in _KEEP_CONTROLS and code not in table:
            table[code] = None
    table.update({ord(ch): None for ch in _INVISIBLE})
    # lone surrogates (a JSON "\ud800" escape, an undecodable file name) cannot be encoded: spaCy, store fail
    table.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
    return table


_TABLE = _translation_table()
_NEWLINES = re.compile(r"\r\n?")
# A capital, a dot and lower-case letters, standing alone as a word: "I.n" (not "U.S.", "e.g.", "J. Smith").
_BROKEN = re.compile(r"(?<![\w.@/:\-])([A-Z])\.([a-z]+)(?![\w.@/:\-])")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# "date 2020-09-27 text" or "date: 2020-09-27\ntext"; other date forms are caught to be refused clearly.
_DATE_LINE = re.compile(
    rf"\A\s*date(?:[ \t]*[:=][ \t]*|[ \t]+)(?P<value>\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH},?[ \t]+\d{{4}}"
    rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
    r"|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:T\S*)?|\d{8})(?=\s|\Z)",
    re.IGNORECASE,
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s")


@dataclass(frozen=True)
class BrokenTokens:
    """Which split tokens ("I.n") to join, read from data/ingest/broken_tokens.yaml."""

    words: frozenset[str]
    keep_suffixes: frozenset[str]


@lru_cache(maxsize=1)
def load_broken_tokens() -> BrokenTokens:
    """Read and check the broken-token lists."""
    path = resources.files("eventcoder.data").joinpath(BROKEN_TOKENS_FILE)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{BROKEN_TOKENS_FILE}: cannot be read as YAML ({exc})") from exc
    if not isinstance(raw, dict) or set(raw) != {"words", "keep_suffixes"}:
        raise DataError(f"{BROKEN_TOKENS_FILE}: needs exactly the keys 'words' and 'keep_suffixes'")
    lists: dict[str, frozenset[str]] = {}
    for key in ("words", "keep_suffixes"):
        items = raw[key]
        if not isinstance(items, list):
            raise DataError(f"{BROKEN_TOKENS_FILE}: '{key}' must be a list of lower-case words")
        for item in items:
            if not isinstance(item, str) or not re.fullmatch(r"[a-z]+", item):
                raise DataError(f"{BROKEN_TOKENS_FILE}: '{key}' entry {item!r} is not a lower-case word "
                                "(quote words YAML reads as booleans, such as \"no\")")
        lists[key] = frozenset(items)
    overlap = lists["words"] & lists["keep_suffixes"]
    if overlap:
        raise DataError(f"{BROKEN_TOKENS_FILE}: {sorted(overlap)} are both joined and kept; keep each in one list")
    return BrokenTokens(lists["words"], lists["keep_suffixes"])


def _at_paragraph_start(text: str, index: int) -> bool:
    """Say whether only blanks and an opening quote stand between a line start and ``index``."""
    if index > 0 and text[index - 1] in "\"'([":
        index -= 1
    while index > 0 and text[index - 1] in " \t":
        index -= 1
    return index == 0 or text[index - 1] == "\n"


def _repair_broken(text: str) -> str:
    """Join tokens split by a stray dot ("I.n the" -> "In the")."""
    if "." not in text:
        return text
    tokens = load_broken_tokens()

    def join(match: re.Match[str]) -> str:
        rest = match.group(2)
        if rest in tokens.keep_suffixes:
            return match.group(0)
        word = match.group(1) + rest
        if word.lower() in tokens.words or _at_paragraph_start(text, match.start()):
            return word
        return match.group(0)

    return _BROKEN.sub(join, text)


def normalise_text(text: str) -> str:
    """Return ``text`` in the form every stage reads.

    Unicode NFC; curly quotes made straight; non-breaking and other odd spaces made plain;
    invisible characters and control characters other than newline and tab removed; CRLF and CR
    made LF; tokens broken by a stray dot repaired; leading and trailing whitespace stripped.

    Example:
        >>> normalise_text("I.n the \u201cHoly\u00a0Fatherland\u201d\r\n")
        'In the "Holy Fatherland"'
    """
    text = _NEWLINES.sub("\n", text)
    for _ in range(3):  # NFC can compose into a character the table maps (U+2000 -> U+2002): repeat to a fixed point
        before, text = text, unicodedata.normalize("NFC", text.translate(_TABLE))
        if text == before:
            break
    return _repair_broken(text).strip()


def document_id(text: str) -> str:
    """Return the content hash of a normalised text (re-ingesting gives the same id)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_date(value: str, origin: str) -> date:
    """Read ``YYYY-MM-DD`` or a full ISO 8601 datetime; anything else is an InputError."""
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        if len(value) > 10 and value[10] in "T ":
            return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    shown = value if len(value) <= 40 else value[:40] + "..."
    if _ISO_DAY.match(value) and not _is_day(value[:10]):  # the right form, an impossible day: say so
        raise InputError(origin, f"{value[:10]} is not a date", "no such day in the calendar")
    raise InputError(origin, f"unknown date format {shown!r}", "use YYYY-MM-DD")


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def split_date_line(text: str, origin: str) -> tuple[date | None, str]:
    """Take a leading ``date YYYY-MM-DD`` (same line as the text or its own) off ``text``."""
    match = _DATE_LINE.match(text)
    if match is None:
        return None, text
    return parse_date(match.group("value"), origin), text[match.end():].lstrip()


def truncate(text: str, limit: int = MAX_CHARS) -> tuple[str, str | None]:
    """Cut ``text`` to ``limit`` chars at a paragraph or sentence end; say what boundary was used."""
    if len(text) <= limit:
        return text, None
    head = text[: limit + 1]
    for boundary, pattern in (("paragraph", _PARAGRAPH_BREAK), ("sentence", _SENTENCE_END)):
        ends = [m.end() for m in pattern.finditer(head, limit // 2) if m.end() <= limit]
        if ends:
            return text[: ends[-1]].rstrip(), boundary
    space = head.rfind(" ", limit // 2)
    return text[: space if space > 0 else limit].rstrip(), "word"


def parse_text_document(
    text: str,
    origin: str = "<text>",
    published: date | None = None,
    publisher: str | None = None,
    url: str | None = None,
    title: str | None = None,
    date_source: DateSource | None = None,
    notices: list[str] | None = None,
) -> Document:
    """Make a Document from a text, reading a leading ``date YYYY-MM-DD`` line when present.

    Args:
        text: the article; may begin with ``date YYYY-MM-DD`` (the corpus form).
        origin: the path or stream it came from, for messages.
        published: the date when the text has no date line.
        date_source: where ``published`` came from (``"option"`` when not said).
        notices: a list to append a notice to when the text is truncated.

    Returns:
        The Document, its id the sha1 of the normalised text.

    Example:
        >>> parse_text_document("date 2020-09-27 I.n the region ...").published
        datetime.date(2020, 9, 27)
    """
    text = normalise_text(text)
    text_date, text = split_date_line(text, origin)
    if text_date is not None:
        text = _repair_broken(text)  # the first word now starts a paragraph
    if not text:
        problem = "no text after the date line" if text_date else "empty text"
        raise InputError(origin, problem, "nothing to code")
    if len(text) > MAX_CHARS:
        size = len(text)
        text, boundary = truncate(text)
        if notices is not None:
            notices.append(f"{origin}: text is {size:,} characters, over MAX_CHARS={MAX_CHARS:,}; "
                           f"cut at a {boundary} boundary to {len(text):,}; split it to code the rest")
    source: DateSource = "none"
    if text_date is not None:
        published, source = text_date, "text"
    elif published is not None:
        source = date_source or "option"
    return Document(id=document_id(text), text=text, published=published, date_source=source,
                    publisher=clean_field(publisher), url=clean_field(url), title=clean_field(title),
                    origin=clean_field(origin))


def clean_field(value: str | None) -> str | None:
    """Normalise a short field (title, publisher, url, origin) as text is; ``None`` when nothing is left."""
    if value is None:
        return None
    return normalise_text(value) or None
