"""BAI2: continuation records, funds types, trailer totals; write → parse round trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.banks.statements import Bai2Options, parse_statement, parse_statements, write_bai2
from app.adapters.banks.statements._common import make_line
from app.adapters.banks.statements.bai2 import parse_bai2
from app.domain.settlement.statements import StatementFormat, StatementLine, build_statement
from app.domain.shared.money import Money

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


def _load() -> bytes:
    return (FIXTURES / "bai2_multi_funds.bai").read_bytes()


def test_fixture_accounts_and_lines() -> None:
    first, second = parse_statements(_load())
    assert first.format is StatementFormat.BAI2
    assert (first.account, first.currency, first.period_start) == ("4455667788", "USD", date(2024, 2, 29))
    assert first.opening_balance == Money.of("10000.00", "USD")
    assert first.closing_balance == Money.of("13437.75", "USD")
    assert first.balances_reconcile is True
    assert first.errors == () and second.errors == ()
    got = [
        (ln.line_no, str(ln.amount.amount), ln.bank_reference, ln.customer_reference, ln.transaction_code)
        for ln in first.lines
    ]
    assert got == [
        (4, "1500.25", "BR-0001", "INV-1001", "165"),  # funds type V: value date and time
        (6, "2400.00", "BR-0002", "WIRE-77", "195"),  # funds type S: three availability amounts
        (7, "-700.00", "BR-0003", None, "455"),
        (8, "-12.50", "BR-0004", "1042", "475"),  # funds type D with two distributions
        (9, "250.00", "BR-0005", None, "142"),  # text only on the 88 continuation
    ]
    assert first.lines[0].value_date == date(2024, 3, 1)
    # Commas are part of the text, and the 88 continuation joins with a space.
    assert first.lines[0].remittance_info == "ACH CREDIT ACME CORP, INVOICE 1001 AND 1002 PARTIAL PAYMENT"
    assert first.lines[4].remittance_info == "LOCKBOX DEPOSIT"
    assert "88,1002 PARTIAL PAYMENT" in first.lines[0].raw
    assert (second.account, second.lines) == ("9988776655", ())


def test_parse_statement_names_the_other_account() -> None:
    st = parse_statement(_load())
    assert st.account == "4455667788"
    assert "9988776655 (USD)" in st.errors[-1].message


def test_wrong_trailer_totals_and_counts() -> None:
    data = _load().replace(b"49,3316325,10/", b"49,3316300,11/").replace(b"99,3416325,1,16/", b"99,1,2,9/")
    first, _ = parse_statements(data)
    messages = {(e.line_no, e.message) for e in first.errors}
    assert (12, "account control total is 3316300 but the records add up to 3316325") in messages
    assert (12, "account record count is 11 but the records add up to 10") in messages
    assert (16, "file control total is 1 but the records add up to 3416325") in messages
    assert (16, "file group count is 2 but the records add up to 1") in messages
    assert (16, "file record count is 9 but the records add up to 16") in messages


def test_truncated_file_and_bad_records() -> None:
    lines = _load().decode().splitlines()
    broken = [
        *lines[:6],
        "16,165,12X4,Z,R,,BAD AMOUNT/",
        "16,777,100,Z,R,,LOAN/",
        "16,165,100,Q,R,,/",
        *lines[6:9],
    ]
    [st, *_] = parse_bai2("\n".join(broken).encode())
    messages = [(e.line_no, e.message) for e in st.errors]
    assert (7, "amount is not a whole number: '12X4'") in messages
    assert any(n == 8 and "neither a credit" in m for n, m in messages)
    assert (9, "unknown funds type 'Q'") in messages
    assert (None, "missing file trailer (99): file truncated?") in messages
    assert [ln.bank_reference for ln in st.lines] == ["BR-0001", "BR-0002", "BR-0003", "BR-0004", "BR-0005"]


_refs = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=16)
_text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij0123456789,.#&", max_size=150)


@st.composite
def _statements(draw: st.DrawFn) -> tuple[list[StatementLine], Money, str]:
    n = draw(st.integers(min_value=0, max_value=12))
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    lines = []
    for i in range(n):
        cents = draw(st.integers(min_value=-(10**11), max_value=10**11).filter(lambda c: c != 0))
        lines.append(
            make_line(
                line_no=i,
                amount=Money.from_minor(cents, "USD"),
                booking_date=day,
                value_date=day,
                bank_reference=draw(_refs),
                customer_reference=draw(st.one_of(st.none(), _refs)),
                remittance_info=draw(_text),
            )
        )
    opening = Money.from_minor(draw(st.integers(min_value=-(10**10), max_value=10**10)), "USD")
    funds = draw(st.sampled_from(["Z", "0", "1", "2", "S", "V", "D"]))
    return lines, opening, funds


@settings(max_examples=60, deadline=None)
@given(_statements(), st.integers(min_value=40, max_value=120))
def test_write_then_parse_keeps_totals_and_lines(
    case: tuple[list[StatementLine], Money, str], record_length: int
) -> None:
    lines, opening, funds = case
    closing = opening + Money(sum((ln.amount.amount for ln in lines), Decimal(0)), "USD")
    day = lines[0].booking_date if lines else date(2024, 1, 1)
    original = build_statement(
        format=StatementFormat.BAI2,
        account="12345",
        currency="USD",
        lines=lines,
        opening_balance=opening,
        closing_balance=closing,
        period_start=day,
        period_end=day,
    )
    data = write_bai2(
        [original], options=Bai2Options(record_length=record_length), funds_type=lambda _: funds
    )
    [again] = parse_bai2(data)
    assert again.errors == ()
    assert again.balances_reconcile is True
    assert again.total_credits == original.total_credits
    assert again.total_debits == original.total_debits
    assert [
        (ln.amount, ln.bank_reference, ln.customer_reference, ln.remittance_info) for ln in again.lines
    ] == [(ln.amount, ln.bank_reference, ln.customer_reference, ln.remittance_info) for ln in lines]
    if record_length >= 80:
        assert all(len(row) <= record_length for row in data.decode().splitlines())
