"""Watching: a folder and a loopback feed, each new item coded exactly once across a restart."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CORPUS
from eventcoder.ingest import IngestReport
from eventcoder.pipeline import CodedDocument
from eventcoder.store import Store
from eventcoder.watch import SeenState, folder_items, watch, watch_pass

ARTICLE = "Police arrested dozens of protesters in Minsk on Monday, the interior ministry said."


def _run_once(sources: list[str], state_path: Path, db: Path, pipeline) -> list[str]:  # type: ignore[no-untyped-def]
    """Watch one pass as a fresh process would (new state and store handles); return coded doc ids."""
    coded: list[str] = []
    store = Store.open(str(db))
    state = SeenState(state_path)

    def sink(item: CodedDocument) -> None:
        store.save(item.document, item.events)
        coded.append(item.document.id)

    watch(sources, state, pipeline, sink, once=True, log=lambda _line: None)
    state.close()
    store.close()
    return coded


def test_watch_folder_codes_each_new_file_once_across_restart(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    samples = sorted(CORPUS.glob("*.txt"))[:2]
    shutil.copy(samples[0], inbox)
    state, db = tmp_path / "state.sqlite", tmp_path / "db.sqlite"
    assert len(_run_once([str(inbox)], state, db, pipeline)) == 1
    shutil.copy(samples[1], inbox)
    assert len(_run_once([str(inbox)], state, db, pipeline)) == 1  # a restart: only the new file
    assert _run_once([str(inbox)], state, db, pipeline) == []
    assert Store.open(str(db)).summary().documents == 2


@pytest.fixture()
def feed_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Serve a folder on 127.0.0.1; yield the base URL and the folder."""
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined, method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()


def _write_feed(site: Path, base: str, n_items: int) -> None:
    items = []
    for number in range(n_items):
        page = site / f"story{number}.html"
        page.write_text(f"<html><head><title>Story {number}</title></head><body><article><h1>Story {number}</h1>"
                        f"<p>{ARTICLE} Story number {number} followed.</p></article></body></html>", "utf-8")
        items.append(f"<item><title>Story {number}</title><link>{base}/story{number}.html</link>"
                     f"<guid>story-{number}</guid><pubDate>Mon, 0{number + 1} Mar 2021 10:00:00 GMT</pubDate>"
                     f"<description>{ARTICLE}</description></item>")
    (site / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>'
        f"<link>{base}</link><description>test</description>{''.join(items)}</channel></rss>", "utf-8")


def test_watch_feed_codes_each_new_item_once_across_restart(pipeline, feed_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, site = feed_server
    state, db = tmp_path / "state.sqlite", tmp_path / "db.sqlite"
    _write_feed(site, base, 1)
    assert len(_run_once([f"{base}/feed.xml"], state, db, pipeline)) == 1
    _write_feed(site, base, 3)
    assert len(_run_once([f"{base}/feed.xml"], state, db, pipeline)) == 2
    assert _run_once([f"{base}/feed.xml"], state, db, pipeline) == []
    records = list(Store.open(str(db)).records())
    assert {r["publisher"] for r in records} <= {"Loopback Wire"}
    assert {r["published"] for r in records} >= {"2021-03-01"}


def test_watch_bad_source_backs_off_and_goes_on(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[0], inbox)
    lines: list[str] = []
    state = SeenState(tmp_path / "state.sqlite")
    coded: list[CodedDocument] = []
    stats = watch([str(tmp_path / "missing"), str(inbox)], state, pipeline, coded.append, once=True,
                  log=lines.append)
    assert stats.coded == 1
    assert any("missing" in line and "retrying" in line for line in lines)


def test_watch_feed_with_xml_entities_is_refused(pipeline, feed_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, site = feed_server
    (site / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<rss version="2.0"><channel><title>&lol2;</title><item><title>x</title><description>&lol2;</description>'
        "</item></channel></rss>", "utf-8")
    lines: list[str] = []
    coded: list[CodedDocument] = []
    stats = watch([f"{base}/bomb.xml"], SeenState(tmp_path / "state.sqlite"), pipeline, coded.append, once=True,
                  log=lines.append)
    assert stats.coded == 0 and coded == []
    assert any("bomb.xml" in line and "entities" in line for line in lines)


def test_watch_pass_shows_a_bar_with_rate_when_asked(  # type: ignore[no-untyped-def]
        pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:2]:
        shutil.copy(path, inbox)
    coded: list[CodedDocument] = []
    items = folder_items(inbox, None, IngestReport())
    stats = watch_pass(items, SeenState(tmp_path / "state.sqlite"), pipeline, coded.append, progress=True,
                       label="inbox")
    err = capsys.readouterr().err
    # tqdm writes the rate as "item/s", or "s/item" when an item takes over a second (a busy machine), and
    # may clear the bar before drawing its last step: the total is what is sure to be shown
    assert stats.coded == 2 and "inbox" in err and "/2 [" in err and ("item/s" in err or "s/item" in err)
