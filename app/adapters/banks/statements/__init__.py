"""Bank statement files (camt.053/054, OFX, MT940, BAI2, mapped CSV) → ParsedStatement.

``parse_statement`` is the one entry point callers need: it detects the format from the
content (or takes a ``hint``), reads the file and never raises on bad content — every
problem is a ``StatementError`` with a line number. The writers are for round-trip tests
and for generating benchmark statements with known ground truth.
"""

from __future__ import annotations

from app.adapters.banks.statements.bai2 import parse_bai2
from app.adapters.banks.statements.bai2_writer import Bai2Options, write_bai2
from app.adapters.banks.statements.camt import parse_camt
from app.adapters.banks.statements.camt_writer import write_camt053
from app.adapters.banks.statements.csv_mapping import AmountMode, CsvMapping, suggest_mapping
from app.adapters.banks.statements.csv_statement import parse_csv
from app.adapters.banks.statements.csv_writer import write_csv
from app.adapters.banks.statements.detect import detect_format, format_from_hint
from app.adapters.banks.statements.ofx import parse_ofx
from app.adapters.banks.statements.swift_mt940 import parse_mt940
from app.domain.settlement.statements import (
    ParsedStatement,
    StatementError,
    StatementFormat,
    build_statement,
    merge_statements,
)

__all__ = [
    "AmountMode",
    "Bai2Options",
    "CsvMapping",
    "detect_format",
    "parse_statement",
    "parse_statements",
    "suggest_mapping",
    "write_bai2",
    "write_camt053",
    "write_csv",
]


def parse_statements(
    data: bytes, *, hint: str | None = None, csv_mapping: CsvMapping | None = None
) -> list[ParsedStatement]:
    """Every statement in the file, in file order (one per account, day or page)."""
    fmt = format_from_hint(hint) if hint else detect_format(data)
    if fmt in (StatementFormat.CAMT053, StatementFormat.CAMT054):
        return parse_camt(data)
    if fmt is StatementFormat.OFX:
        return parse_ofx(data)
    if fmt is StatementFormat.MT940:
        return parse_mt940(data)
    if fmt is StatementFormat.BAI2:
        return parse_bai2(data)
    if csv_mapping is None:
        try:
            csv_mapping = suggest_mapping(data)
        except ValueError as exc:
            return [
                build_statement(
                    format=StatementFormat.CSV,
                    account=None,
                    currency="XXX",
                    lines=[],
                    errors=[StatementError(None, f"CSV without a saved column mapping: {exc}")],
                )
            ]
    return [parse_csv(data, csv_mapping)]


def parse_statement(
    data: bytes, *, hint: str | None = None, csv_mapping: CsvMapping | None = None
) -> ParsedStatement:
    """The file as one statement.

    Consecutive statements of one account (MT940 pages, several camt Stmt of one account)
    are chained into one, with a gap between a closing and the next opening reported.
    A file covering several accounts yields the first account's statement with an error
    naming the others: use ``parse_statements`` for such files.
    """
    parts = parse_statements(data, hint=hint, csv_mapping=csv_mapping)
    first = parts[0]
    same = [p for p in parts if (p.account, p.currency) == (first.account, first.currency)]
    merged = merge_statements(same)
    others = sorted({f"{p.account} ({p.currency})" for p in parts if p not in same})
    if others:
        merged = merged.with_errors(
            [
                StatementError(
                    None, f"file also holds statements for {', '.join(others)}; use parse_statements"
                )
            ]
        )
    return merged
