from datetime import date
from uuid import uuid4

import pytest

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import (
    InstallmentStatus,
    LedgerEntry,
    derive_status,
    new_entry,
    open_amount,
)
from app.domain.receivables.model import ReceivablesError
from app.domain.receivables.reasons import ReasonCode
from app.domain.shared.errors import Conflict, ValidationFailed
from tests.unit.receivables.helpers import brl, opened

D = date(2025, 2, 1)


def test_charge_opens_the_ledger_and_sets_open_amount() -> None:
    ledger = opened("100.00")
    assert ledger.open_amount == brl("100.00")
    assert ledger.status is InstallmentStatus.OPEN
    assert open_amount(ledger.entries) == brl("100.00")


def test_signs_follow_the_kind() -> None:
    iid = uuid4()
    assert new_entry(EntryKind.CREDIT_NOTE, iid, brl("5"), D, reason=ReasonCode.PRICING_ERROR).amount == brl(
        "-5"
    )
    assert new_entry(EntryKind.ADJUSTMENT, iid, brl("3"), D, reason=ReasonCode.BANK_FEE).amount == brl("3")
    assert new_entry(EntryKind.ADJUSTMENT, iid, brl("-3"), D, reason=ReasonCode.ROUNDING).amount == brl("-3")
    with pytest.raises(ReceivablesError):
        LedgerEntry(uuid4(), iid, EntryKind.WRITE_OFF, brl("5"), D, reason=ReasonCode.UNCOLLECTIBLE)
    with pytest.raises(ReceivablesError):
        new_entry(EntryKind.DISCOUNT, iid, brl("-1"), D)


def test_manual_kinds_need_an_allowed_reason() -> None:
    iid = uuid4()
    with pytest.raises(ValidationFailed):
        new_entry(EntryKind.WRITE_OFF, iid, brl("5"), D)
    with pytest.raises(ValidationFailed):
        new_entry(EntryKind.WRITE_OFF, iid, brl("5"), D, reason=ReasonCode.RETURNED_GOODS)
    with pytest.raises(ValidationFailed):
        new_entry(EntryKind.ADJUSTMENT, iid, brl("5"), D, reason=ReasonCode.OTHER)  # OTHER needs a note
    new_entry(EntryKind.ADJUSTMENT, iid, brl("5"), D, reason=ReasonCode.OTHER, note="agreed by phone")


def pay(ledger_id, amount: str, payment=None, component=Component.PRINCIPAL) -> LedgerEntry:  # type: ignore[no-untyped-def]
    return new_entry(
        EntryKind.PAYMENT_ALLOCATION,
        ledger_id,
        brl(amount),
        D,
        payment_id=payment or uuid4(),
        component=component,
    )


def test_status_partially_paid_then_paid() -> None:
    ledger = opened("100.00")
    ledger = ledger.append(pay(ledger.installment_id, "40.00"))
    assert ledger.status is InstallmentStatus.PARTIALLY_PAID
    assert ledger.open_amount == brl("60.00")
    ledger = ledger.append(pay(ledger.installment_id, "60.00"))
    assert ledger.status is InstallmentStatus.PAID


def test_late_charges_raise_the_open_amount_on_their_component() -> None:
    ledger = opened("100.00")
    ledger = ledger.append(
        new_entry(
            EntryKind.LATE_CHARGE, ledger.installment_id, brl("2.50"), D, component=Component.LATE_CHARGES
        )
    )
    assert ledger.balance.principal == brl("100.00")
    assert ledger.balance.late_charges == brl("2.50")
    assert ledger.open_amount == brl("102.50")
    with pytest.raises(ReceivablesError):
        new_entry(EntryKind.LATE_CHARGE, ledger.installment_id, brl("1"), D)  # must be on late charges


def test_written_off_and_cancelled() -> None:
    ledger = opened("100.00")
    iid = ledger.installment_id
    ledger = ledger.append(pay(iid, "30.00"))
    wo = new_entry(EntryKind.WRITE_OFF, iid, brl("70.00"), D, reason=ReasonCode.INSOLVENCY)
    written = ledger.append(wo)
    assert written.status is InstallmentStatus.WRITTEN_OFF
    back = new_entry(
        EntryKind.WRITE_OFF_REVERSAL, iid, brl("70.00"), D, reverses=wo.id, reason=ReasonCode.RECOVERED
    )
    assert written.append(back).status is InstallmentStatus.PARTIALLY_PAID

    cancelled = opened("100.00")
    cn = new_entry(
        EntryKind.CREDIT_NOTE, cancelled.installment_id, brl("100.00"), D, reason=ReasonCode.RETURNED_GOODS
    )
    assert derive_status((*cancelled.entries, cn)) is InstallmentStatus.CANCELLED


def test_never_over_allocated_or_over_credited() -> None:
    ledger = opened("100.00")
    iid = ledger.installment_id
    with pytest.raises(Conflict):
        ledger.append(pay(iid, "100.01"))
    with pytest.raises(Conflict):
        ledger.append(new_entry(EntryKind.CREDIT_NOTE, iid, brl("101"), D, reason=ReasonCode.PRICING_ERROR))
    with pytest.raises(Conflict):  # no late charges assessed: nothing to pay on that component
        ledger.append(pay(iid, "1.00", component=Component.LATE_CHARGES))


def test_reversal_rules() -> None:
    ledger = opened("100.00")
    iid = ledger.installment_id
    alloc = pay(iid, "40.00")
    ledger = ledger.append(alloc)

    def rev(amount: str = "40.00", target=alloc.id, payment=alloc.payment_id):  # type: ignore[no-untyped-def]
        return new_entry(
            EntryKind.ALLOCATION_REVERSAL,
            iid,
            brl(amount),
            D,
            payment_id=payment,
            reverses=target,
            reason=ReasonCode.MISAPPLIED,
        )

    with pytest.raises(ReceivablesError):
        ledger.append(rev("10.00"))  # partial reversal
    with pytest.raises(ReceivablesError):
        ledger.append(rev(target=ledger.entries[0].id))  # a charge is not an allocation
    with pytest.raises(ReceivablesError):
        ledger.append(rev(payment=uuid4()))
    with pytest.raises(ValidationFailed):  # the reason is required
        new_entry(
            EntryKind.ALLOCATION_REVERSAL, iid, brl("40"), D, payment_id=alloc.payment_id, reverses=alloc.id
        )
    ledger = ledger.append(rev())
    assert ledger.open_amount == brl("100.00")
    assert ledger.status is InstallmentStatus.OPEN
    assert ledger.live_allocations() == []
    with pytest.raises(Conflict):
        ledger.append(rev())  # twice


def test_ledger_opens_with_exactly_one_charge() -> None:
    ledger = opened("10.00")
    with pytest.raises(Conflict):
        ledger.append(new_entry(EntryKind.CHARGE, ledger.installment_id, brl("1"), D))
    with pytest.raises(ReceivablesError):
        open_amount([])
    with pytest.raises(Conflict):
        ledger.append(ledger.entries[0])
