"""MT940 through the mt-940 package: structured :86:, several messages, balances."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.adapters.banks.statements import parse_statement, parse_statements
from app.domain.settlement.statements import StatementFormat
from app.domain.shared.money import Money

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


def _load() -> bytes:
    return (FIXTURES / "mt940_structured.sta").read_bytes()


def test_two_messages_of_one_account_chain_into_one_statement() -> None:
    st = parse_statement(_load())
    assert st.format is StatementFormat.MT940
    assert st.account == "10020030/1234567890"
    assert st.currency == "EUR"
    assert st.statement_id == "STARTUMSE/00059/001"
    assert st.opening_balance == Money.of("12345.67", "EUR")
    assert st.closing_balance == Money.of("12684.82", "EUR")
    assert (st.period_start, st.period_end) == (date(2024, 2, 29), date(2024, 3, 5))
    assert st.balances_reconcile is True
    assert st.errors == ()
    assert [str(ln.amount.amount) for ln in st.lines] == ["1500.00", "-250.75", "89.90", "-1000.00"]
    assert [ln.line_no for ln in st.lines] == [6, 8, 10, 19]


def test_structured_86_fields() -> None:
    first, second, third, fourth = parse_statement(_load()).lines
    assert first.end_to_end_id == "E2E-2024-INV-1001"
    assert first.remittance_info == "Rechnung INV-1001 Kd 4711 Maerz"
    assert first.payer_name == "Mueller Maschinenbau GmbH"
    assert first.payer_account == "DE89370400440532013000"
    assert first.bank_reference == "BREF-240301-001"
    assert first.customer_reference is None  # NONREF
    assert first.transaction_code == "166"
    assert second.end_to_end_id is None  # NOTPROVIDED
    assert third.remittance_info == "Gutschrift ohne Struktur Beleg 7788"
    assert third.customer_reference == "KREF-77"
    assert third.transaction_code == "NTRF"
    assert fourth.booking_date == date(2024, 3, 5)
    assert fourth.raw.startswith(":61:2403050305DR1000,00")
    assert ":86:177?00SEPA-UEBERWEISUNG" in fourth.raw


def test_each_message_separately() -> None:
    parts = parse_statements(_load())
    assert [p.statement_id for p in parts] == ["STARTUMSE/00059/001", "STARTUMSE/00060/001"]
    assert [len(p.lines) for p in parts] == [3, 1]
    assert all(p.balances_reconcile for p in parts)


def test_wrong_closing_balance_and_gap_are_reported() -> None:
    data = _load().replace(b":60F:C240304EUR13684,82", b":60F:C240304EUR13680,00")
    st = parse_statement(data)
    messages = [e.message for e in st.errors]
    assert any("opens at 13680.00 but the previous one closed at 13684.82" in m for m in messages)
    [second] = parse_statements(data)[1:]
    assert second.balances_reconcile is False


def test_unreadable_line_is_reported() -> None:
    data = b":20:REF\n:25:ACC\n:28C:1/1\n:60F:C240101EUR0,00\n:61:24XX01C10,00NTRF//X\n:62F:C240101EUR0,00\n"
    st = parse_statement(data, hint="mt940")
    assert st.lines == ()
    assert st.errors and st.errors[0].line_no == 1
