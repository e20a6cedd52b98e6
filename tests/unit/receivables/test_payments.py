from datetime import date
from uuid import uuid4

import pytest

from app.domain.receivables.ledger import InstallmentLedger
from app.domain.receivables.payments import (
    Payer,
    Payment,
    PaymentSource,
    PaymentStatus,
    allocate,
    payment_position,
    refund,
    reverse_allocation,
)
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.rules.allocation import AllocationPolicy, OpenItem
from app.domain.shared.errors import Conflict
from tests.unit.receivables.helpers import brl, opened

D = date(2025, 2, 1)


def payment(amount: str) -> Payment:
    return Payment(uuid4(), PaymentSource.PIX, "E123", Payer(tax_id="12345678000195"), brl(amount), D)


def items(*ledgers: InstallmentLedger) -> list[OpenItem]:
    return [OpenItem.of(lg.installment_id, date(2025, 1, i + 1), lg.balance) for i, lg in enumerate(ledgers)]


def test_overpayment_leaves_unapplied_credit_then_refund() -> None:
    a, b = opened("60.00"), opened("30.00")
    p = payment("100.00")
    pos = payment_position(p, [])
    assert pos.status is PaymentStatus.UNAPPLIED
    result = allocate(p, pos, items(a, b), AllocationPolicy.oldest_first(), D)
    assert result.unapplied == brl("10.00")
    a = a.extend(e for e in result.entries if e.installment_id == a.installment_id)
    b = b.extend(e for e in result.entries if e.installment_id == b.installment_id)
    pos = payment_position(p, [*a.entries, *b.entries])
    assert (pos.allocated, pos.unapplied, pos.status) == (
        brl("90.00"),
        brl("10.00"),
        PaymentStatus.PARTIALLY_APPLIED,
    )
    with pytest.raises(Conflict):
        refund(p, pos, brl("10.01"), D, "customer asked")
    r = refund(p, pos, brl("10.00"), D, "customer asked")
    pos = payment_position(p, [*a.entries, *b.entries], [r])
    assert pos.unapplied.is_zero() and pos.status is PaymentStatus.APPLIED


def test_cannot_allocate_more_than_unapplied() -> None:
    a = opened("500.00")
    p = payment("100.00")
    pos = payment_position(p, [])
    with pytest.raises(Conflict):
        allocate(p, pos, items(a), AllocationPolicy.oldest_first(), D, amount=brl("100.01"))
    part = allocate(p, pos, items(a), AllocationPolicy.oldest_first(), D, amount=brl("40.00"))
    assert part.plan.allocated == brl("40.00")


def test_reversal_returns_money_to_the_payment() -> None:
    a = opened("100.00")
    p = payment("100.00")
    result = allocate(p, payment_position(p, []), items(a), AllocationPolicy.oldest_first(), D)
    a = a.extend(result.entries)
    assert payment_position(p, a.entries).unapplied.is_zero()
    rev = reverse_allocation(a, result.entries[0].id, ReasonCode.MISAPPLIED, D)
    a = a.append(rev)
    pos = payment_position(p, a.entries)
    assert pos.unapplied == brl("100.00") and a.open_amount == brl("100.00")
    with pytest.raises(Conflict):
        reverse_allocation(a, result.entries[0].id, ReasonCode.MISAPPLIED, D)
