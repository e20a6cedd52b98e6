from datetime import date
from uuid import uuid4

import pytest

from app.domain.receivables.model import InstallmentNumber, InvoiceInstallments, ReceivablesError
from app.domain.receivables.schedule import TermSchedule, build_installments, split_into_installments
from tests.unit.receivables.helpers import brl


def test_split_30_60_90_adds_up_and_puts_remainder_cents_first() -> None:
    plan = split_into_installments(brl("100.00"), date(2025, 1, 31), TermSchedule.parse("30/60/90"))
    assert [p.amount for p in plan] == [brl("33.34"), brl("33.33"), brl("33.33")]
    assert [p.due_date for p in plan] == [date(2025, 3, 2), date(2025, 4, 1), date(2025, 5, 1)]
    assert [str(p.number) for p in plan] == ["1/3", "2/3", "3/3"]


def test_split_adds_up_exactly_for_awkward_amounts() -> None:
    for cents in (1, 7, 99, 100_001, 12_345_679):
        amount = brl(f"{cents // 100}.{cents % 100:02d}")
        for n in range(1, 8):
            if cents < n:
                continue
            parts = split_into_installments(
                amount, date(2025, 1, 1), TermSchedule(tuple(range(0, n * 30, 30)))
            )
            assert sum(p.amount.minor for p in parts) == cents
            assert max(p.amount.minor for p in parts) - min(p.amount.minor for p in parts) <= 1


def test_schedule_parsing_and_validation() -> None:
    assert TermSchedule.parse("28, 56").days == (28, 56)
    assert str(TermSchedule.parse("0")) == "0"
    for bad in ("", "30/x", "60/30", "30/30"):
        with pytest.raises(ReceivablesError):
            TermSchedule.parse(bad)


def test_cannot_split_fewer_cents_than_installments() -> None:
    with pytest.raises(ReceivablesError):
        split_into_installments(brl("0.02"), date(2025, 1, 1), TermSchedule((30, 60, 90)))


def test_build_installments_numbers_and_document_numbers() -> None:
    inv = build_installments(
        customer_id=uuid4(),
        number="NF-1234",
        issue_date=date(2025, 1, 1),
        amount=brl("1000.00"),
        schedule=TermSchedule((30, 60)),
    )
    assert [i.document_number for i in inv.installments] == ["NF-1234-1", "NF-1234-2"]
    assert all(i.invoice_id == inv.invoice_id for i in inv.installments)


def test_invoice_installments_must_add_up() -> None:
    inv = build_installments(
        customer_id=uuid4(),
        number="1",
        issue_date=date(2025, 1, 1),
        amount=brl("10.00"),
        schedule=TermSchedule((30,)),
    )
    with pytest.raises(ReceivablesError, match="add up"):
        InvoiceInstallments(
            inv.invoice_id, inv.customer_id, "1", inv.issue_date, brl("10.01"), inv.installments
        )


def test_installment_number() -> None:
    assert InstallmentNumber.parse(" 2/3 ") == InstallmentNumber(2, 3)
    for bad in ("0/3", "4/3", "a/b", "3"):
        with pytest.raises(ReceivablesError):
            InstallmentNumber.parse(bad)
