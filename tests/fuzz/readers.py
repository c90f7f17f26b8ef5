"""The fuzz target for the text and JSONL readers, shared by atheris (fuzz_readers.py) and hypothesis.

Any bytes, read as text, as JSONL (from stdin or a file) or sniffed, give documents or listed
InputErrors; every document is clean: NFC text with no control characters, no bidi overrides, every
field encodable as UTF-8 (so spaCy, the JSONL writer and the store can take it), dated, id = content hash.
"""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path

from eventcoder.errors import InputError
from eventcoder.ingest import IngestReport, document_id, normalise_text, read_documents

FORMATS = ("text", "jsonl", "auto")
# never in a document: controls other than newline and tab, and bidi overrides that disguise evidence
FORBIDDEN = frozenset([*(chr(c) for c in range(0x20) if chr(c) not in "\n\t"), "\x7f",
                       *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"])
_FOLDER = Path(tempfile.mkdtemp(prefix="eventcoder-fuzz-"))


def check_readers(data: bytes, fmt_choice: int = 0, from_file: bool = False) -> None:
    """Read ``data`` one way; raise AssertionError (or the crash itself) when an invariant breaks."""
    fmt = FORMATS[fmt_choice % len(FORMATS)]
    report = IngestReport()
    if from_file:
        path = _FOLDER / ("input.jsonl" if fmt == "jsonl" else "input.txt")
        path.write_bytes(data)
        documents = list(read_documents([str(path)], fmt=fmt, default_date=date(2020, 9, 27), report=report))
    else:
        documents = list(read_documents(["-"], fmt=fmt, default_date=None, report=report, stdin=io.BytesIO(data)))
    assert report.n_documents == len(documents)
    assert all(isinstance(problem, InputError) for problem in report.problems)
    for document in documents:
        assert document.text and document.text == normalise_text(document.text)
        assert document.id == document_id(document.text)
        assert document.published is not None
        for value in (document.text, document.title, document.publisher, document.url, document.origin):
            if value is not None:
                value.encode("utf-8")  # raises on a lone surrogate
                assert not FORBIDDEN.intersection(value), value
        json.dumps([document.text, document.title, document.publisher], ensure_ascii=False).encode("utf-8")
