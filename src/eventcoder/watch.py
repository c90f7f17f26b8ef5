"""Watch a folder or RSS/Atom feeds and code each new item exactly once, across restarts.

What was seen is kept in a small SQLite state file. An item is marked seen only after its
records are stored; storing replaces by document id, so a crash between the two re-codes the
item on restart without doubling anything.

A file in a watched folder is coded once it is complete: once its modification time is ``settle``
seconds old (any write moves it, so a file still being written waits for a later pass; writing it
elsewhere and renaming it into the folder also works). A file changed after it was coded is coded
again and *replaces* its earlier version: the documents stored from the file's earlier content are
removed from the store (unless another file still holds that content). So watching a folder and
coding the final folder in one batch give the same store.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eventcoder import __version__
from eventcoder.batch import code_documents
from eventcoder.errors import EventcoderError, InputError
from eventcoder.ingest import IngestReport, parse_text_document, read_documents
from eventcoder.ingest.decode import MAX_FILE_BYTES
from eventcoder.ingest.future import not_future
from eventcoder.ingest.read import refuse_xml_entities
from eventcoder.model import Document
from eventcoder.pipeline import CodedDocument, Pipeline

MAX_BACKOFF_S = 300.0


@dataclass
class WatchStats:
    """What one pass (or a whole watch) did."""

    coded: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)


class SeenState:
    """The keys of items already coded, in an SQLite file that survives restarts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = sqlite3.connect(self.path)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, source TEXT, seen_at TEXT)")
        self._conn.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, doc_ids TEXT)")
        self._conn.commit()

    def replace_file(self, path: str, doc_ids: list[str]) -> list[str]:
        """Record the documents now stored from ``path``; return the earlier ones no file holds any more."""
        row = self._conn.execute("SELECT doc_ids FROM files WHERE path = ?", (path,)).fetchone()
        self._conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (path, " ".join(doc_ids)))
        self._conn.commit()
        earlier = [d for d in (row[0].split() if row else []) if d not in doc_ids]
        held = {d for (ids,) in self._conn.execute("SELECT doc_ids FROM files") for d in ids.split()}
        return [d for d in earlier if d not in held]

    def __contains__(self, key: str) -> bool:
        return self._conn.execute("SELECT 1 FROM seen WHERE key = ?", (key,)).fetchone() is not None

    def add(self, key: str, source: str) -> None:
        """Mark an item seen (committed at once)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._conn.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (key, source, now))
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class Item:
    """One thing to code: a file in the folder or an entry of a feed."""

    key: str
    source: str
    load: Callable[[], list[Document]]
    path: str | None = None  # a folder's file: coding it replaces what its earlier content stored


Sink = Callable[[CodedDocument], None]
Forget = Callable[[str], None]


def folder_items(folder: Path, default_date: date | None, report: IngestReport, settle: float = 0.0,
                 now: Callable[[], float] = time.time) -> Iterator[Item]:
    """List the folder's settled files (sorted); a file's key is its path and content hash.

    A file modified less than ``settle`` seconds ago may still be being written: it is left for a later pass.
    """
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        if now() - path.stat().st_mtime < settle:
            report.notices.append(f"{path}: modified under {settle:g} s ago (may still be being written); "
                                  "left for a later pass")
            continue
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        key = f"file:{path.relative_to(folder)}:{digest}"

        def load(path: Path = path) -> list[Document]:
            return list(read_documents([str(path)], default_date=default_date, on_error="skip", report=report))

        yield Item(key, str(path), load, str(path.resolve()))


def feed_items(url: str, default_date: date | None) -> Iterator[Item]:
    """List a feed's entries; each is coded from its page's main text, else its summary."""
    import feedparser

    data = fetch(url)
    refuse_xml_entities(data, url)
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise InputError(url, f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})")
    publisher = feed.feed.get("title")
    for entry in feed.entries:
        link = entry.get("link")
        key = f"feed:{entry.get('id') or link or entry.get('title')}"

        def load(entry: Any = entry, link: str | None = link) -> list[Document]:
            text = _page_text(link) if link else None
            text = text or _strip_html(entry.get("summary") or entry.get("description") or "")
            published = _entry_date(entry) or default_date
            origin = link or url
            return [parse_text_document(text, origin=origin, published=published, publisher=publisher,
                                        url=link, title=entry.get("title"))]

        yield Item(key, url, load)


def fetch(url: str, limit: int = MAX_FILE_BYTES, timeout: float = 30.0) -> bytes:
    """Download an http(s) URL the user asked to watch; raise ``InputError`` naming it when that fails."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise InputError(url, "only http:// and https:// feeds and pages are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": f"eventcoder/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data: bytes = answer.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise InputError(url, f"cannot fetch ({exc})", "retried on the next pass") from exc
    if len(data) > limit:
        raise InputError(url, f"over {limit} bytes; not read")
    return data


def _page_text(link: str) -> str | None:
    """Return a linked page's main text (trafilatura extracts it; nothing in the page is fetched or run)."""
    import trafilatura

    try:
        html = fetch(link)
    except InputError:
        return None
    text: str | None = trafilatura.extract(html.decode("utf-8", errors="replace"))
    return text


def _strip_html(html: str) -> str:
    import trafilatura

    if "<" not in html:
        return html
    text: str | None = trafilatura.extract(f"<html><body><p>{html}</p></body></html>")
    return text or ""


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def watch_pass(items: Iterable[Item], state: SeenState, pipeline: Pipeline, sink: Sink,
               progress: bool = False, label: str = "", forget: Forget | None = None,
               allow_future: bool = False) -> WatchStats:
    """Code every item not seen before, then mark it seen; with ``progress``, a bar (count, rate, ETA) on stderr.

    With ``forget`` (e.g. ``Store.forget``), the documents a changed file stored before are removed.
    Items dated more than a day ahead are skipped (marked seen) unless ``allow_future``.
    """
    from tqdm import tqdm

    stats = WatchStats()
    new = list({item.key: item for item in items if item.key not in state}.values())  # a feed may repeat an entry
    for item in tqdm(new, desc=label or "new items", unit="item", leave=False, disable=not progress or not new):
        future: list[InputError] = []
        documents = list(not_future(item.load(), future, allow_future))
        stats.skipped += [str(problem) for problem in future]
        for outcome in code_documents(pipeline, documents):
            if isinstance(outcome, CodedDocument):
                sink(outcome)
                stats.coded += 1
                stats.events += len(outcome.events)
            else:
                stats.skipped.append(f"{outcome.origin}: {outcome.message}")
        if item.path is not None and forget is not None:
            for doc_id in state.replace_file(item.path, [d.id for d in documents]):
                forget(doc_id)
        state.add(item.key, item.source)
    return stats


def watch(sources: list[str], state: SeenState, pipeline: Pipeline, sink: Sink, *, interval: float = 60.0,
          once: bool = False, default_date: date | None = None, log: Callable[[str], None] = print,
          sleep: Callable[[float], None] = time.sleep, progress: bool = False, settle: float = 0.0,
          forget: Forget | None = None, allow_future: bool = False,
          places: dict[str, str] | None = None) -> WatchStats:
    """Watch folders and feed URLs; code new items; back off on errors; stop after one pass if ``once``.

    Folder files are coded once ``settle`` seconds old; a changed file's earlier documents go to ``forget``.
    ``places`` gives a source's outlet place (a local paper's town), set on its documents that give none.
    """
    total = WatchStats()
    backoff = {source: 0.0 for source in sources}
    while True:
        for source in sources:
            report = IngestReport()
            try:
                items = (folder_items(Path(source), default_date, report, settle) if _is_folder(source)
                         else feed_items(source, default_date))
                if places and source in places:
                    items = with_place(items, places[source])
                stats = watch_pass(items, state, pipeline, sink, progress=progress, label=source, forget=forget,
                                   allow_future=allow_future)
            except (EventcoderError, OSError) as exc:
                backoff[source] = min(max(backoff[source] * 2, interval), MAX_BACKOFF_S)
                log(f"{source}: {exc}; retrying in {backoff[source]:.0f} s")
                continue
            backoff[source] = 0.0
            for notice in report.notices:
                log(notice)
            stats.skipped += [str(problem) for problem in report.problems]
            total.coded += stats.coded
            total.events += stats.events
            total.skipped += stats.skipped
            if stats.coded or stats.skipped:
                log(f"{source}: coded {stats.coded} item(s), {stats.events} event(s), skipped {len(stats.skipped)}")
        if once:
            return total
        sleep(max([interval, *backoff.values()]))


def with_place(items: Iterable[Item], place: str) -> Iterator[Item]:
    """Give the documents of ``items`` that name no outlet place this one."""
    for item in items:
        def load(item: Item = item) -> list[Document]:
            return [d if d.place else replace(d, place=place) for d in item.load()]

        yield replace(item, load=load)


def _is_folder(source: str) -> bool:
    if source.startswith(("http://", "https://", "file://")):
        return False
    if not Path(source).is_dir():
        raise InputError(source, "no such folder (give a folder or an http(s) feed URL)")
    return True
