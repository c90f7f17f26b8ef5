"""Ingest stage: files, folders and stdin to dated, normalised Documents with content-hash ids.

Decisions, documented here because the CLI and the tests rely on them:

- The document id is the sha1 of the normalised text (the ``date`` line removed), so re-ingesting
  is idempotent; a JSONL ``id`` field is accepted but not used as the id.
- A document's own date wins (the ``date`` line, the JSONL ``date``/``published`` field, HTML or
  feed metadata); ``default_date`` (``--date``) fills in; a file with neither uses its
  modification date (UTC) with a notice; stdin or a JSONL line with neither is an error.
- Dates must be ``YYYY-MM-DD`` or a full ISO 8601 datetime; anything else is refused.
- Files over MAX_FILE_BYTES are refused before being read (JSONL is streamed: the limit is per
  line); a text over MAX_CHARS is cut at a paragraph, else sentence, boundary with a notice.
- Bytes: a UTF-8/16/32 byte-order mark is honoured; invalid UTF-8 that is mostly ASCII and valid
  Windows-1252 is read as such with a notice; anything else is refused naming the byte offset.
"""

from eventcoder.ingest.decode import MAX_FILE_BYTES, decode
from eventcoder.ingest.read import EXTENSIONS, Format, IngestReport, OnError, read_documents
from eventcoder.ingest.text import MAX_CHARS, document_id, normalise_text, parse_date, parse_text_document

__all__ = [
    "EXTENSIONS",
    "MAX_CHARS",
    "MAX_FILE_BYTES",
    "Format",
    "IngestReport",
    "OnError",
    "decode",
    "document_id",
    "normalise_text",
    "parse_date",
    "parse_text_document",
    "read_documents",
]
