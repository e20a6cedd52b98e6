from datetime import date
from uuid import uuid4

import pytest

from app.domain.receivables.kinds import Component
from app.domain.receivables.rules.allocation import (
    AllocationPolicy,
    ComponentOrder,
    OpenItem,
    plan_allocation,
)
from app.domain.shared.errors import ValidationFailed
from tests.unit.receivables.helpers import brl


def item(due: date, principal: str, charges: str = "0", index: int = 1) -> OpenItem:
    return OpenItem(uuid4(), due, brl(principal), brl(charges), index)


A = item(date(2025, 3, 10), "100.00", "5.00")
B = item(date(2025, 1, 10), "50.00")
C = item(date(2025, 2, 10), "80.00", "2.00")


def test_oldest_due_first_charges_first() -> None:
    plan = plan_allocation(brl("140.00"), [A, B, C], AllocationPolicy.oldest_first())
    assert [(line.installment_id, line.component, line.amount) for line in plan.lines] == [
        (B.installment_id, Component.PRINCIPAL, brl("50.00")),
        (C.installment_id, Component.LATE_CHARGES, brl("2.00")),
        (C.installment_id, Component.PRINCIPAL, brl("80.00")),
        (A.installment_id, Component.LATE_CHARGES, brl("5.00")),
        (A.installment_id, Component.PRINCIPAL, brl("3.00")),
    ]
    assert plan.unapplied.is_zero()
    assert plan.allocated == brl("140.00")


def test_principal_first_leaves_charges_open() -> None:
    plan = plan_allocation(brl("81.00"), [C], AllocationPolicy.oldest_first(ComponentOrder.PRINCIPAL_FIRST))
    assert [(line.component, line.amount) for line in plan.lines] == [
        (Component.PRINCIPAL, brl("80.00")),
        (Component.LATE_CHARGES, brl("1.00")),
    ]


def test_given_order_is_kept_and_overpayment_is_unapplied() -> None:
    plan = plan_allocation(
        brl("300.00"), [A, B, C], AllocationPolicy.given([A.installment_id, B.installment_id])
    )
    assert plan.installment_ids == (A.installment_id, B.installment_id)
    assert plan.to(A.installment_id) == brl("105.00")
    assert plan.to(B.installment_id) == brl("50.00")
    assert plan.unapplied == brl("145.00")


def test_given_targets_must_be_open_and_distinct() -> None:
    with pytest.raises(ValidationFailed):
        plan_allocation(brl("1"), [A], AllocationPolicy.given([uuid4()]))
    with pytest.raises(ValidationFailed):
        plan_allocation(brl("1"), [A], AllocationPolicy.given([A.installment_id, A.installment_id]))
    with pytest.raises(ValidationFailed):
        plan_allocation(brl("1"), [A], AllocationPolicy.given([]))


def test_equal_due_dates_break_ties_by_installment_index() -> None:
    second = item(date(2025, 1, 1), "10.00", index=2)
    first = item(date(2025, 1, 1), "10.00", index=1)
    plan = plan_allocation(brl("10.00"), [second, first], AllocationPolicy.oldest_first())
    assert plan.installment_ids == (first.installment_id,)


def test_oldest_first_with_targets_filters() -> None:
    plan = plan_allocation(
        brl("500"), [A, B, C], AllocationPolicy(targets=(A.installment_id, C.installment_id))
    )
    assert plan.installment_ids == (C.installment_id, A.installment_id)
