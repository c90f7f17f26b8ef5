"""Bytes to text: size limit, binary check, UTF-8 (with BOMs) and a careful cp1252 fallback."""

from __future__ import annotations

import codecs
from typing import BinaryIO

from eventcoder.errors import InputError

MAX_FILE_BYTES = 10 * 1024 * 1024  # files over this are refused before being read whole
SNIFF_BYTES = 8192
CP1252_MAX_SHARE = 0.1  # invalid UTF-8 is read as cp1252 only when mostly ASCII

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def too_big(origin: str, size: int) -> InputError:
    """Return the error for an input over MAX_FILE_BYTES."""
    return InputError(origin, f"file is {size / 2**20:.1f} MB, over the MAX_FILE_BYTES limit of "
                      f"{MAX_FILE_BYTES / 2**20:g} MB",
                      "split it into one article a file, or use JSONL, one article a line")


def stream_too_big(origin: str, what: str = "input") -> InputError:
    """Return the error for a stream over MAX_FILE_BYTES (read only up to the limit: its size is not known)."""
    return InputError(origin, f"{what} is over the {MAX_FILE_BYTES / 2**20:g} MB limit (MAX_FILE_BYTES)",
                      "split it into one article a file, or use JSONL, one article a line")


def read_limited(stream: BinaryIO, origin: str) -> bytes:
    """Read a stream whole, refusing one longer than MAX_FILE_BYTES."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise stream_too_big(origin)
    return data


def looks_binary(data: bytes) -> bool:
    """Say whether the first bytes hold NULs or many control bytes (an image, a zip, ...)."""
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > len(head) // 20


def decode(data: bytes, origin: str, notices: list[str]) -> str:
    """Decode a file's bytes: BOM-marked UTF-8/16/32, then UTF-8, then mostly-ASCII cp1252.

    Args:
        data: the file's bytes.
        origin: the path, for messages.
        notices: where to say that a cp1252 fallback was used.

    Returns:
        The text (not yet normalised).

    Example:
        >>> decode(b"caf\\xe9 au lait", "a.txt", [])
        'café au lait'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(origin, f"starts with a {encoding.upper()} byte-order mark but is not valid "
                                 f"{encoding.upper()} at byte {exc.start + len(bom)}",
                                 "re-save it as UTF-8") from exc
    if looks_binary(data):
        raise InputError(origin, "binary file, not text", "pass a text, JSONL or HTML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        high = [byte for byte in data if byte >= 0x80]
        if len(high) <= CP1252_MAX_SHARE * len(data) and not _CP1252_UNDEFINED.intersection(high):
            notices.append(f"{origin}: not valid UTF-8 at byte {exc.start}; read as Windows-1252 "
                           "(convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8, if that is wrong)")
            return data.decode("cp1252")
        raise InputError(origin, f"not valid UTF-8 at byte {exc.start}",
                         "convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8") from exc
