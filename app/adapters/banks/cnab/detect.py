"""Which layout, bank and direction a file is, from its first record."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.settlement.bank_files import FileKind, Layout


class NotACnabFile(ValueError):
    """The content cannot be read as CNAB 240 or 400 at all."""


@dataclass(frozen=True, slots=True)
class Detection:
    layout: Layout
    width: int
    bank_code: str
    kind: FileKind
    problem: str | None = None  # a header defect detection worked around


def detect_header(line: str, next_line: str | None = None) -> Detection:
    """Classify a file by its header record (the first non-blank line).

    A header longer than 240 characters can only be CNAB 400. A shorter one
    (trailing spaces stripped) is recognised by its fixed parts: CNAB 240 has
    lot ``0000`` and record type ``0`` at 4-8; CNAB 400 starts with ``0`` and
    the direction digit, and carries RETORNO/REMESSA at 3-9 in practice.
    """
    if "\x00" in line:
        raise NotACnabFile("NUL bytes in the header: binary or UTF-16 content, not a CNAB text file")
    body = line.rstrip()
    if len(body) > 400:
        raise NotACnabFile(f"header of {len(body)} characters: neither CNAB 240 nor CNAB 400")
    if len(body) <= 240 and body[3:8] == "00000" and body[:3].isdigit():
        op = body[142:143]
        if op in ("1", "2"):
            return Detection("cnab240", 240, body[:3], "remittance" if op == "1" else "return")
        # Some files carry a damaged header; the lot header's operation (T/R at 9) still tells.
        lot_op = (next_line or "")[8:9]
        if lot_op not in ("T", "R"):
            raise NotACnabFile(f"CNAB 240 header with operation code {op!r} at 143 (expected 1 or 2)")
        return Detection(
            "cnab240",
            240,
            body[:3],
            "remittance" if lot_op == "R" else "return",
            f"operation code {op!r} at 143 is neither 1 nor 2; used the lot header's {lot_op!r}",
        )
    if body[:1] == "0" and body[1:2] in ("1", "2"):
        bank = body[76:79]
        if not bank.isdigit():
            raise NotACnabFile(f"CNAB 400 header without a bank code at 77-79 ({bank!r})")
        return Detection("cnab400", 400, bank, "remittance" if body[1] == "1" else "return")
    raise NotACnabFile("first record is not a CNAB 240 or CNAB 400 file header")
