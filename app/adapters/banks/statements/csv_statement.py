"""CSV statement reader driven by a saved ``CsvMapping``.

Each data row becomes a line or a StatementError carrying the row's physical line
number; a bad row never stops the rest of the file. Balance rows of Brazilian exports
("SALDO ANTERIOR" before the movements, "SALDO" after them) give the opening and
closing balances instead of lines.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from app.adapters.banks.statements._common import (
    ParseProblem,
    date_of,
    decimal_of,
    decode_text,
    make_line,
    money_of,
)
from app.adapters.banks.statements.csv_mapping import (
    AmountMode,
    CsvMapping,
    detect_delimiter,
    normalize_header,
)
from app.domain.settlement.statements import (
    ParsedStatement,
    StatementError,
    StatementFormat,
    StatementLine,
    build_statement,
)
from app.domain.shared.money import Money

_CURRENCY_MARK = re.compile(r"^(R\$|US\$|\$|€|EUR|BRL|USD)\s*|\s*(R\$|US\$|\$|€|EUR|BRL|USD)$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<number>.*?)\s*(?P<mark>[CD]|CR|DB|DR)\s*$", re.IGNORECASE)


def parse_amount(text: str, mapping: CsvMapping) -> Decimal:
    """A Brazilian or international amount: '1.234,56', '-1.234,56', '1.234,56 D', 'R$ 10,00'."""
    value = _CURRENCY_MARK.sub("", text.strip())
    suffix = _SUFFIX.match(value)
    sign = 1
    if suffix:
        value = suffix.group("number")
        sign = -1 if suffix.group("mark").upper() in ("D", "DB", "DR") else 1
    number = decimal_of(
        value,
        decimal_separator=mapping.decimal_separator,
        thousands_separator=mapping.thousands_separator,
    )
    if suffix and number < 0:
        raise ParseProblem(f"amount {text!r} has both a minus sign and a C/D mark")
    return sign * number


class _Columns:
    def __init__(self, mapping: CsvMapping, header: Sequence[str] | None) -> None:
        self.index: dict[str, int] = {}
        lookup = {normalize_header(h): i for i, h in enumerate(header or [])}
        missing: list[str] = []
        for fld, column in mapping.columns.items():
            if isinstance(column, int):
                self.index[fld] = column
            elif (found := lookup.get(normalize_header(column))) is not None:
                self.index[fld] = found
            else:
                missing.append(f"{fld} ({column!r})")
        if missing:
            raise ParseProblem(f"columns not found in the header: {', '.join(missing)}")

    def get(self, row: Sequence[str], fld: str) -> str | None:
        at = self.index.get(fld)
        if at is None:
            return None
        if at >= len(row):
            raise ParseProblem(f"row has {len(row)} columns, {fld} is column {at + 1}")
        return row[at].strip()


def _row_amount(row: Sequence[str], cols: _Columns, mapping: CsvMapping) -> Decimal:
    if mapping.amount_mode is AmountMode.SPLIT:
        credit_text, debit_text = cols.get(row, "credit") or "", cols.get(row, "debit") or ""
        credit = abs(parse_amount(credit_text, mapping)) if credit_text else Decimal(0)
        debit = abs(parse_amount(debit_text, mapping)) if debit_text else Decimal(0)
        if credit and debit:
            raise ParseProblem("both credit and debit columns are filled")
        if not credit_text and not debit_text:
            raise ParseProblem("neither credit nor debit column is filled")
        amount = credit - debit
    else:
        text = cols.get(row, "amount") or ""
        if not text:
            raise ParseProblem("amount is empty")
        amount = parse_amount(text, mapping)
    indicator = cols.get(row, "direction")
    if indicator:
        mark = indicator.strip().upper()
        if mark in (v.upper() for v in mapping.debit_values):
            amount = -abs(amount)
        elif mark in (v.upper() for v in mapping.credit_values):
            amount = abs(amount)
        else:
            raise ParseProblem(f"direction {indicator!r} is neither credit nor debit")
    return amount


@functools.lru_cache(maxsize=4096)
def _date(text: str, fmt: str) -> date:
    # A statement has few distinct dates and strptime is the costliest step of a row.
    return date_of(text, fmt)


def _row_line(
    row: Sequence[str], line_no: int, cols: _Columns, mapping: CsvMapping, raw: str
) -> StatementLine:
    booking_text = cols.get(row, "booking_date") or ""
    if not booking_text:
        raise ParseProblem("booking date is empty")
    booking = _date(booking_text, mapping.date_format)
    value_text = cols.get(row, "value_date")
    value = _date(value_text, mapping.date_format) if value_text else None
    amount = money_of(_row_amount(row, cols, mapping), mapping.currency)
    return make_line(
        line_no=line_no,
        amount=amount,
        booking_date=booking,
        value_date=value,
        bank_reference=cols.get(row, "bank_reference"),
        end_to_end_id=cols.get(row, "end_to_end_id"),
        remittance_info=cols.get(row, "remittance_info"),
        payer_name=cols.get(row, "payer_name"),
        payer_tax_id=cols.get(row, "payer_tax_id"),
        payer_account=cols.get(row, "payer_account"),
        transaction_code=cols.get(row, "transaction_code"),
        raw=raw,
    )


def _balance_row(row: Sequence[str], cols: _Columns, mapping: CsvMapping, pattern: re.Pattern[str]) -> bool:
    description = cols.get(row, "remittance_info") if "remittance_info" in cols.index else None
    return bool(description and pattern.search(description))


def _balance_amount(row: Sequence[str], cols: _Columns, mapping: CsvMapping) -> Money | None:
    """A balance row carries the balance in the balance column, or else in the amount."""
    for fld in ("balance", "amount", "credit", "debit"):
        text = cols.get(row, fld) if fld in cols.index else None
        if text:
            amount = parse_amount(text, mapping)
            if fld == "debit":
                amount = -abs(amount)
            return money_of(amount, mapping.currency)
    return None


def parse_csv(data: bytes, mapping: CsvMapping) -> ParsedStatement:
    errors: list[StatementError] = []
    text = decode_text(data, mapping.encoding if mapping.encoding != "utf-8-sig" else "utf-8-sig")
    physical = text.splitlines(keepends=True)
    body = physical[mapping.skip_rows :]
    delimiter = mapping.delimiter or detect_delimiter([ln.rstrip("\r\n") for ln in body[:21]])
    reader = csv.reader(io.StringIO("".join(body)), delimiter=delimiter)
    first_line = mapping.skip_rows + 1

    def failed(message: str, line_no: int | None) -> ParsedStatement:
        return build_statement(
            format=StatementFormat.CSV,
            account=mapping.account,
            currency=mapping.currency,
            lines=[],
            errors=[StatementError(line_no, message)],
        )

    header: list[str] | None = None
    if mapping.has_header:
        header = next(reader, None)
        if header is None:
            return failed("file has no header row", first_line)
    try:
        cols = _Columns(mapping, header)
    except ParseProblem as exc:
        return failed(str(exc), first_line)
    pattern = re.compile(mapping.balance_row_pattern, re.IGNORECASE) if mapping.balance_row_pattern else None
    lines: list[StatementLine] = []
    opening: Money | None = None
    closing: Money | None = None
    closing_after = -1  # how many lines preceded the last balance row
    previous_end = reader.line_num
    for row in reader:
        line_no = first_line + previous_end  # the row's first physical line
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        raw = delimiter.join(row)
        try:
            if pattern is not None and _balance_row(row, cols, mapping, pattern):
                balance = _balance_amount(row, cols, mapping)
                if not lines and opening is None:
                    opening = balance
                elif lines:
                    closing, closing_after = balance, len(lines)
                continue
            lines.append(_row_line(row, line_no, cols, mapping, raw))
        except ParseProblem as exc:
            errors.append(StatementError(line_no, str(exc)))
    if closing_after != len(lines):
        closing = None  # a "SALDO DO DIA" mid-file is not the closing balance
    if closing is None and "balance" in cols.index and lines:
        opening, closing = _running_balances(physical, lines, cols, mapping, delimiter, opening)
    dates = [ln.booking_date for ln in lines if ln.booking_date is not None]
    return build_statement(
        format=StatementFormat.CSV,
        account=mapping.account,
        currency=mapping.currency,
        statement_id=None,
        opening_balance=opening,
        closing_balance=closing,
        period_start=min(dates) if dates else None,
        period_end=max(dates) if dates else None,
        lines=lines,
        errors=errors,
    )


def _running_balances(
    physical: list[str],
    lines: list[StatementLine],
    cols: _Columns,
    mapping: CsvMapping,
    delimiter: str,
    opening: Money | None,
) -> tuple[Money | None, Money | None]:
    """Opening/closing from a running-balance column: before the first line, after the last.

    Some banks export newest first; the dates tell which end of the file is the start.
    """

    def balance_of(line: StatementLine) -> Money | None:
        row = next(csv.reader([physical[line.line_no - 1]], delimiter=delimiter))
        text = cols.get(row, "balance")
        return money_of(parse_amount(text, mapping), mapping.currency) if text else None

    start, end = lines[0].booking_date, lines[-1].booking_date
    ordered = lines[::-1] if start and end and start > end else lines
    try:
        first, last = balance_of(ordered[0]), balance_of(ordered[-1])
    except (ParseProblem, IndexError, csv.Error):
        return opening, None
    if opening is None and first is not None:
        opening = first - ordered[0].amount
    return opening, last
