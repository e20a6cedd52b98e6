"""The statement model: sign/direction agreement, balance check, merging of pages."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.settlement.statements import (
    Direction,
    StatementFormat,
    StatementLine,
    build_statement,
    merge_statements,
)
from app.domain.shared.money import Money


def _line(no: int, amount: str, currency: str = "BRL") -> StatementLine:
    money = Money.of(amount, currency)
    return StatementLine(
        line_no=no,
        booking_date=date(2024, 3, 1),
        value_date=None,
        amount=money,
        direction=Direction.of(money),
    )


def test_direction_must_agree_with_sign() -> None:
    with pytest.raises(ValueError, match="debit cannot have a positive"):
        StatementLine(1, None, None, Money.of("1.00", "BRL"), Direction.DEBIT)
    with pytest.raises(ValueError, match="credit cannot have a negative"):
        StatementLine(1, None, None, Money.of("-1.00", "BRL"), Direction.CREDIT)


def test_balances_reconcile_and_totals() -> None:
    st = build_statement(
        format=StatementFormat.CSV,
        account="1/2",
        currency="BRL",
        lines=[_line(1, "100.10"), _line(2, "-30.05")],
        opening_balance=Money.of("1000.00", "BRL"),
        closing_balance=Money.of("1070.05", "BRL"),
    )
    assert st.balances_reconcile is True
    assert st.errors == ()
    assert str(st.total_credits.amount) == "100.10"
    assert str(st.total_debits.amount) == "-30.05"


def test_unreconciled_balances_are_an_error() -> None:
    st = build_statement(
        format=StatementFormat.CSV,
        account=None,
        currency="BRL",
        lines=[_line(1, "100.10")],
        opening_balance=Money.of("0.00", "BRL"),
        closing_balance=Money.of("100.00", "BRL"),
    )
    assert st.balances_reconcile is False
    assert len(st.errors) == 1
    assert st.errors[0].line_no is None
    assert "opening 0.00 + lines 100.10 = 100.10, closing is 100.00" in st.errors[0].message


def test_no_balances_means_unknown_not_failed() -> None:
    st = build_statement(format=StatementFormat.OFX, account=None, currency="BRL", lines=[_line(1, "5.00")])
    assert st.balances_reconcile is None
    assert st.ok


def test_foreign_currency_line_is_reported_not_summed() -> None:
    st = build_statement(
        format=StatementFormat.CSV,
        account=None,
        currency="BRL",
        lines=[_line(1, "5.00"), _line(2, "7.00", "USD")],
    )
    assert [ln.line_no for ln in st.lines] == [1]
    assert st.errors[0].line_no == 2


def test_merge_chains_pages_and_reports_gaps() -> None:
    day1 = build_statement(
        format=StatementFormat.MT940,
        account="A",
        currency="EUR",
        lines=[_line(3, "10.00", "EUR")],
        opening_balance=Money.of("0.00", "EUR"),
        closing_balance=Money.of("10.00", "EUR"),
        period_start=date(2024, 3, 1),
        period_end=date(2024, 3, 1),
    )
    day2 = build_statement(
        format=StatementFormat.MT940,
        account="A",
        currency="EUR",
        statement_id="2",
        lines=[_line(9, "5.00", "EUR")],
        opening_balance=Money.of("11.00", "EUR"),  # one euro appeared between pages
        closing_balance=Money.of("16.00", "EUR"),
        period_start=date(2024, 3, 2),
        period_end=date(2024, 3, 2),
    )
    merged = merge_statements([day1, day2])
    assert [ln.line_no for ln in merged.lines] == [3, 9]
    assert merged.opening_balance == Money.of("0.00", "EUR")
    assert merged.closing_balance == Money.of("16.00", "EUR")
    assert (merged.period_start, merged.period_end) == (date(2024, 3, 1), date(2024, 3, 2))
    messages = [e.message for e in merged.errors]
    assert any("opens at 11.00 but the previous one closed at 10.00" in m for m in messages)
    assert any("balances do not reconcile" in m for m in messages)
