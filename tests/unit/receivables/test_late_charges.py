"""Late charges against values computed by hand (each comment shows the arithmetic)."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.late_charges import (
    EarlyPaymentDiscount,
    LateChargePolicy,
    charges_as_of,
    late_charge_entry,
)
from app.domain.receivables.model import Installment, InstallmentNumber, ReceivablesError
from tests.unit.receivables.helpers import brl

DUE = date(2025, 1, 10)
STANDARD = LateChargePolicy(fine_percent=Decimal("2"), interest_percent_per_month=Decimal("1"))


def inst(amount: str, due: date = DUE) -> Installment:
    return Installment(uuid4(), uuid4(), uuid4(), InstallmentNumber(1, 1), due, brl(amount))


def test_fine_and_interest_35_days_late() -> None:
    c = charges_as_of(inst("1000.00"), STANDARD, date(2025, 2, 14))
    assert c.days_late == 35
    assert c.fine == brl("20.00")  # 1000 × 2 %
    assert c.interest == brl("11.67")  # 1000 × 1 % / 30 × 35 = 11.666…
    assert c.total_due == brl("1031.67")
    assert c.charges == brl("31.67")


def test_interest_rounds_once_half_up() -> None:
    policy = LateChargePolicy(interest_percent_per_month=Decimal("1.5"))
    c = charges_as_of(inst("2345.67"), policy, DUE + timedelta(days=45))
    assert c.interest == brl("52.78")  # 2345.67 × 0.015 / 30 × 45 = 52.777575
    one_day = charges_as_of(inst("100.00"), STANDARD, DUE + timedelta(days=1))
    assert one_day.interest == brl("0.03")  # 0.0333…


def test_fine_half_up_not_bankers() -> None:
    c = charges_as_of(inst("0.25"), STANDARD, DUE + timedelta(days=1))
    assert c.fine == brl("0.01")  # 0.005 rounds up


def test_on_time_nothing_is_charged() -> None:
    c = charges_as_of(inst("500.00"), STANDARD, DUE)
    assert (c.fine, c.interest, c.discount, c.days_late) == (brl("0"), brl("0"), brl("0"), 0)
    assert c.total_due == brl("500.00")


def test_consumer_fine_is_capped_at_2_percent() -> None:
    policy = LateChargePolicy(fine_percent=Decimal("10"))
    business = charges_as_of(inst("333.33"), policy, DUE + timedelta(days=5))
    consumer = charges_as_of(inst("333.33"), policy, DUE + timedelta(days=5), consumer=True)
    assert business.fine == brl("33.33") and not business.fine_capped  # 33.333
    assert consumer.fine == brl("6.67") and consumer.fine_capped  # 333.33 × 2 % = 6.6666
    under_cap = charges_as_of(
        inst("100.00"), LateChargePolicy(fine_percent=Decimal("1")), DUE + timedelta(days=1), consumer=True
    )
    assert under_cap.fine == brl("1.00") and not under_cap.fine_capped


def test_grace_period_is_a_tolerance_not_a_shift() -> None:
    policy = LateChargePolicy(
        fine_percent=Decimal("2"), interest_percent_per_month=Decimal("1"), grace_days=3
    )
    assert charges_as_of(inst("150.00"), policy, DUE + timedelta(days=3)).charges == brl("0")
    c = charges_as_of(inst("150.00"), policy, DUE + timedelta(days=4))
    assert c.fine == brl("3.00")  # 150 × 2 %
    assert c.interest == brl("0.20")  # 150 × 1 % / 30 × 4 days (from the due date)


def test_charges_run_on_the_open_principal() -> None:
    c = charges_as_of(inst("1000.00"), STANDARD, DUE + timedelta(days=30), principal=brl("400.00"))
    assert c.fine == brl("8.00") and c.interest == brl("4.00")
    assert c.total_due == brl("412.00")


def test_early_payment_discount_percent_and_fixed() -> None:
    pct = LateChargePolicy(discount=EarlyPaymentDiscount(days_before_due=5, percent=Decimal("5")))
    assert charges_as_of(inst("200.00"), pct, DUE - timedelta(days=5)).discount == brl("10.00")
    assert charges_as_of(inst("200.00"), pct, DUE - timedelta(days=5)).total_due == brl("190.00")
    assert charges_as_of(inst("200.00"), pct, DUE - timedelta(days=4)).discount == brl("0")
    fixed = LateChargePolicy(discount=EarlyPaymentDiscount(fixed=brl("15.00")))
    assert charges_as_of(inst("10.00"), fixed, DUE).discount == brl("10.00")  # never above the principal
    assert charges_as_of(inst("50.00"), fixed, DUE).discount == brl("15.00")
    assert charges_as_of(inst("50.00"), fixed, DUE + timedelta(days=1)).discount == brl("0")


def test_policy_validation() -> None:
    with pytest.raises(ReceivablesError):
        EarlyPaymentDiscount(percent=Decimal("5"), fixed=brl("1"))
    with pytest.raises(ReceivablesError):
        LateChargePolicy(fine_percent=Decimal("-1"))
    with pytest.raises(ReceivablesError):
        LateChargePolicy(grace_days=-1)


def test_late_charge_entry_books_only_the_increase() -> None:
    c = charges_as_of(inst("1000.00"), STANDARD, date(2025, 2, 14))
    entry = late_charge_entry(uuid4(), c, brl("20.00"), date(2025, 2, 14))
    assert entry is not None
    assert (entry.kind, entry.component, entry.amount) == (
        EntryKind.LATE_CHARGE,
        Component.LATE_CHARGES,
        brl("11.67"),
    )
    assert late_charge_entry(uuid4(), c, brl("31.67"), date(2025, 2, 14)) is None
