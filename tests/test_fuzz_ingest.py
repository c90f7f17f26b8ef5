"""Structured property tests for the formats random bytes rarely reach: RSS/Atom feeds and HTML pages.

(tests/test_ingest_hypothesis.py throws arbitrary bytes, text and JSON at every reader; these build
well-formed-looking feeds and pages with hostile fields, so the parsers get past the first byte.)
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.errors import InputError
from eventcoder.ingest import IngestReport, normalise_text, read_documents

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NASTY = st.sampled_from(["", " ", "&amp;", "&nbsp;", "&#0;", "&#xD800;", "&#x202e;", "<b>", "</p>", "]]>", "<!--",
                         "\x00", "\x1b[31m", "\u202e", "\ufeff", "\ud800", "javascript:alert(1)", "<script>x</script>",
                         "Armenia shelled Ganja.", "Sun, 27 Sep 2020 10:00:00 GMT", "2020-09-27T10:00:00Z",
                         "Mon, 99 Foo 2020", "9999-99-99"])
FIELD = st.lists(NASTY | st.text(max_size=30), max_size=4).map("".join)
RAW_OR_ESCAPED = st.booleans()
QUOTE = {'"': "&quot;"}


def _field(value: str, raw: bool) -> str:
    return value if raw else escape(value)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS 2.0 or Atom document with a few entries whose fields are hostile."""
    atom = draw(st.booleans())
    raw = draw(RAW_OR_ESCAPED)
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        title, body, when, link = (draw(FIELD) for _ in range(4))
        href = escape(link, QUOTE)
        if atom:
            entries.append(f"<entry><title>{_field(title, raw)}</title><updated>{_field(when, raw)}</updated>"
                           f'<link href="{href}"/><content type="html">{_field(body, raw)}</content></entry>')
        else:
            entries.append(f"<item><title>{_field(title, raw)}</title><pubDate>{_field(when, raw)}</pubDate>"
                           f"<link>{_field(link, raw)}</link><description>{_field(body, raw)}</description></item>")
    channel = _field(draw(FIELD), raw)
    if atom:
        text = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{channel}</title>' + \
            "".join(entries) + "</feed>"
    else:
        text = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{channel}</title>' + \
            "".join(entries) + "</channel></rss>"
    return text.encode("utf-8", "surrogatepass")


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """An HTML page with a title, meta date and paragraphs whose text is hostile."""
    paragraphs = "".join(f"<p>{draw(FIELD)} {draw(FIELD)}</p>" for _ in range(draw(st.integers(0, 4))))
    meta = escape(draw(FIELD), QUOTE)
    return (f'<html><head><title>{draw(FIELD)}</title><meta name="date" content="{meta}">'
            f"</head><body><article>{paragraphs}</article></body></html>").encode("utf-8", "surrogatepass")


def _read(data: bytes, suffix: str, default_date: date | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        report = IngestReport()
        documents = list(read_documents([str(path)], default_date=default_date, report=report))
    assert report.n_documents == len(documents)
    assert all(isinstance(problem, InputError) for problem in report.problems)
    for document in documents:
        assert document.text and document.text == normalise_text(document.text)
        assert document.published is not None
        for value in (document.text, document.title, document.publisher, document.url):
            if value is not None:
                value.encode("utf-8")
                assert "\x00" not in value and "\u202e" not in value


@SETTINGS
@given(data=feeds(), default_date=st.none() | st.just(date(2020, 9, 27)))
def test_fuzz_ingest_feeds_never_crash(data: bytes, default_date: date | None) -> None:
    _read(data, ".xml", default_date)


@SETTINGS
@given(data=pages(), default_date=st.none() | st.just(date(2020, 9, 27)))
def test_fuzz_ingest_html_pages_never_crash(data: bytes, default_date: date | None) -> None:
    _read(data, ".html", default_date)
