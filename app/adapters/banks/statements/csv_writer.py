"""CSV writer: lines laid out as a mapping describes, for round trips and benchmark files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from app.adapters.banks.statements.csv_mapping import AmountMode, CsvMapping
from app.domain.settlement.statements import StatementLine


def format_amount(value: Decimal, mapping: CsvMapping, *, group: bool = True) -> str:
    """'-1234.5' → '-1.234,50' with Brazilian separators (thousands grouping optional)."""
    text = f"{abs(value):,.2f}" if group else f"{abs(value):.2f}"
    text = text.replace(",", "\0").replace(".", mapping.decimal_separator)
    text = text.replace("\0", mapping.thousands_separator)
    return f"-{text}" if value < 0 else text


def _cell(line: StatementLine, field: str, mapping: CsvMapping) -> str:
    amount = line.amount.amount
    if field == "booking_date":
        return line.booking_date.strftime(mapping.date_format) if line.booking_date else ""
    if field == "value_date":
        return line.value_date.strftime(mapping.date_format) if line.value_date else ""
    if field == "amount":
        return format_amount(amount, mapping)
    if field == "credit":
        return format_amount(amount, mapping) if amount >= 0 else ""
    if field == "debit":
        return format_amount(-amount, mapping) if amount < 0 else ""
    if field == "direction":
        return "D" if amount < 0 else "C"
    if field == "balance":
        return ""
    value = getattr(line, field)
    return "" if value is None else str(value)


def write_csv(
    lines: Sequence[StatementLine],
    mapping: CsvMapping,
    *,
    preamble: Sequence[str] = (),
) -> bytes:
    """A CSV that ``parse_csv(…, mapping)`` reads back into the same lines.

    ``preamble`` rows (bank name, account, period) are written before the header; pass as
    many as ``mapping.skip_rows``. With a direction column the amount is written unsigned.
    """
    if len(preamble) != mapping.skip_rows:
        raise ValueError("write one preamble row per skipped row")
    fields = list(mapping.columns)
    width = max((c for c in mapping.columns.values() if isinstance(c, int)), default=len(fields) - 1) + 1
    positions: dict[str, int] = {}
    for order, (field, column) in enumerate(mapping.columns.items()):
        positions[field] = column if isinstance(column, int) else order
    width = max(width, len(fields))
    out = io.StringIO()
    for text in preamble:
        out.write(text + "\n")
    writer = csv.writer(out, delimiter=mapping.delimiter or ";", lineterminator="\n")
    if mapping.has_header:
        header = [""] * width
        for field, column in mapping.columns.items():
            header[positions[field]] = column if isinstance(column, str) else field
        writer.writerow(header)
    unsigned = "direction" in mapping.columns and mapping.amount_mode is AmountMode.SIGNED
    for line in lines:
        row = [""] * width
        for field in fields:
            cell = _cell(line, field, mapping)
            if unsigned and field == "amount":
                cell = cell.lstrip("-")
            row[positions[field]] = cell
        writer.writerow(row)
    encoding = "utf-8" if mapping.encoding == "auto" else mapping.encoding
    return out.getvalue().encode(encoding)
