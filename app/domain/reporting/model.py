"""What the sales and finance reports hold: installments grouped by customer, customers
grouped by sales rep, and a day's payments with their allocations.

Every amount is ``Money``; totals are kept per currency (a tenant may invoice in more
than one), never summed across currencies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class Totals:
    """Amounts per currency, in currency order (stable for pages, files and e-mails)."""

    by_currency: tuple[Money, ...] = ()

    @classmethod
    def of(cls, amounts: Iterable[Money]) -> Totals:
        sums: dict[str, Money] = {}
        for amount in amounts:
            sums[amount.currency] = sums[amount.currency] + amount if amount.currency in sums else amount
        return cls(tuple(sums[c] for c in sorted(sums)))

    @classmethod
    def from_minor(cls, minor_by_currency: Mapping[str, int]) -> Totals:
        return cls.of(Money.from_minor(int(v), c) for c, v in minor_by_currency.items())

    def __add__(self, other: Totals) -> Totals:
        return Totals.of((*self.by_currency, *other.by_currency))

    def get(self, currency: str) -> Money:
        for amount in self.by_currency:
            if amount.currency == currency:
                return amount
        return Money.zero(currency)

    @property
    def is_zero(self) -> bool:
        return all(a.is_zero() for a in self.by_currency)

    def to_json(self) -> list[dict[str, str]]:
        return [{"currency": a.currency, "amount": str(a.amount)} for a in self.by_currency]


@dataclass(frozen=True, slots=True)
class InstallmentLine:
    installment_id: UUID
    invoice_id: UUID
    invoice_number: str
    number_index: int
    number_count: int
    due_date: date
    open: Money
    # Positive: days past due as of the report date; zero or negative: not yet due.
    days_late: int

    @property
    def label(self) -> str:
        """ "NF-123" or "NF-123 2/3" for one installment of several."""
        if self.number_count > 1:
            return f"{self.invoice_number} {self.number_index}/{self.number_count}"
        return self.invoice_number

    @property
    def is_overdue(self) -> bool:
        return self.days_late > 0


@dataclass(frozen=True, slots=True)
class CustomerBlock:
    """One customer's installments in a report, with the customer's totals."""

    customer_id: UUID
    name: str
    status: str
    sales_rep: str | None
    lines: tuple[InstallmentLine, ...]

    @property
    def overdue(self) -> Totals:
        return Totals.of(line.open for line in self.lines if line.is_overdue)

    @property
    def upcoming(self) -> Totals:
        return Totals.of(line.open for line in self.lines if not line.is_overdue)

    @property
    def total(self) -> Totals:
        return Totals.of(line.open for line in self.lines)

    @property
    def oldest_days_late(self) -> int:
        return max((line.days_late for line in self.lines), default=0)


@dataclass(frozen=True, slots=True)
class RepSummary:
    """One sales rep's overdue position (``rep`` None: customers with no rep)."""

    rep: str | None
    customers: int
    installments: int
    overdue: Totals
    oldest_days_late: int


@dataclass(frozen=True, slots=True)
class RepBlock:
    rep: str | None
    customers: tuple[CustomerBlock, ...]

    @property
    def overdue(self) -> Totals:
        return Totals.of(line.open for c in self.customers for line in c.lines if line.is_overdue)


@dataclass(frozen=True, slots=True)
class Allocation:
    installment_id: UUID
    invoice_id: UUID
    invoice_number: str
    number_index: int
    number_count: int
    amount: Money

    @property
    def label(self) -> str:
        if self.number_count > 1:
            return f"{self.invoice_number} {self.number_index}/{self.number_count}"
        return self.invoice_number


@dataclass(frozen=True, slots=True)
class Receipt:
    """A payment received, as the cash-receipts report shows it."""

    payment_id: UUID
    value_date: date
    source: str
    bank_account_id: UUID | None
    bank_account: str | None
    customer_id: UUID | None
    customer_name: str | None
    payer_name: str | None
    reference: str
    amount: Money
    unapplied: Money
    allocations: tuple[Allocation, ...] = field(default_factory=tuple)

    @property
    def allocated(self) -> Money:
        total = Money.zero(self.amount.currency)
        for a in self.allocations:
            total = total + a.amount
        return total

    @property
    def refunded(self) -> Money:
        """What is neither allocated nor unapplied went back to the payer."""
        return self.amount - self.allocated - self.unapplied


@dataclass(frozen=True, slots=True)
class ReceiptGroup:
    """Payments of one bank account (or none known) and one source (method)."""

    bank_account_id: UUID | None
    bank_account: str | None
    source: str
    count: int
    amount: Totals
    allocated: Totals
    unapplied: Totals


@dataclass(frozen=True, slots=True)
class CashReceipts:
    day: date
    groups: tuple[ReceiptGroup, ...]
    receipts: tuple[Receipt, ...]

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def amount(self) -> Totals:
        return _sum(g.amount for g in self.groups)

    @property
    def allocated(self) -> Totals:
        return _sum(g.allocated for g in self.groups)

    @property
    def unapplied(self) -> Totals:
        return _sum(g.unapplied for g in self.groups)


def _sum(items: Iterable[Totals]) -> Totals:
    out = Totals()
    for t in items:
        out = out + t
    return out
