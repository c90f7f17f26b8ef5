"""Ingest: formats, dates, normalisation, content-hash ids, and one clear line per bad input."""

from __future__ import annotations

import io
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventcoder.errors import InputError
from eventcoder.ingest import (
    MAX_CHARS,
    MAX_FILE_BYTES,
    IngestReport,
    document_id,
    normalise_text,
    parse_text_document,
    read_documents,
)
from eventcoder.ingest.text import load_broken_tokens, truncate
from eventcoder.model import Document

DATA = Path(__file__).resolve().parent / "data" / "ingest"
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MTIME = datetime(2020, 9, 28, 12, 0, tzinfo=UTC).timestamp()


def _read(paths: list[Path | str], **options: object) -> tuple[list[Document], IngestReport]:
    report = IngestReport()
    documents = list(read_documents([str(p) for p in paths], report=report, **options))  # type: ignore[arg-type]
    return documents, report


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (MTIME, MTIME))
    return path


@pytest.mark.parametrize(("raw", "expected"), [
    ("I.n the region", "In the region"),
    ("date line\nT.he army said", "date line\nThe army said"),
    ("\u201cHoly Fatherland\u201d", '"Holy Fatherland"'),
    ("Karabach\u2019s President", "Karabach's President"),
    ("\u2018quoted\u2019", "'quoted'"),
    ("one\u00a0two\u202fthree", "one two three"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("bell\x07 and\x00 nul\x1b", "bell and nul"),
    ("tab\tkept\nnewline kept", "tab\tkept\nnewline kept"),
    ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
    ("cafe\u0301", "caf\u00e9"),
    ("The U.S. said", "The U.S. said"),
    ("e.g. this", "e.g. this"),
    ("J. Smith said", "J. Smith said"),
    ("It grew 3.5 percent", "It grew 3.5 percent"),
    ("See https://example.org/A.b and www.Example.com", "See https://example.org/A.b and www.Example.com"),
    ("A.com reported", "A.com reported"),
    ("Model A.b is new", "Model A.b is new"),
    ("they said I.t was over", "they said It was over"),
    ("The U.N. and the E.U.", "The U.N. and the E.U."),
    ("  padded  \n", "padded"),
])
def test_ingest_normalises_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize("raw", ["I.n the \u201cregion\u201d\r\n", "T.he U.S. said 3.5\u00a0%", "x\x00y",
                                 "en\u2000quad"])
def test_ingest_normalise_is_idempotent(raw: str) -> None:
    once = normalise_text(raw)
    assert normalise_text(once) == once


def test_ingest_broken_token_lists_parse() -> None:
    tokens = load_broken_tokens()
    assert "in" in tokens.words and "com" in tokens.keep_suffixes
    assert not tokens.words & tokens.keep_suffixes


@pytest.mark.parametrize(("text", "published", "date_source", "start"), [
    ("date 2020-09-27 I.n the region", date(2020, 9, 27), "text", "In the region"),
    (" date 2020-09-27\nThe army said", date(2020, 9, 27), "text", "The army said"),
    ("Date: 2021-01-02 Talks began.", date(2021, 1, 2), "text", "Talks began."),
    ("date 2021-01-02T10:00:00+02:00 Talks began.", date(2021, 1, 2), "text", "Talks began."),
    ("Date palms grew there.", None, "none", "Date palms grew there."),
    ("date 5 soldiers died.", None, "none", "date 5 soldiers died."),
    ("DATE:2021-01-02\nTalks began.", date(2021, 1, 2), "text", "Talks began."),
])
def test_ingest_reads_the_date_line(text: str, published: date | None, date_source: str, start: str) -> None:
    document = parse_text_document(text, origin="x.txt")
    assert (document.published, document.date_source) == (published, date_source)
    assert document.text.startswith(start)


@pytest.mark.parametrize(("text", "shown"), [
    ("date 27/09/2020 The army said", "27/09/2020"),
    ("date Sept 27, 2020 The army said", "Sept 27, 2020"),
    ("date 27 September 2020 The army said", "27 September 2020"),
    ("date 20200927 The army said", "20200927"),
    ("date 2020-09-27T25:00 The army said", "2020-09-27T25:00"),
])
def test_ingest_refuses_unknown_date_formats(text: str, shown: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_text_document(text, origin="x.txt")
    assert str(caught.value) == f"x.txt: unknown date format {shown!r} (use YYYY-MM-DD)"


@pytest.mark.parametrize(("text", "day"), [
    ("date 2020-02-30 The army said", "2020-02-30"),
    ("date 2020-13-45 The army said", "2020-13-45"),
    ("date 2021-02-29T10:00:00 The army said", "2021-02-29"),
])
def test_ingest_names_an_impossible_day_as_not_a_date(text: str, day: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_text_document(text, origin="x.txt")
    assert str(caught.value) == f"x.txt: {day} is not a date (no such day in the calendar)"


def test_ingest_text_date_wins_over_given_date() -> None:
    document = parse_text_document("date 2020-09-27 Text.", published=date(2001, 1, 1))
    assert (document.published, document.date_source) == (date(2020, 9, 27), "text")
    given = parse_text_document("Text.", published=date(2001, 1, 1))
    assert (given.published, given.date_source) == (date(2001, 1, 1), "option")


def test_ingest_id_is_content_hash_of_normalised_text() -> None:
    a = parse_text_document("date 2020-09-27 I.n the \u201cregion\u201d.", origin="a")
    b = parse_text_document("date 2021-01-01\r\nIn the \"region\".", origin="b")
    assert a.id == b.id == document_id('In the "region".')
    assert a.id != parse_text_document("In another region.").id


def test_ingest_reads_reference_article() -> None:
    [document], report = _read([CORPUS / "karabakh-2020-09-27.txt"], on_error="raise")
    assert document.published == date(2020, 9, 27) and document.date_source == "text"
    assert document.text.startswith("In the conflict region of Nagornyj Karabakh")
    assert 'the "Holy Fatherland".' in document.text and "Karabach's President" in document.text
    assert document.origin == str(CORPUS / "karabakh-2020-09-27.txt")
    assert report.problems == [] and report.n_documents == 1


def test_ingest_reads_the_whole_corpus_in_order() -> None:
    documents, report = _read([CORPUS], on_error="raise")
    names = [Path(d.origin or "").name for d in documents]
    assert names == sorted(p.name for p in CORPUS.glob("*.txt")) and len(names) >= 5
    assert all(d.date_source == "text" and d.published for d in documents)
    assert report.notices == [] and report.n_documents == len(documents)


def test_ingest_plain_text_uses_default_date_then_mtime(tmp_path: Path) -> None:
    path = _write(tmp_path, "plain.txt", (DATA / "plain.txt").read_bytes())
    [given], report = _read([path], default_date=date(2022, 2, 2))
    assert (given.published, given.date_source) == (date(2022, 2, 2), "option") and report.notices == []
    [from_file], report = _read([path])
    assert (from_file.published, from_file.date_source) == (date(2020, 9, 28), "file")
    assert report.notices == [f"{path}: no date in file; using file date 2020-09-28 (mtime); pass --date"]


def test_ingest_dated_text_keeps_its_date_over_default() -> None:
    [document], _ = _read([DATA / "dated.txt"], default_date=date(1999, 1, 1))
    assert (document.published, document.date_source) == (date(2021, 4, 2), "text")
    assert document.text == "The mayor said on Friday that the bridge had reopened."


def test_ingest_jsonl_reads_good_lines_and_lists_bad_ones() -> None:
    path = DATA / "articles.jsonl"
    documents, report = _read([path])
    assert [d.origin for d in documents] == [f"{path}:1", f"{path}:2", f"{path}:9"]
    first = documents[0]
    assert (first.published, first.date_source, first.title, first.url, first.publisher) == (
        date(2022, 1, 5), "jsonl", "March", "https://example.org/a1", "Wire")
    assert documents[1].published == date(2022, 1, 6)
    assert [(p.origin, p.problem) for p in report.problems] == [
        (f"{path}:4", "not valid JSON: Expecting ',' delimiter at line 4, column 45"),
        (f"{path}:5", "no date"),
        (f"{path}:6", "unknown date format '07/01/2022'"),
        (f"{path}:7", "a JSON list, not an object"),
        (f"{path}:8", "field 'title' is a JSON int, not a string"),
    ]
    assert all(p.hint for p in report.problems) and report.n_documents == 3


def test_ingest_jsonl_default_date_fills_missing_dates() -> None:
    documents, report = _read([DATA / "articles.jsonl"], default_date=date(2022, 1, 1))
    undated = [d for d in documents if d.text == "No date on this line."]
    assert [(d.published, d.date_source) for d in undated] == [(date(2022, 1, 1), "option")]
    assert len(report.problems) == 4


def test_ingest_jsonl_raise_stops_at_first_bad_line() -> None:
    with pytest.raises(InputError, match=r"articles\.jsonl:4: not valid JSON"):
        _read([DATA / "articles.jsonl"], on_error="raise")


def test_ingest_html_reads_main_text_and_metadata() -> None:
    [document], report = _read([DATA / "page.html"], on_error="raise")
    assert report.notices == []
    assert (document.published, document.date_source) == (date(2021, 6, 3), "text")
    assert document.title == "Talks resume in Geneva" and document.publisher == "Example Wire"
    assert "prisoner exchange" in document.text and "Home" not in document.text
    assert "Copyright" not in document.text


def test_ingest_feed_reads_dated_entries() -> None:
    pytest.importorskip("feedparser")
    [document], report = _read([DATA / "feed.xml"], on_error="raise")
    assert document.text == "The two sides agreed to a ceasefire on Saturday, mediators said."
    assert (document.published, document.publisher, document.url) == (
        date(2023, 6, 10), "Example Wire", "https://example.org/1")
    assert report.notices == [f"{DATA / 'feed.xml'}:2: entry has no date; skipped (pass --date to keep it)"]


@pytest.mark.parametrize(("content", "fmt", "expected"), [
    (b"date 2020-01-02 From stdin.", "auto", (date(2020, 1, 2), "text")),
    (b"From stdin.", "auto", (date(2021, 3, 3), "option")),
    (b'{"date": "2020-01-03", "text": "A JSON line."}\n', "auto", (date(2020, 1, 3), "jsonl")),
    (b"From stdin as text.", "text", (date(2021, 3, 3), "option")),
])
def test_ingest_reads_stdin(content: bytes, fmt: str, expected: tuple[date, str]) -> None:
    [document], _ = _read(["-"], fmt=fmt, default_date=date(2021, 3, 3), stdin=io.BytesIO(content))
    assert (document.published, document.date_source) == expected
    assert document.origin in {"<stdin>", "<stdin>:1"}


def test_ingest_reads_text_stdin() -> None:
    [document], _ = _read(["-"], stdin=io.StringIO("date 2020-01-02 Caf\u00e9 talks."))
    assert document.text == "Caf\u00e9 talks."


def test_ingest_stdin_without_date_is_an_error() -> None:
    documents, report = _read(["-"], stdin=io.BytesIO(b"No date here."))
    assert documents == [] and [str(p) for p in report.problems] == [
        "<stdin>: no date (begin the text with 'date YYYY-MM-DD' or pass --date)"]


def test_ingest_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/c.txt", ".hidden.txt", ".git/x.txt", "notes.pdf"]:
        _write(tmp_path, name, f"date 2020-01-01 Text of {name}.".encode())
    documents, report = _read([tmp_path])
    assert [Path(d.origin or "").relative_to(tmp_path).as_posix() for d in documents] == ["a/c.txt", "a/z.txt", "b.txt"]
    assert report.notices == [f"{tmp_path}: skipped 1 file(s) with other extensions; name them to read them"]


def test_ingest_same_text_twice_is_read_once(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", b"date 2020-01-01 Same text.")
    b = _write(tmp_path, "b.txt", b"date 2020-01-02 Same  text.".replace(b"  ", b" "))
    documents, report = _read([a, b])
    assert [d.origin for d in documents] == [str(a)]
    assert report.notices == [f"{b}: same text as {a}; read once"]


BAD_INPUTS: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "empty file (nothing to code)"),
    ("blank.txt", b"  \n\n ", "empty file (nothing to code)"),
    ("only-date.txt", b"date 2020-01-01\n", "no text after the date line (nothing to code)"),
    ("binary.txt", bytes(range(256)) * 4, "binary file, not text (pass a text, JSONL or HTML file)"),
    ("latin.txt", b"date 2020-01-01 \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6",
     "not valid UTF-8 at byte 16 (convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8)"),
    ("odd.txt", b"date 27.09.2020 The army said.", "unknown date format '27.09.2020' (use YYYY-MM-DD)"),
    ("empty.jsonl", b"\n\n", "empty file (nothing to code)"),
    ("binary.jsonl", b"\x00\x01\x02" * 100, "binary file, not JSONL (pass one JSON object a line, UTF-8)"),
    ("script.html", b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
     "no main text found in the HTML (pass the article page, or its text)"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS)
def test_ingest_bad_input_gives_one_clear_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = _write(tmp_path, name, content)
    documents, report = _read([path])
    assert documents == []
    assert [str(p) for p in report.problems] == [f"{path}: {message}"]
    with pytest.raises(InputError, match="^" + str(path)):
        _read([path], on_error="raise")


def test_ingest_batch_reads_the_rest_and_lists_failures(tmp_path: Path) -> None:
    for name, content, _ in BAD_INPUTS:
        _write(tmp_path / "batch", name, content)
    good = _write(tmp_path / "batch", "good.txt", b"date 2020-01-01 The army said.")
    documents, report = _read([tmp_path / "batch", tmp_path / "missing.txt"])
    assert [d.origin for d in documents] == [str(good)]
    assert len(report.problems) == len(BAD_INPUTS) + 1
    assert str(report.problems[-1]) == f"{tmp_path / 'missing.txt'}: no such file or folder (check the path)"


def test_ingest_refuses_oversized_file_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:  # 50 MB, sparse: no need to write every byte
        stream.truncate(50 * 1024 * 1024)
    documents, report = _read([path])
    assert documents == [] and [p.problem for p in report.problems] == [
        "file is 50.0 MB, over the MAX_FILE_BYTES limit of 10 MB"]


def test_ingest_jsonl_refuses_oversized_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("eventcoder.ingest.read.MAX_FILE_BYTES", 100)
    line = b'{"date": "2020-01-01", "text": "%s"}\n'
    path = _write(tmp_path, "long.jsonl", line % b"short" + line % (b"x" * 300) + line % b"after")
    documents, report = _read([path])
    assert [d.text for d in documents] == ["short", "after"]
    assert [p.origin for p in report.problems] == [f"{path}:2"]


def test_ingest_refuses_oversized_stdin() -> None:
    documents, report = _read(["-"], stdin=io.BytesIO(b"a" * (MAX_FILE_BYTES + 1)), default_date=date(2020, 1, 1))
    assert documents == [] and [p.problem for p in report.problems] == [
        "standard input is over the 10 MB limit (MAX_FILE_BYTES)"]  # not "file is 10.0 MB": only 10 MB were read


def test_ingest_truncates_long_text_at_a_paragraph(tmp_path: Path) -> None:
    paragraph = ("The army said the town was shelled. " * 40).strip() + "\n\n"
    text = paragraph * (MAX_CHARS // len(paragraph) + 5)
    path = _write(tmp_path, "long.txt", ("date 2020-01-01 " + text).encode())
    [document], report = _read([path])
    assert len(document.text) <= MAX_CHARS and document.text.endswith("shelled.")
    assert text.startswith(document.text)
    assert len(report.notices) == 1 and "over MAX_CHARS=1,000,000; cut at a paragraph boundary" in report.notices[0]


@pytest.mark.parametrize(("text", "limit", "expected", "boundary"), [
    ("One. Two. Three.\n\nFour. Five.", 22, "One. Two. Three.", "paragraph"),
    ("One two three. Four five six seven", 25, "One two three.", "sentence"),
    ("one two three four five six", 15, "one two three", "word"),
    ("short", 15, "short", None),
])
def test_ingest_truncate_picks_the_boundary(text: str, limit: int, expected: str, boundary: str | None) -> None:
    assert truncate(text, limit) == (expected, boundary)


@pytest.mark.parametrize(("content", "text", "notice"), [
    (b"\xef\xbb\xbfdate 2020-01-01 BOM text.", "BOM text.", False),
    ("date 2020-01-01 UTF-16 text.".encode("utf-16"), "UTF-16 text.", False),
    (b"date 2020-01-01 The \x93caf\xe9\x94 closed.", 'The "café" closed.', True),
])
def test_ingest_decodes_boms_and_cp1252(tmp_path: Path, content: bytes, text: str, notice: bool) -> None:
    path = _write(tmp_path, "enc.txt", content)
    [document], report = _read([path], on_error="raise")
    assert document.text == text
    assert bool(report.notices) == notice


def test_ingest_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "locked.txt", b"date 2020-01-01 Text.")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    _, report = _read([path])
    assert [str(p) for p in report.problems] == [f"{path}: cannot be read: Permission denied (check its permissions)"]


def test_ingest_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = _write(tmp_path, "article.data", b'{"date": "2020-01-01", "text": "Line."}\n')
    [document], _ = _read([path], fmt="jsonl")
    assert document.date_source == "jsonl"
    shutil.copy(DATA / "dated.txt", tmp_path / "dated.md")
    [as_text], _ = _read([tmp_path / "dated.md"])
    assert as_text.published == date(2021, 4, 2)


def test_ingest_feed_takes_each_items_outlet_from_an_aggregator(tmp_path: Path) -> None:
    pytest.importorskip("feedparser")
    path = tmp_path / "aggregator.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News Digest</title>'
        "<item><title>Shelling</title><link>https://wire.example/1</link>"
        '<source url="https://wire.example/rss">Example Wire</source>'
        "<pubDate>Sun, 04 Oct 2020 08:00:00 GMT</pubDate><description>Artillery hit the town.</description></item>"
        "<item><title>Talks</title><link>https://digest.example/2</link>"
        "<pubDate>Mon, 05 Oct 2020 08:00:00 GMT</pubDate><description>Talks resumed.</description></item>"
        "</channel></rss>", encoding="utf-8")
    documents, _ = _read([path], on_error="raise")
    assert [(d.publisher, d.url, d.title) for d in documents] == [
        ("Example Wire", "https://wire.example/1", "Shelling"), ("News Digest", "https://digest.example/2", "Talks")]
