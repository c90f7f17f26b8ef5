"""Hostile input: XML entities refused, HTML never fetched or run, huge texts cut with a notice, odd bytes read."""

from __future__ import annotations

import http.server
import io
import json
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventcoder.batch import code_paths
from eventcoder.ingest import MAX_CHARS, IngestReport, read_documents
from reliability_batch import LightPipeline

SECRET = "TOPSECRET-4b1d"


@pytest.fixture(scope="module")
def hits() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request; yields its URL and the paths asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(SECRET.encode())

        def log_message(self, *_args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


@pytest.fixture
def outbound() -> Iterator[list[str]]:
    """Record network connections and processes started by this process while the test runs."""
    seen: list[str] = []
    active = threading.Event()
    active.set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if active.is_set() and event in ("socket.connect", "subprocess.Popen", "os.system", "os.exec",
                                         "os.posix_spawn", "urllib.Request"):
            seen.append(f"{event} {args[:2]}")

    sys.addaudithook(hook)  # hooks cannot be removed: this one goes quiet after the test
    yield seen
    active.clear()


def _read(path: Path, **options: Any) -> tuple[list[Any], IngestReport]:
    report = IngestReport()
    return list(read_documents([str(path)], report=report, **options)), report


LAUGHS = "\n".join([
    '<?xml version="1.0"?>', "<!DOCTYPE rss [", ' <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">',
    *(f' <!ENTITY {n} "{("&" + p + ";") * 20}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)), "]>"])


@pytest.mark.parametrize("doctype", [
    LAUGHS,
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret_file}">]>',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/xxe">]>',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>',
])
def test_security_feed_entities_are_refused(tmp_path: Path, hits: tuple[str, list[str]], outbound: list[str],
                                            doctype: str) -> None:
    url, asked = hits
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    entity = "&i;" if doctype == LAUGHS else "&x;"
    feed = (doctype.format(secret_file=secret_file, url=url) +
            '<rss version="2.0"><channel><title>Wire</title><item><title>t</title>'
            f"<pubDate>Sun, 27 Sep 2020 10:00:00 GMT</pubDate><description>Russia shelled Ganja. {entity}"
            "</description></item></channel></rss>")
    path = tmp_path / "feed.xml"
    path.write_text(feed)
    asked.clear()
    documents, report = _read(path)
    assert documents == []
    [problem] = report.problems
    assert "declares XML entities" in str(problem)
    assert asked == [] and outbound == []


def test_security_feed_without_entities_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>t</title>'
                    "<pubDate>Sun, 27 Sep 2020 10:00:00 GMT</pubDate><description>Russia shelled Ganja &amp; "
                    "Barda.&nbsp;</description></item></channel></rss>")
    [document], _ = _read(path)
    assert document.text.startswith("Russia shelled Ganja & Barda.") and document.published == date(2020, 9, 27)


def test_security_html_is_never_fetched_or_run(tmp_path: Path, hits: tuple[str, list[str]],
                                               outbound: list[str]) -> None:
    url, asked = hits
    page = f"""<!DOCTYPE html [<!ENTITY x SYSTEM "file://{tmp_path}/secret.txt">]>
<html><head><title>Shelling</title><base href="{url}/base/">
<meta http-equiv="refresh" content="0; url={url}/refresh"><link rel="stylesheet" href="{url}/style.css">
<script src="{url}/remote.js"></script><script>document.write("INJECTED-SCRIPT"); fetch("{url}/js")</script>
<style>@import url("{url}/import.css"); body {{ background: url("{url}/bg.png") }}</style></head>
<body onload="fetch('{url}/onload')"><article><h1>Shelling of Ganja</h1>
<p>The Defence Ministry of Azerbaijan said on Sunday that Armenian forces shelled the city of Ganja overnight.</p>
<p>Officials said several houses were damaged and two civilians were injured in the attack. &x;</p>
<img src="{url}/pixel.gif"><iframe src="{url}/frame"></iframe><object data="{url}/object"></object>
<svg><image href="{url}/svg.png"/></svg><video src="{url}/video.mp4"></video>
<p>Armenia denied the reports and said its forces had not fired on civilian areas in Azerbaijan.</p>
</article></body></html>"""
    (tmp_path / "secret.txt").write_text(SECRET)
    path = tmp_path / "page.html"
    path.write_text(page)
    asked.clear()
    [document], _ = _read(path, default_date=date(2020, 9, 27))
    assert "shelled the city of Ganja" in document.text
    for injected in ("INJECTED-SCRIPT", "fetch(", SECRET, "@import"):
        assert injected not in document.text
    assert asked == [] and outbound == []


def test_security_huge_texts_are_cut_at_max_chars_with_a_notice(tmp_path: Path) -> None:
    sentence = "Armenia shelled Ganja on Sunday, the ministry said. "
    huge = sentence * (MAX_CHARS // len(sentence) + 200)
    (tmp_path / "huge.jsonl").write_text(json.dumps({"date": "2020-09-27", "text": huge}) + "\n")
    (tmp_path / "huge.txt").write_text("date 2020-09-27\n" + huge)
    (tmp_path / "huge.html").write_text(f"<html><body><article><p>{huge}</p></article></body></html>")
    report = IngestReport()
    documents = list(read_documents([str(tmp_path)], report=report, default_date=date(2020, 9, 27)))
    assert len(documents) == 1  # the same text in three forms is read once
    assert huge.startswith(documents[0].text) and MAX_CHARS // 2 < len(documents[0].text) <= MAX_CHARS
    cut = [n for n in report.notices if "over MAX_CHARS=1,000,000; cut at a sentence boundary" in n]
    assert len(cut) == 3, report.notices


def test_security_batch_reads_control_characters_and_mixed_encodings(tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite")
    tmp_path = tmp_path / "inputs"
    tmp_path.mkdir()
    (tmp_path / "controls.txt").write_bytes(b"date 2020-09-27\nArmenia shelled\x07\x1b[31m Ganja\x7f.\r\n"
                                            + "Russia\u2028met \u200bTurkey\x0b.".encode())
    (tmp_path / "cp1252.txt").write_bytes(b"date 2020-09-27\nFrance met Russia in \x93Moscow\x94 \x96 caf\xe9.")
    (tmp_path / "mixed.txt").write_bytes("date 2020-09-27\nTurkey met Russia in Bak\u00fc.".encode() + b" caf\xe9.")
    (tmp_path / "utf16.txt").write_bytes("date 2020-09-27\nArmenia shelled Stepanakert.".encode("utf-16"))
    (tmp_path / "latin_mostly.txt").write_bytes(b"date 2020-09-27\n" + bytes(range(0xa0, 0x100)) * 4)
    (tmp_path / "lines.jsonl").write_bytes(
        b'{"date": "2020-09-27", "text": "Armenia shelled Ganja \\ud800 at night.", "source": "\\udfff\\u0000"}\n'
        b'{"date": "2020-09-27", "text": "Russia met \\u202eTurkey\\u0000."}\n'
        b"\xff\xfe{not json}\n")
    out = io.StringIO()
    result = code_paths([str(tmp_path)], out, db=db, pipeline=LightPipeline())
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result.n_documents == 6
    assert [str(p).removeprefix(str(tmp_path)) for p in result.problems] == [
        "/latin_mostly.txt: not valid UTF-8 at byte 16 (convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8)",
        "/lines.jsonl:3: not valid UTF-8 at byte 0 of the line (convert the file, e.g. iconv -f WINDOWS-1252 -t UTF-8)"]
    # a file mixing UTF-8 and Windows-1252 is read as Windows-1252, and the notice says so
    assert [n.split(": ")[0].removeprefix(str(tmp_path)) for n in result.notices] == ["/cp1252.txt", "/mixed.txt"]
    for record in records:
        text = json.dumps(record, ensure_ascii=False)
        assert not any(ch in text for ch in "\x00\x07\x0b\x1b\x7f\u200b\u202e") and "\ud800" not in text
    assert {r["evidence"]["trigger"] for r in records} >= {"shelled", "met"}


@pytest.mark.parametrize("reference", ["&#xD800;", "&#55296;", "&#x110000;", "&#99999999999999999999;"])
def test_security_feed_with_an_impossible_character_reference_is_one_problem(tmp_path: Path, reference: str) -> None:
    # found by test_fuzz_ingest.py: feedparser's lenient reader raised UnicodeEncodeError and stopped the batch
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>t</title>'
                    f"<pubDate>Sun, 27 Sep 2020 10:00:00 GMT</pubDate><description>Ganja {reference}"
                    "</description></item></channel></rss>")
    (tmp_path / "next.txt").write_text("date 2020-09-27\nArmenia shelled Ganja.")
    report = IngestReport()
    documents = list(read_documents([str(tmp_path)], report=report))
    assert documents[-1].text == "Armenia shelled Ganja."
    assert len(documents) + len(report.problems) == 2
    for document in documents:
        document.text.encode("utf-8")
