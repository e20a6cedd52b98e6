from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from app.domain.receivables.approval import (
    ApprovalState,
    Approver,
    approve,
    entry_for,
    reject,
    request_change,
    requires_approval,
)
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.reasons import ReasonCode, reasons_for
from app.domain.shared.errors import Conflict, PermissionDenied, ValidationFailed
from app.domain.shared.money import Money
from tests.unit.receivables.helpers import brl, opened

AT = datetime(2025, 3, 1, 12, tzinfo=UTC)
MAKER, CHECKER = uuid4(), uuid4()


def test_requires_approval_above_threshold_only() -> None:
    assert not requires_approval(brl("1000.00"), brl("1000.00"))
    assert requires_approval(brl("1000.01"), brl("1000.00"))
    assert requires_approval(brl("-1000.01"), brl("1000.00"))  # a negative adjustment counts by size
    assert requires_approval(brl("0.01"), brl("0"))
    with pytest.raises(ValidationFailed):
        requires_approval(Money.of("1", "USD"), brl("1"))


def write_off(amount: str, threshold: str = "500.00"):  # type: ignore[no-untyped-def]
    return request_change(
        installment_id=uuid4(),
        kind=EntryKind.WRITE_OFF,
        amount=brl(amount),
        reason=ReasonCode.UNCOLLECTIBLE,
        requested_by=MAKER,
        at=AT,
        effective_date=date(2025, 3, 1),
        threshold=brl(threshold),
    )


def test_small_change_is_approved_on_request_and_books() -> None:
    req = write_off("100.00")
    assert req.state is ApprovalState.APPROVED and req.auto_approved
    entry = entry_for(req)
    assert entry.kind is EntryKind.WRITE_OFF and entry.amount == brl("-100.00") and entry.id == req.id


def test_large_change_needs_another_user_with_authority() -> None:
    req = write_off("800.00")
    assert req.state is ApprovalState.REQUESTED
    with pytest.raises(Conflict):
        entry_for(req)  # nothing booked before approval
    with pytest.raises(PermissionDenied):
        approve(req, Approver(MAKER), AT)  # maker cannot check
    with pytest.raises(PermissionDenied):
        approve(req, Approver(CHECKER, authority=brl("700.00")), AT)
    done = approve(req, Approver(CHECKER, authority=brl("800.00")), AT)
    assert done.state is ApprovalState.APPROVED and done.decided_by == CHECKER and not done.auto_approved
    assert entry_for(done).amount == brl("-800.00")
    with pytest.raises(Conflict):
        approve(done, Approver(uuid4()), AT)  # decided once


def test_rejected_request_never_books() -> None:
    req = write_off("800.00")
    with pytest.raises(ValidationFailed):
        reject(req, Approver(CHECKER), AT, " ")
    with pytest.raises(PermissionDenied):
        reject(req, Approver(MAKER), AT, "no")
    rejected = reject(req, Approver(CHECKER, authority=brl("1")), AT, "customer is paying")
    assert rejected.state is ApprovalState.REJECTED
    with pytest.raises(Conflict):
        entry_for(rejected)


def test_reason_must_fit_the_kind() -> None:
    with pytest.raises(ValidationFailed):
        request_change(
            installment_id=uuid4(),
            kind=EntryKind.CREDIT_NOTE,
            amount=brl("1"),
            reason=ReasonCode.UNCOLLECTIBLE,
            requested_by=MAKER,
            at=AT,
            effective_date=date(2025, 3, 1),
            threshold=brl("10"),
        )
    with pytest.raises(ValidationFailed):  # payments are not manual changes
        request_change(
            installment_id=uuid4(),
            kind=EntryKind.PAYMENT_ALLOCATION,
            amount=brl("1"),
            reason=ReasonCode.OTHER,
            note="x",
            requested_by=MAKER,
            at=AT,
            effective_date=date(2025, 3, 1),
            threshold=brl("10"),
        )
    assert {r.code for r in reasons_for(EntryKind.WRITE_OFF)} >= {
        ReasonCode.UNCOLLECTIBLE,
        ReasonCode.INSOLVENCY,
    }


def test_negative_adjustment_through_approval_lands_in_the_ledger() -> None:
    ledger = opened("300.00")
    req = request_change(
        installment_id=ledger.installment_id,
        kind=EntryKind.ADJUSTMENT,
        amount=brl("-45.00"),
        reason=ReasonCode.ACCEPTED_DEDUCTION,
        note="freight deducted by customer",
        requested_by=MAKER,
        at=AT,
        effective_date=date(2025, 3, 1),
        threshold=brl("20.00"),
    )
    approved = approve(req, Approver(CHECKER), AT)
    ledger = ledger.append(entry_for(approved))
    assert ledger.open_amount == brl("255.00")
    with pytest.raises(Conflict):
        ledger.append(entry_for(approved))  # same id: booked once
