"""Reading numbers, dates and headers as people type them (pure, no I/O)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.customers.imports import CUSTOMER_COLUMNS, REQUIRED_COLUMNS
from app.domain.shared.imports import (
    FileDuplicates,
    ImportMode,
    ImportStatus,
    ImportTally,
    RowError,
    match_headers,
    normalize_date,
    normalize_decimal,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("R$ 1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234.567", "1234567"),
        ("1.234", "1.234"),  # ambiguous: kept, and BRL's two decimals reject it
        ("1,234,567", "1,234,567"),  # not a number in any of our locales: rejected later
        ("12", "12"),
    ],
)
def test_normalize_decimal(raw: str, expected: str) -> None:
    assert normalize_decimal(raw) == expected


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_brazilian_amounts_round_trip(units: int, cents: int) -> None:
    grouped = f"{units:,}".replace(",", ".")
    assert Decimal(normalize_decimal(f"{grouped},{cents:02d}")) == Decimal(f"{units}.{cents:02d}")
    assert Decimal(normalize_decimal(f"{units:,}.{cents:02d}")) == Decimal(f"{units}.{cents:02d}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/10/2026", "2026-10-31"),
        ("1/2/2026", "2026-02-01"),
        ("31.10.2026", "2026-10-31"),
        ("2026-10-31", "2026-10-31"),
        ("2026-10-31T00:00:00", "2026-10-31"),
        ("31/13/2026", "2026-13-31"),  # left for the domain's date rule to reject
        ("soon", "soon"),
    ],
)
def test_normalize_date(raw: str, expected: str) -> None:
    assert normalize_date(raw) == expected


def test_headers_in_three_languages_and_missing_columns() -> None:
    found = match_headers(
        ["Código", "Razão Social", "NOMBRE", "CNPJ", "extra"], CUSTOMER_COLUMNS, REQUIRED_COLUMNS
    )
    assert found.columns == {0: "external_ref", 1: "legal_name", 2: "name", 3: "tax_id"}
    assert found.errors == []
    missing = match_headers(["cnpj", "cpf"], CUSTOMER_COLUMNS, REQUIRED_COLUMNS)
    assert [(e.field, e.message.split(" (")[0]) for e in missing.errors] == [
        ("tax_id", "column appears twice"),
        ("name", "column is missing"),
    ]


def test_file_duplicates_name_the_first_line_and_tolerate_a_retry() -> None:
    seen = FileDuplicates()
    assert seen.check("number", "A1", 2) is None
    assert seen.check("number", "A1", 2) is None
    assert seen.check("number", "A1", 9) == RowError(9, "number", "duplicate of line 2 in this file")
    assert seen.check("number", None, 10) is None


def test_tally_outcome_by_mode() -> None:
    tally = ImportTally(total_rows=3, created=2)
    assert tally.outcome(ImportMode.ALL_OR_NOTHING) is ImportStatus.COMPLETED
    tally.reject([RowError(3, "name", "is required"), RowError(3, "tax_id", "bad")])
    assert tally.rejected == 1
    assert tally.outcome(ImportMode.ALL_OR_NOTHING) is ImportStatus.REJECTED
    assert tally.outcome(ImportMode.VALID_ROWS) is ImportStatus.COMPLETED
