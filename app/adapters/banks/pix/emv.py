"""EMV® QRCPS merchant-presented TLV and the CRC16 that seals it.

Each data object is ``ID`` (2 digits) + ``length`` (2 digits) + value; templates
(26–51, 62, 80–99) hold the same structure inside their value.  The CRC is
CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR)
over the whole payload up to and including ``6304``, written as 4 uppercase hex.
"""

from __future__ import annotations

from app.adapters.banks.pix.errors import PixError

CRC_TAG = "6304"


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _table()


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def crc_hex(payload_before_crc: str) -> str:
    """The 4 hex digits for a payload that already ends with ``6304``."""
    return f"{crc16_ccitt_false(payload_before_crc.encode('utf-8')):04X}"


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise PixError(f"EMV tag must be 2 digits, got {tag!r}")
    if not 1 <= len(value) <= 99:
        raise PixError(f"field {tag} must hold 1 to 99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(data: str, where: str = "payload") -> list[tuple[str, str]]:
    """Walk ``data`` into ``(tag, value)`` pairs, refusing anything left over or cut short."""
    fields: list[tuple[str, str]] = []
    pos = 0
    while pos < len(data):
        head = data[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise PixError(f"{where}: malformed field header {head!r} at position {pos}")
        tag, length = head[:2], int(head[2:])
        value = data[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) != length:
            raise PixError(f"{where}: field {tag} at position {pos} declares {length} characters")
        fields.append((tag, value))
        pos += 4 + length
    return fields
