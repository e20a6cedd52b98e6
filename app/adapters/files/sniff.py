"""What a file is and how its text is encoded: decided from its bytes, never its name."""

from __future__ import annotations

import codecs
from pathlib import Path

CHUNK = 1 << 20
_CANDIDATE_DELIMITERS = (";", ",", "\t", "|")


class UnsupportedFile(Exception):
    """Not a CSV or XLSX file (→ 415)."""


class UnreadableFile(Exception):
    """A CSV or XLSX file whose content cannot be read (→ 422)."""


def file_kind(path: Path) -> str:
    """Return "xlsx" or "csv"; anything else raises ``UnsupportedFile``."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise UnreadableFile("the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile("old Excel (.xls) files are not supported: save as .xlsx or .csv")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise UnsupportedFile("the file is not CSV or XLSX")
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every byte decodes as UTF-8; UTF-16 when its BOM
    says so; otherwise Windows-1252, the encoding Brazilian and Mexican Excel exports
    use (Latin-1 for the few bytes cp1252 leaves undefined)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        undefined = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
        while chunk := fh.read(CHUNK):
            if any(b in chunk for b in undefined):
                return "latin-1"
    return "cp1252"


def detect_delimiter(first_line: str) -> str:
    """The candidate that splits the header line most often (quoted text ignored)."""
    counts = dict.fromkeys(_CANDIDATE_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_CANDIDATE_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
