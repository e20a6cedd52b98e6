"""Payments, their allocation to installments, reversals and refunds.

A payment's position is derived, like an installment's balance: what it has allocated
is the sum of its live allocation entries in the installment ledgers, what it refunded
is the sum of its refunds, and the rest is unapplied cash (customer credit). So
``allocated + refunded + unapplied == amount`` holds by construction, and the functions
here refuse anything that would make ``unapplied`` negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.ledger import InstallmentLedger, LedgerEntry, new_entry
from app.domain.receivables.model import ReceivablesError
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.rules.allocation import (
    AllocationPlan,
    AllocationPolicy,
    OpenItem,
    plan_allocation,
)
from app.domain.shared.errors import Conflict, FieldError, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money


class PaymentSource(StrEnum):
    BANK_RETURN = "bank_return"  # CNAB return file (liquidação of a boleto)
    STATEMENT = "statement"  # a credit on a bank statement
    PIX = "pix"
    MANUAL = "manual"
    STRIPE = "stripe"


@dataclass(frozen=True, slots=True)
class Payer:
    """Who sent the money, as the bank reported it (may differ from the customer)."""

    tax_id: str | None = None
    name: str | None = None
    account: str | None = None  # bank/branch/account as one normalised string


@dataclass(frozen=True, slots=True)
class Payment:
    id: UUID
    source: PaymentSource
    reference: str  # nosso número, txid, statement line id, Stripe charge id…
    payer: Payer
    amount: Money
    value_date: date
    customer_id: UUID | None = None  # known when the payer has been identified

    def __post_init__(self) -> None:
        if not self.amount.is_positive():
            raise ReceivablesError("a payment is a positive amount received")

    @property
    def currency(self) -> str:
        return self.amount.currency


@dataclass(frozen=True, slots=True)
class Refund:
    """Money given back from a payment's unapplied part (a PIX devolução, a TED back)."""

    id: UUID
    payment_id: UUID
    amount: Money
    on: date
    reason: str

    def __post_init__(self) -> None:
        if not self.amount.is_positive():
            raise ReceivablesError("a refund is a positive amount")
        if not self.reason.strip():
            raise ValidationFailed([FieldError("reason", "a refund needs a reason")])


class PaymentStatus(StrEnum):
    UNAPPLIED = "unapplied"  # nothing allocated yet
    PARTIALLY_APPLIED = "partially_applied"
    APPLIED = "applied"  # nothing left
    REFUNDED = "refunded"  # closed by refunds, nothing allocated


@dataclass(frozen=True, slots=True)
class PaymentPosition:
    payment_id: UUID
    amount: Money
    allocated: Money
    refunded: Money
    # ``unapplied``, computed once: a settlement step reads it several times. Not part
    # of the value: no init, repr, comparison or hash.
    _unapplied: Money | None = field(default=None, init=False, repr=False, compare=False, hash=False)

    @classmethod
    def received(cls, payment: Payment) -> PaymentPosition:
        """A payment just received: nothing allocated or refunded, all of it unapplied."""
        zero = Money.zero(payment.currency)
        position = cls(payment.id, payment.amount, zero, zero)
        object.__setattr__(position, "_unapplied", payment.amount)
        return position

    def allocating(self, amount: Money) -> PaymentPosition:
        """The position once ``amount`` more is allocated (its unapplied part known:
        what was unapplied less ``amount``, the same Money the sum would give)."""
        position = PaymentPosition(self.payment_id, self.amount, self.allocated + amount, self.refunded)
        object.__setattr__(position, "_unapplied", self.unapplied - amount)
        return position

    @property
    def unapplied(self) -> Money:
        unapplied = self._unapplied
        if unapplied is None:
            unapplied = self.amount - self.allocated - self.refunded
            object.__setattr__(self, "_unapplied", unapplied)
        return unapplied

    @property
    def status(self) -> PaymentStatus:
        if self.unapplied.is_zero():
            return PaymentStatus.APPLIED if self.allocated.is_positive() else PaymentStatus.REFUNDED
        return PaymentStatus.PARTIALLY_APPLIED if self.allocated.is_positive() else PaymentStatus.UNAPPLIED


def payment_position(
    payment: Payment, entries: Iterable[LedgerEntry], refunds: Iterable[Refund] = ()
) -> PaymentPosition:
    """Derive the position from ledger entries (of any installments; other payments'
    entries are ignored) and the payment's refunds."""
    allocated = Money.zero(payment.currency)
    for e in entries:
        if e.payment_id == payment.id and e.kind in (
            EntryKind.PAYMENT_ALLOCATION,
            EntryKind.ALLOCATION_REVERSAL,
        ):
            allocated = allocated - e.amount  # allocations are negative, reversals positive
    refunded = Money.zero(payment.currency)
    for r in refunds:
        if r.payment_id == payment.id:
            refunded = refunded + r.amount
    position = PaymentPosition(payment.id, payment.amount, allocated, refunded)
    if position.unapplied.is_negative() or allocated.is_negative():
        raise ReceivablesError(f"payment {payment.id} is over-applied: {position}")
    return position


@dataclass(frozen=True, slots=True)
class AllocationResult:
    plan: AllocationPlan
    entries: tuple[LedgerEntry, ...]

    @property
    def unapplied(self) -> Money:
        return self.plan.unapplied


def allocate(
    payment: Payment,
    position: PaymentPosition,
    items: Sequence[OpenItem],
    policy: AllocationPolicy,
    on: date,
    *,
    amount: Money | None = None,
    created_by: UUID | None = None,
) -> AllocationResult:
    """Allocate the payment's unapplied cash (or ``amount`` of it) to ``items``.

    Returns the ledger entries to append, one per installment component; the caller
    appends them to each ledger (which checks again that nothing is over-allocated)
    and stores them together, in one transaction.
    """
    payment_id = payment.id
    if position.payment_id.int != payment_id.int:  # UUID equality, cheaply
        raise ReceivablesError("position of another payment")
    currency = payment.amount.currency
    unapplied = position.unapplied
    available = unapplied if amount is None else amount
    if available.currency != currency:
        raise ValidationFailed([FieldError("amount", "must be in the payment's currency")])
    if available > unapplied:
        raise Conflict(f"only {unapplied} of the payment is unapplied; cannot allocate {available}")
    for item in items:
        if item.principal.currency != currency:
            raise ValidationFailed([FieldError("installments", "installment in another currency")])
    plan = plan_allocation(available, items, policy)
    entries = tuple(
        [
            new_entry(
                EntryKind.PAYMENT_ALLOCATION,
                line.installment_id,
                line.amount,
                on,
                component=line.component,
                payment_id=payment_id,
                created_by=created_by,
            )
            for line in plan.lines
        ]
    )
    return AllocationResult(plan, entries)


def reverse_allocation(
    ledger: InstallmentLedger,
    allocation_id: UUID,
    reason: ReasonCode,
    on: date,
    *,
    note: str | None = None,
    created_by: UUID | None = None,
) -> LedgerEntry:
    """The entry that undoes one allocation in full; the money returns to the payment's
    unapplied cash and the amount to the installment. A reason is required."""
    target = ledger.entry(allocation_id)
    if target.kind is not EntryKind.PAYMENT_ALLOCATION:
        raise ValidationFailed([FieldError("allocation_id", "is not a payment allocation")])
    entry = new_entry(
        EntryKind.ALLOCATION_REVERSAL,
        ledger.installment_id,
        target.magnitude,
        on,
        component=target.component,
        payment_id=target.payment_id,
        reverses=target.id,
        reason=reason,
        note=note,
        created_by=created_by,
    )
    ledger.append(entry)  # validates: not reversed yet, same amount and component
    return entry


def refund(payment: Payment, position: PaymentPosition, amount: Money, on: date, reason: str) -> Refund:
    """Give back part of the unapplied cash. Allocated money must be reversed first."""
    if position.payment_id != payment.id:
        raise ReceivablesError("position of another payment")
    if amount > position.unapplied:
        raise Conflict(f"only {position.unapplied} is unapplied; reverse allocations before refunding more")
    return Refund(new_id(), payment.id, amount, on, reason)
