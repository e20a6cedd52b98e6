"""Late charges (multa, juros de mora) and the early-payment discount (desconto).

Conventions, chosen to match what Brazilian banks compute on a boleto:

- Days late are calendar days: ``(as_of - due_date).days``. Paying on the due date is
  on time. (Moving a due date that falls on a weekend or bank holiday to the next
  business day is the caller's job: it needs the bank calendar, which is not pure.)
- Grace period (carência): while ``days_late <= grace_days`` nothing is charged. Once
  it is exceeded, the fine applies and interest counts from the due date, not from the
  end of the grace period: the grace is a tolerance, not a shift of the due date.
- Fine (multa): ``principal × fine_percent / 100``, once. For consumer debts in Brazil
  (the customer is a person, CPF) the CDC art. 52 §1 caps it at 2 %: a higher tenant
  rate is lowered to 2 % for those customers and ``fine_capped`` says so.
- Interest (juros de mora), simple, pro rata die on a 30-day month:
  ``principal × (monthly_percent / 100) / 30 × days_late``.
- Each amount is computed with exact Decimals and rounded once, half-up, to the cent
  (``Money.rounded``); the total is the sum of the rounded parts, so the parts shown
  to the customer always add up to the total.
- Early-payment discount: a percentage of the principal or a fixed amount (never more
  than the principal), granted while ``as_of <= due_date - days_before_due``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import LedgerEntry, new_entry
from app.domain.receivables.model import ReceivablesError
from app.domain.shared.money import Money

CONSUMER_FINE_CAP_PERCENT = Decimal("2")
DAYS_PER_MONTH = Decimal(30)


class HasDue(Protocol):
    @property
    def due_date(self) -> date: ...

    @property
    def amount(self) -> Money: ...


@dataclass(frozen=True, slots=True)
class EarlyPaymentDiscount:
    days_before_due: int = 0  # 0: up to and including the due date
    percent: Decimal | None = None
    fixed: Money | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.fixed is None):
            raise ReceivablesError("a discount is either a percentage or a fixed amount")
        if self.percent is not None and not Decimal(0) < self.percent <= Decimal(100):
            raise ReceivablesError("a discount percentage is in (0, 100]")
        if self.fixed is not None and not self.fixed.is_positive():
            raise ReceivablesError("a fixed discount is positive")
        if self.days_before_due < 0:
            raise ReceivablesError("days before due cannot be negative")


@dataclass(frozen=True, slots=True)
class LateChargePolicy:
    fine_percent: Decimal = Decimal(0)
    interest_percent_per_month: Decimal = Decimal(0)
    grace_days: int = 0
    discount: EarlyPaymentDiscount | None = None

    def __post_init__(self) -> None:
        if self.fine_percent < 0 or self.interest_percent_per_month < 0:
            raise ReceivablesError("late-charge rates cannot be negative")
        if self.fine_percent > 100 or self.interest_percent_per_month > 100:
            raise ReceivablesError("late-charge rates are percentages (2 means 2 %)")
        if self.grace_days < 0:
            raise ReceivablesError("grace days cannot be negative")


@dataclass(frozen=True, slots=True)
class LateCharges:
    principal: Money
    fine: Money
    interest: Money
    discount: Money
    days_late: int
    fine_capped: bool = False

    @property
    def charges(self) -> Money:
        """Fine plus interest: what a late-charge ledger entry books."""
        return self.fine + self.interest

    @property
    def total_due(self) -> Money:
        return self.principal + self.fine + self.interest - self.discount


def days_late(due_date: date, as_of: date) -> int:
    return (as_of - due_date).days


def charges_accrue(due_date: date, policy: LateChargePolicy, as_of: date) -> bool:
    """Whether late charges run on ``as_of``: only once the grace period after the due
    date is over (paying on the due date is on time)."""
    return days_late(due_date, as_of) > policy.grace_days


def charges_as_of(
    installment: HasDue,
    policy: LateChargePolicy,
    as_of: date,
    *,
    consumer: bool = False,
    principal: Money | None = None,
) -> LateCharges:
    """What is due on ``as_of``. ``principal`` defaults to the face value; pass the open
    principal when part has been paid (charges run only on what is still owed)."""
    base = installment.amount if principal is None else principal
    currency = base.currency
    zero = Money.zero(currency)
    late = days_late(installment.due_date, as_of)
    if late <= 0:
        discount = _discount(base, policy, installment.due_date, as_of)
        return LateCharges(base, zero, zero, discount, late)
    if not charges_accrue(installment.due_date, policy, as_of):
        return LateCharges(base, zero, zero, zero, late)
    rate = policy.fine_percent
    capped = consumer and rate > CONSUMER_FINE_CAP_PERCENT
    if capped:
        rate = CONSUMER_FINE_CAP_PERCENT
    fine = Money.rounded(base.amount * rate / 100, currency)
    interest = Money.rounded(
        base.amount * policy.interest_percent_per_month / 100 / DAYS_PER_MONTH * late, currency
    )
    return LateCharges(base, fine, interest, zero, late, capped)


def _discount(base: Money, policy: LateChargePolicy, due: date, as_of: date) -> Money:
    d = policy.discount
    if d is None or days_late(due, as_of) > -d.days_before_due:
        return Money.zero(base.currency)
    if d.percent is not None:
        return Money.rounded(base.amount * d.percent / 100, base.currency)
    assert d.fixed is not None
    if d.fixed.currency != base.currency:
        raise ReceivablesError("a fixed discount must be in the installment's currency")
    return d.fixed.min(base)


def late_charge_increase(charges: LateCharges, already_assessed: Money) -> Money | None:
    """What an assessment adds to the late charges already booked to bring them up to
    ``charges`` (None if nothing new). Assessed charges only grow: waiving them is an
    adjustment with a reason, not a smaller assessment."""
    extra = charges.charges - already_assessed
    return extra if extra.is_positive() else None


def late_charge_assessment(installment_id: UUID, extra: Money, on: date) -> LedgerEntry:
    """The entry that books ``extra`` late charges (a ``late_charge_increase``)."""
    return new_entry(EntryKind.LATE_CHARGE, installment_id, extra, on, component=Component.LATE_CHARGES)


def late_charge_entry(
    installment_id: UUID, charges: LateCharges, already_assessed: Money, on: date
) -> LedgerEntry | None:
    """The entry that brings assessed late charges up to ``charges`` (None if nothing new)."""
    extra = late_charge_increase(charges, already_assessed)
    return None if extra is None else late_charge_assessment(installment_id, extra, on)
