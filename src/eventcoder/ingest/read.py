"""Read documents from files, folders and stdin: dated text, plain text, JSONL, HTML, RSS/Atom."""

from __future__ import annotations

import html as html_entities
import importlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from eventcoder.errors import InputError
from eventcoder.ingest.decode import (
    MAX_FILE_BYTES,
    SNIFF_BYTES,
    decode,
    looks_binary,
    read_limited,
    stream_too_big,
    too_big,
)
from eventcoder.ingest.text import parse_date, parse_text_document
from eventcoder.model import DateSource, Document

Format = Literal["auto", "text", "jsonl", "html", "feed"]
OnError = Literal["raise", "skip"]
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

EXTENSIONS: dict[str, Format] = {
    ".txt": "text", ".text": "text", "": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".html": "html", ".htm": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_JSONL_FIELDS = {"text", "date", "published", "title", "url", "source", "publisher", "id", "place"}
_TAG = re.compile(r"<[^>]*>")


@dataclass
class IngestReport:
    """What reading found: the inputs refused, the notices, and how many documents came out."""

    problems: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    n_documents: int = 0


@dataclass(frozen=True)
class InputSource:
    """One input to read: a file (``path``) or stdin (``path`` None), and its format."""

    origin: str
    path: Path | None
    fmt: Format


def read_documents(
    paths: Sequence[str],
    fmt: Format = "auto",
    default_date: date | None = None,
    on_error: OnError = "skip",
    report: IngestReport | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Document]:
    """Yield the documents in ``paths`` (files, folders, ``-`` for stdin), in a stable order.

    Folders are read recursively in sorted order, hidden files and folders skipped; in a folder
    with ``fmt="auto"`` only known extensions (.txt, .jsonl, .ndjson, .html, .htm, .xml, .rss,
    .atom, none) are read. A document's date is its own (the ``date`` line, JSONL field, HTML or
    feed metadata), else ``default_date``, else, for a file, its modification date with a notice.
    The same text twice is yielded once.

    Args:
        paths: files, folders, or ``-`` for stdin.
        fmt: ``auto`` picks by extension (stdin: by its first character).
        default_date: the date for documents that have none.
        on_error: ``skip`` lists each problem in ``report`` and goes on; ``raise`` raises the first.
        report: collects problems, notices and the document count.
        stdin: the stream read for ``-`` (default ``sys.stdin``).

    Example:
        >>> report = IngestReport()
        >>> docs = list(read_documents(["corpus"], report=report))
    """
    report = report if report is not None else IngestReport()
    seen: dict[str, str] = {}
    for source in input_sources(paths, fmt, on_error, report):
        try:
            records = list(_read_source(source, stdin, default_date, on_error, report))
        except InputError as exc:
            if on_error == "raise":
                raise
            report.problems.append(exc)
            continue
        for document in records:
            if document.id in seen:
                report.notices.append(f"{document.origin}: same text as {seen[document.id]}; read once")
                continue
            seen[document.id] = document.origin or ""
            report.n_documents += 1
            yield document


def input_sources(paths: Sequence[str], fmt: Format, on_error: OnError, report: IngestReport) -> Iterator[InputSource]:
    """List the inputs named by ``paths``, folders expanded; missing paths are problems."""
    for name in paths:
        if name == STDIN:
            yield InputSource(STDIN_ORIGIN, None, fmt)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _folder_sources(path, fmt, report)
        elif path.is_file():
            yield _file_source(path, fmt)
        else:
            problem = InputError(name, "no such file or folder", "check the path")
            if on_error == "raise":
                raise problem
            report.problems.append(problem)


def _folder_sources(folder: Path, fmt: Format, report: IngestReport) -> Iterator[InputSource]:
    """List a folder's files recursively in sorted order, skipping hidden ones."""
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).parts)
    other = 0
    for path in files:
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if fmt == "auto" and path.suffix.lower() not in EXTENSIONS:
            other += 1
            continue
        yield _file_source(path, fmt)
    if other:
        report.notices.append(f"{folder}: skipped {other} file(s) with other extensions; name them to read them")


def _file_source(path: Path, fmt: Format) -> InputSource:
    chosen = EXTENSIONS.get(path.suffix.lower(), "text") if fmt == "auto" else fmt
    return InputSource(str(path), path, chosen)


def _unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(str(path), f"cannot be read: {exc.strerror or exc}", "check its permissions")


def _read_file(path: Path) -> bytes:
    """Read a file whole, refusing one over MAX_FILE_BYTES before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_big(str(path), size)
        with path.open("rb") as stream:
            return read_limited(stream, str(path))
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _file_lines(path: Path) -> Iterator[bytes]:
    """Yield a file's lines one at a time; a line over MAX_FILE_BYTES comes back empty-handed."""
    try:
        with path.open("rb") as stream:
            if looks_binary(stream.read(SNIFF_BYTES)):
                raise InputError(str(path), "binary file, not JSONL", "pass one JSON object a line, UTF-8")
            stream.seek(0)
            while line := stream.readline(MAX_FILE_BYTES + 1):
                if len(line) > MAX_FILE_BYTES and not line.endswith(b"\n"):
                    while (rest := stream.readline(MAX_FILE_BYTES)) and not rest.endswith(b"\n"):
                        pass
                    yield b""  # a marker: the caller reports the line as too long
                    continue
                yield line
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _read_stdin(stdin: TextIO | BinaryIO | None) -> bytes:
    stream: Any = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except UnicodeDecodeError as exc:
        raise InputError(STDIN_ORIGIN, f"not valid UTF-8 at byte {exc.start}",
                         "convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8") from exc
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > MAX_FILE_BYTES:
        raise stream_too_big(STDIN_ORIGIN, "standard input")
    return bytes(data)


def _file_date(origin: str) -> date | None:
    try:
        return datetime.fromtimestamp(Path(origin).stat().st_mtime, tz=UTC).date()
    except (OSError, ValueError, OverflowError):
        return None


def _read_source(source: InputSource, stdin: TextIO | BinaryIO | None, default_date: date | None,
                 on_error: OnError, report: IngestReport) -> Iterator[Document]:
    if source.path is not None and source.fmt == "jsonl":
        yield from _read_jsonl(_file_lines(source.path), source.origin, default_date, on_error, report)
        return
    data = _read_file(source.path) if source.path is not None else _read_stdin(stdin)
    fmt = source.fmt if source.fmt != "auto" else _sniff(data)
    if fmt == "jsonl":
        if looks_binary(data):
            raise InputError(source.origin, "binary input, not JSONL", "pass one JSON object a line, UTF-8")
        yield from _read_jsonl(data.splitlines(keepends=True), source.origin, default_date, on_error, report)
        return
    if not data.strip():
        raise InputError(source.origin, "empty file" if source.path else "empty input", "nothing to code")
    text = decode(data, source.origin, report.notices)
    if fmt == "html":
        yield _read_html(text, source, default_date, report)
    elif fmt == "feed":
        yield from _read_feed(data, source.origin, default_date, report)
    else:
        yield _read_text(text, source, default_date, report)


def _sniff(data: bytes) -> Format:
    """Pick the format of stdin from its first character."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        return "feed"
    return "html" if head.startswith(b"<") else "text"


def _fallback_date(origin: str, default_date: date | None, report: IngestReport) -> tuple[date, DateSource]:
    """Return ``default_date``, else the file's mtime with a notice; stdin with neither is an error."""
    if default_date is not None:
        return default_date, "option"
    mtime = _file_date(origin) if origin != STDIN_ORIGIN else None
    if mtime is None:
        raise InputError(origin, "no date", "begin the text with 'date YYYY-MM-DD' or pass --date")
    report.notices.append(f"{origin}: no date in file; using file date {mtime.isoformat()} (mtime); pass --date")
    return mtime, "file"


def _read_text(text: str, source: InputSource, default_date: date | None, report: IngestReport) -> Document:
    document = parse_text_document(text, origin=source.origin, notices=report.notices)
    if document.published is not None:
        return document
    published, date_source = _fallback_date(source.origin, default_date, report)
    return replace(document, published=published, date_source=date_source)


def _read_html(html: str, source: InputSource, default_date: date | None, report: IngestReport) -> Document:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception as exc:  # trafilatura and lxml raise many kinds on bad markup
        raise InputError(source.origin, f"HTML cannot be parsed ({type(exc).__name__})", "check the file") from exc
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError(source.origin, "no main text found in the HTML", "pass the article page, or its text")
    title, sitename, url = (_meta(extracted, key) for key in ("title", "sitename", "url"))
    meta_date = _meta(extracted, "date")
    published: date | None = None
    date_source: DateSource = "none"
    if meta_date:
        try:
            published, date_source = parse_date(meta_date, source.origin), "text"
        except InputError:
            report.notices.append(f"{source.origin}: ignored the page's date {meta_date!r}")
    document = parse_text_document(text, origin=source.origin, published=published, publisher=sitename,
                                   url=url, title=title, date_source=date_source, notices=report.notices)
    if document.published is None:
        fallback, fallback_source = _fallback_date(source.origin, default_date, report)
        document = replace(document, published=fallback, date_source=fallback_source)
    return document


def _meta(extracted: Any, key: str) -> str | None:
    value = getattr(extracted, key, None)
    return value if isinstance(value, str) and value.strip() else None


def _read_jsonl(lines: Iterable[bytes], origin: str, default_date: date | None, on_error: OnError,
                report: IngestReport) -> Iterator[Document]:
    """Yield one document a JSONL line; a bad line is a problem named ``path:line``."""
    empty = True
    for number, raw in enumerate(lines, 1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw and not raw.strip():
            continue
        empty = False
        where = f"{origin}:{number}"
        try:
            if not raw:
                raise InputError(where, f"line over the MAX_FILE_BYTES limit of {MAX_FILE_BYTES / 2**20:g} MB",
                                 "split the article")
            yield _jsonl_document(raw, where, number, default_date, report)
        except InputError as exc:
            if on_error == "raise":
                raise
            report.problems.append(exc)
    if empty:
        raise InputError(origin, "empty file", "nothing to code")


def _jsonl_document(raw: bytes, where: str, number: int, default_date: date | None,
                    report: IngestReport) -> Document:
    try:
        record = json.loads(raw.decode("utf-8").strip())
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not valid UTF-8 at byte {exc.start} of the line",
                         "convert the file, e.g. iconv -f WINDOWS-1252 -t UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON: {exc.msg} at line {number}, column {exc.colno}",
                         "write one JSON object a line") from exc
    except RecursionError as exc:
        raise InputError(where, "not valid JSON: nested too deep", "write one flat JSON object a line") from exc
    if not isinstance(record, dict):
        raise InputError(where, f"a JSON {type(record).__name__}, not an object",
                         'write {"date": "YYYY-MM-DD", "text": "..."}')
    strings = {key: _string_field(record, key, where) for key in _JSONL_FIELDS}
    if not strings["text"] or not strings["text"].strip():
        raise InputError(where, "no text", 'give the article in a "text" field')
    raw_date = strings["date"] or strings["published"]
    published: date | None = parse_date(raw_date, where) if raw_date else None
    document = parse_text_document(
        strings["text"], origin=where, published=published, publisher=strings["source"] or strings["publisher"],
        url=strings["url"], title=strings["title"], date_source="jsonl", notices=report.notices)
    if strings["place"] and strings["place"].strip():
        document = replace(document, place=strings["place"].strip())
    if document.published is None:
        if default_date is None:
            raise InputError(where, "no date", 'add "date": "YYYY-MM-DD" or pass --date')
        document = replace(document, published=default_date, date_source="option")
    return document


def _string_field(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(where, f"field {key!r} is a JSON {type(value).__name__}, not a string", "write it as a string")


def refuse_xml_entities(data: bytes, origin: str) -> None:
    """Refuse XML that declares entities (billion laughs, external files or URLs), checked with defusedxml.

    XML that is merely malformed passes: feedparser's lenient reader handles it and expands no
    declared entity.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(origin, f"the feed declares XML entities ({type(exc).__name__}); refused",
                         "entity expansion and external entities are never read; remove the DOCTYPE") from exc
    except (SyntaxError, ValueError, LookupError):  # ParseError is a SyntaxError; bad declared encodings
        return


def _read_feed(data: bytes, origin: str, default_date: date | None, report: IngestReport) -> Iterator[Document]:
    """Yield one document a dated RSS/Atom entry (its content, else its summary, tags removed)."""
    refuse_xml_entities(data, origin)
    try:
        feedparser = importlib.import_module("feedparser")  # optional: not every install reads feeds
    except ImportError as exc:
        raise InputError(origin, "reading RSS/Atom needs the feedparser package",
                         "pip install feedparser, or pass --format html/text") from exc
    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser's lenient reader raises many kinds on hostile markup (e.g. "&#xD800;")
        raise InputError(origin, f"RSS/Atom cannot be parsed ({type(exc).__name__})", "check the file") from exc
    if not feed.entries:
        raise InputError(origin, "no entries in the feed" if not feed.bozo else "not a readable RSS/Atom feed",
                         "pass an RSS or Atom file")
    publisher = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, 1):
        where = f"{origin}:{number}"
        contents = entry.get("content") or []
        html = (contents[0].get("value") if contents else None) or entry.get("summary") or ""
        text = html_entities.unescape(_TAG.sub(" ", html))
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = date(when.tm_year, when.tm_mon, when.tm_mday) if when else default_date
        if published is None:
            report.notices.append(f"{where}: entry has no date; skipped (pass --date to keep it)")
            continue
        if not text.strip():
            report.notices.append(f"{where}: entry has no text; skipped")
            continue
        outlet = (entry.get("source") or {}).get("title") or publisher  # an aggregator names each item's outlet
        yield parse_text_document(text, origin=where, published=published, publisher=outlet,
                                  url=entry.get("link"), title=entry.get("title"),
                                  date_source="text" if when else "option", notices=report.notices)
