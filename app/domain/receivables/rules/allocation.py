"""Allocation policies: which installments a payment settles, and in what order.

Pure planning: given the money available and the open items, return the lines to book.
The plan never gives an installment component more than is open on it and never hands
out more than is available; what is left is unapplied cash (customer credit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from app.domain.receivables.kinds import Component
from app.domain.receivables.ledger import Balance
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.shared.money import Money


class TargetOrder(StrEnum):
    GIVEN = "given"  # the installments the payer named, in the order named
    OLDEST_DUE_FIRST = "oldest_due_first"  # FIFO by due date


class ComponentOrder(StrEnum):
    """Within one installment: settle late charges before principal, or the reverse.

    Charges first is the usual creditor choice (and what Brazilian banks do on a boleto
    paid late); principal first is kinder to the debtor and some contracts require it.
    """

    CHARGES_FIRST = "charges_first"
    PRINCIPAL_FIRST = "principal_first"

    @property
    def components(self) -> tuple[Component, Component]:
        if self is ComponentOrder.CHARGES_FIRST:
            return (Component.LATE_CHARGES, Component.PRINCIPAL)
        return (Component.PRINCIPAL, Component.LATE_CHARGES)


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An installment as the allocator sees it: what is open on each component."""

    installment_id: UUID
    due_date: date
    principal: Money
    late_charges: Money
    index: int = 1  # installment index, a tie-breaker for equal due dates

    @classmethod
    def of(cls, installment_id: UUID, due_date: date, bal: Balance, index: int = 1) -> OpenItem:
        return cls(installment_id, due_date, bal.principal, bal.late_charges, index)

    @property
    def open(self) -> Money:
        return self.principal + self.late_charges

    def open_on(self, component: Component) -> Money:
        return self.principal if component is Component.PRINCIPAL else self.late_charges


@dataclass(frozen=True, slots=True)
class AllocationPolicy:
    order: TargetOrder = TargetOrder.OLDEST_DUE_FIRST
    components: ComponentOrder = ComponentOrder.CHARGES_FIRST
    targets: tuple[UUID, ...] = ()  # GIVEN: the order; OLDEST_DUE_FIRST: an optional filter

    @classmethod
    def given(
        cls, targets: Sequence[UUID], components: ComponentOrder = ComponentOrder.CHARGES_FIRST
    ) -> AllocationPolicy:
        return cls(TargetOrder.GIVEN, components, tuple(targets))

    @classmethod
    def oldest_first(cls, components: ComponentOrder = ComponentOrder.CHARGES_FIRST) -> AllocationPolicy:
        return cls(TargetOrder.OLDEST_DUE_FIRST, components)


@dataclass(frozen=True, slots=True)
class PlannedAllocation:
    installment_id: UUID
    component: Component
    amount: Money


@dataclass(frozen=True, slots=True)
class AllocationPlan:
    lines: tuple[PlannedAllocation, ...]
    unapplied: Money
    available: Money = field(repr=False)

    @property
    def allocated(self) -> Money:
        acc = Money.zero(self.unapplied.currency)
        for line in self.lines:
            acc = acc + line.amount
        return acc

    def to(self, installment_id: UUID) -> Money:
        acc = Money.zero(self.unapplied.currency)
        for line in self.lines:
            if line.installment_id == installment_id:
                acc = acc + line.amount
        return acc

    @property
    def installment_ids(self) -> tuple[UUID, ...]:
        seen: dict[UUID, None] = {}
        for line in self.lines:
            seen.setdefault(line.installment_id)
        return tuple(seen)


def _ordered(items: Sequence[OpenItem], policy: AllocationPolicy) -> Sequence[OpenItem]:
    if (
        len(items) == 1
        and policy.order is TargetOrder.GIVEN
        and len(policy.targets) == 1
        and policy.targets[0].int == items[0].installment_id.int  # UUID equality, cheaply
    ):
        # One installment named, and it is the one open item (every allocation of a
        # bank-file line): what the checks below would return, without the dicts.
        return items
    by_id = {i.installment_id: i for i in items}
    if len(by_id) != len(items):
        raise ValidationFailed([FieldError("installments", "an installment is listed twice")])
    if policy.order is TargetOrder.GIVEN:
        if not policy.targets:
            raise ValidationFailed([FieldError("installments", "name at least one installment")])
        if len(set(policy.targets)) != len(policy.targets):
            raise ValidationFailed([FieldError("installments", "an installment is named twice")])
        missing = [t for t in policy.targets if t not in by_id]
        if missing:
            raise ValidationFailed(
                [FieldError("installments", f"installment {m} is not open for this payment") for m in missing]
            )
        return [by_id[t] for t in policy.targets]
    pool = [by_id[t] for t in policy.targets if t in by_id] if policy.targets else list(items)
    return sorted(pool, key=lambda i: (i.due_date, i.index, str(i.installment_id)))


def plan_allocation(available: Money, items: Sequence[OpenItem], policy: AllocationPolicy) -> AllocationPlan:
    """Spread ``available`` over ``items`` by ``policy``; the rest is unapplied."""
    if available.is_negative():
        raise ValidationFailed([FieldError("amount", "cannot allocate a negative amount")])
    left = available
    lines: list[PlannedAllocation] = []
    for item in _ordered(items, policy):
        for component in policy.components.components:
            if left.is_zero():
                break
            take = left.min(item.open_on(component))
            if take.is_positive():
                lines.append(PlannedAllocation(item.installment_id, component, take))
                left = left - take
    return AllocationPlan(tuple(lines), left, available)
