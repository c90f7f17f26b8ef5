"""Ingest invariants: any bytes, string or JSON gives documents or InputErrors, never a crash."""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.errors import InputError
from eventcoder.ingest import IngestReport, document_id, normalise_text, parse_text_document, read_documents

FORMATS = st.sampled_from(["auto", "text", "jsonl", "html"])
SUFFIXES = st.sampled_from([".txt", ".jsonl", ".html", ".xml", ""])
DATES = st.none() | st.just(date(2020, 9, 27))
DATE_LINES = st.sampled_from(["", "date 2020-09-27 ", " date 2020-09-27\n", "Date: 2020-09-27T10:00Z ",
                              "date 27/09/2020 ", "date Sept 27, 2020\n", "date 2020-02-30 "])
TEXTS = st.builds(lambda head, body: head + body, DATE_LINES, st.text(max_size=500))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries({}, optional={
    "date": st.sampled_from(["2020-09-27", "2020-09-27T10:00:00Z", "27/09/2020", "", "x"]) | JSON,
    "text": TEXTS | JSON,
    "title": st.text() | JSON,
    "url": st.text() | JSON,
    "source": st.text() | JSON,
    "id": st.text() | JSON,
})
# INGEST_FUZZ_EXAMPLES=5000 for a longer hunt than the default run.
FUZZ = settings(max_examples=int(os.environ.get("INGEST_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _check(documents: list[Any], report: IngestReport) -> None:
    assert report.n_documents == len(documents)
    assert all(isinstance(p, InputError) and p.origin for p in report.problems)
    for document in documents:
        assert document.text and document.text == normalise_text(document.text)
        assert document.published is not None and document.date_source != "none"


@FUZZ
@given(content=st.binary(max_size=2000), suffix=SUFFIXES, fmt=FORMATS, default_date=DATES)
def test_ingest_never_crashes_on_arbitrary_files(content: bytes, suffix: str, fmt: str,
                                                 default_date: date | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        report = IngestReport()
        documents = list(read_documents([str(path)], fmt=fmt, default_date=default_date, report=report))  # type: ignore[arg-type]
        _check(documents, report)
        try:
            list(read_documents([str(path)], fmt=fmt, default_date=default_date, on_error="raise"))  # type: ignore[arg-type]
        except InputError as exc:
            assert str(exc).startswith(str(path))


@FUZZ
@given(text=TEXTS, default_date=DATES)
def test_ingest_never_crashes_on_arbitrary_stdin(text: str, default_date: date | None) -> None:
    report = IngestReport()
    documents = list(read_documents(["-"], default_date=default_date, report=report, stdin=io.StringIO(text)))
    _check(documents, report)


@FUZZ
@given(records=st.lists(RECORDS | JSON, max_size=5), default_date=DATES)
def test_ingest_never_crashes_on_arbitrary_jsonl(records: list[Any], default_date: date | None) -> None:
    data = "\n".join(json.dumps(record) for record in records).encode("utf-8", "surrogatepass")
    report = IngestReport()
    documents = list(read_documents(["-"], fmt="jsonl", default_date=default_date, report=report,
                                    stdin=io.BytesIO(data)))
    _check(documents, report)
    assert len(documents) + len(report.problems) <= max(len(records), 1)


@FUZZ
@given(text=TEXTS)
def test_ingest_parse_text_raises_only_input_error(text: str) -> None:
    try:
        document = parse_text_document(text, origin="<text>", published=date(2020, 1, 1))
    except InputError:
        return
    assert document.text == normalise_text(document.text)
    assert document.id == document_id(document.text)


@FUZZ
@given(text=st.text(max_size=300))
def test_ingest_normalise_is_idempotent_and_clean(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and not any(ch in once for ch in "\u201c\u201d\u2018\u2019\u00a0\x00")
