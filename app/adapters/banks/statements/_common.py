"""Small helpers every statement reader shares: amounts, dates, text decoding, line building."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.domain.settlement.statements import Direction, EntryStatus, StatementLine
from app.domain.shared.money import Money, MoneyError


class ParseProblem(ValueError):
    """A value in one record that cannot be read; becomes that record's StatementError."""


_DIGITS = re.compile(r"^\d+$")


def decimal_of(text: str, *, decimal_separator: str = ".", thousands_separator: str = "") -> Decimal:
    """Exact Decimal from a bank's number text (``1.234,56``, ``-10.00``, ``(5.00)``).

    Parentheses mean negative, as accounting exports write debits.
    """
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.startswith("-"):
        negative, value = not negative, value[1:]
    elif value.startswith("+"):
        value = value[1:]
    elif value.endswith("-"):
        # Some Brazilian exports put the sign after the number: "150,00-".
        negative, value = not negative, value[:-1]
    if thousands_separator and thousands_separator in value:
        # Grouping must be real (1.234.567,89): "1.234.56" is a typo, not 123456.
        whole = value.split(decimal_separator, 1)[0]
        groups = whole.split(thousands_separator)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ParseProblem(f"misplaced thousands separator in {text!r}")
        value = value.replace(thousands_separator, "")
    if decimal_separator != ".":
        if "." in value and thousands_separator != ".":
            raise ParseProblem(f"unexpected '.' in amount {text!r}")
        value = value.replace(decimal_separator, ".")
    if not value or value.count(".") > 1 or not _DIGITS.match(value.replace(".", "")):
        raise ParseProblem(f"not an amount: {text!r}")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex above already guards
        raise ParseProblem(f"not an amount: {text!r}") from exc
    return -number if negative else number


def money_of(amount: Decimal, currency: str) -> Money:
    try:
        return Money(amount, currency)
    except MoneyError as exc:
        raise ParseProblem(str(exc)) from exc


def date_of(text: str, fmt: str) -> date:
    try:
        return datetime.strptime(text.strip(), fmt).date()
    except ValueError as exc:
        raise ParseProblem(f"not a date in {fmt}: {text!r}") from exc


def clean(text: str | None) -> str | None:
    """Collapse whitespace; empty becomes None so 'absent' has one spelling."""
    if text is None:
        return None
    collapsed = " ".join(text.split())
    return collapsed or None


def decode_text(data: bytes, encoding: str = "auto") -> str:
    """Decode a bank file: BOM first, then UTF-8, then Latin-1 (which never fails).

    Brazilian banks still ship cp1252/Latin-1 files, and a wrong guess at UTF-8 fails
    loudly, so trying UTF-8 first is safe.
    """
    if encoding != "auto":
        return data.decode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")


def _cp1252_ok(data: bytes) -> bool:
    # cp1252 is a superset of Latin-1's printable range (curly quotes, the euro sign)
    # except for five undefined bytes; use it when none of those occur.
    return not any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def make_line(
    *,
    line_no: int,
    amount: Money,
    booking_date: date | None,
    value_date: date | None = None,
    bank_reference: str | None = None,
    end_to_end_id: str | None = None,
    remittance_info: str | None = None,
    payer_name: str | None = None,
    payer_tax_id: str | None = None,
    payer_account: str | None = None,
    transaction_code: str | None = None,
    raw: str = "",
    status: EntryStatus = EntryStatus.BOOKED,
    customer_reference: str | None = None,
) -> StatementLine:
    return StatementLine(
        line_no=line_no,
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        direction=Direction.of(amount),
        bank_reference=clean(bank_reference),
        end_to_end_id=clean(end_to_end_id),
        remittance_info=clean(remittance_info),
        payer_name=clean(payer_name),
        payer_tax_id=clean(payer_tax_id),
        payer_account=clean(payer_account),
        transaction_code=clean(transaction_code),
        raw=raw,
        status=status,
        customer_reference=clean(customer_reference),
    )
