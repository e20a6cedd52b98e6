"""Which statement format a file is, from its first bytes (never from its name)."""

from __future__ import annotations

import re

from app.domain.settlement.statements import StatementFormat

_HINTS: dict[str, StatementFormat] = {
    "camt.053": StatementFormat.CAMT053,
    "camt053": StatementFormat.CAMT053,
    "camt.054": StatementFormat.CAMT054,
    "camt054": StatementFormat.CAMT054,
    "camt": StatementFormat.CAMT053,
    "ofx": StatementFormat.OFX,
    "qfx": StatementFormat.OFX,
    "mt940": StatementFormat.MT940,
    "sta": StatementFormat.MT940,
    "bai2": StatementFormat.BAI2,
    "bai": StatementFormat.BAI2,
    "csv": StatementFormat.CSV,
    "txt": StatementFormat.CSV,
}

_MT940_TAGS = re.compile(rb"^:(20|25):", re.MULTILINE)
_MT940_BALANCE = re.compile(rb"^:60[FM]:", re.MULTILINE)
_BAI2_HEADER = re.compile(rb"^01,[^,\n]*,[^,\n]*,\d{6},")


def format_from_hint(hint: str) -> StatementFormat:
    key = hint.strip().lower().lstrip(".")
    if key in _HINTS:
        return _HINTS[key]
    try:
        return StatementFormat(key)
    except ValueError:
        raise ValueError(f"unknown statement format hint {hint!r}") from None


def detect_format(data: bytes) -> StatementFormat:
    """Best guess from content; CSV when nothing more specific matches."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = head.upper()
    if upper.startswith(b"OFXHEADER") or b"<OFX>" in upper:
        return StatementFormat.OFX
    if head.startswith(b"<"):
        if b"camt.054" in head or b"BkToCstmrDbtCdtNtfctn" in head:
            return StatementFormat.CAMT054
        # camt.053, or any other XML: the camt reader reports what it found instead.
        return StatementFormat.CAMT053
    if _BAI2_HEADER.match(head):
        return StatementFormat.BAI2
    if head.startswith(b"{1:") or (_MT940_TAGS.search(head) and _MT940_BALANCE.search(head)):
        return StatementFormat.MT940
    return StatementFormat.CSV
