"""Splitting an invoice into installments by a term schedule (e.g. 30/60/90 days)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from uuid import UUID

from app.domain.receivables.model import Installment, InstallmentNumber, InvoiceInstallments, ReceivablesError
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class TermSchedule:
    """Days after the issue date on which each installment falls due, e.g. (30, 60, 90)."""

    days: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.days:
            raise ReceivablesError("a term schedule has at least one term")
        if any(d < 0 for d in self.days):
            raise ReceivablesError("term days cannot be negative")
        if any(b <= a for a, b in pairwise(self.days)):
            raise ReceivablesError("term days must be strictly increasing")

    @classmethod
    def parse(cls, text: str) -> TermSchedule:
        """``"30/60/90"`` (also accepts commas or spaces); ``"0"`` is cash on issue."""
        parts = [p for p in text.replace(",", "/").replace(" ", "/").split("/") if p]
        if not parts or not all(p.isdigit() for p in parts):
            raise ReceivablesError(f"term schedule must look like 30/60/90, got {text!r}")
        return cls(tuple(int(p) for p in parts))

    def __str__(self) -> str:
        return "/".join(str(d) for d in self.days)


@dataclass(frozen=True, slots=True)
class PlannedInstallment:
    number: InstallmentNumber
    due_date: date
    amount: Money


def split_into_installments(
    amount: Money, issue_date: date, schedule: TermSchedule
) -> list[PlannedInstallment]:
    """Installments whose amounts add up exactly to ``amount``.

    Uses ``Money.split``: the remainder cents go to the first installments, so the customer
    never pays a cent more at the end than at the start (the usual ERP convention).
    """
    if not amount.is_positive():
        raise ReceivablesError("only a positive amount can be split into installments")
    count = len(schedule.days)
    if amount.minor < count:
        raise ReceivablesError(f"{amount} is too small to split into {count} installments")
    parts = amount.split(count)
    return [
        PlannedInstallment(InstallmentNumber(i, count), issue_date + timedelta(days=d), part)
        for i, (d, part) in enumerate(zip(schedule.days, parts, strict=True), start=1)
    ]


def build_installments(
    *,
    customer_id: UUID,
    number: str,
    issue_date: date,
    amount: Money,
    schedule: TermSchedule,
    invoice_id: UUID | None = None,
    make_id: Callable[[], UUID] = new_id,
) -> InvoiceInstallments:
    """An invoice's installments by ``schedule``; ``document_number`` is ``<number>-<index>``."""
    inv_id = invoice_id or make_id()
    plan = split_into_installments(amount, issue_date, schedule)
    installments = tuple(
        Installment(
            id=make_id(),
            invoice_id=inv_id,
            customer_id=customer_id,
            number=p.number,
            due_date=p.due_date,
            amount=p.amount,
            document_number=f"{number}-{p.number.index}",
        )
        for p in plan
    )
    return InvoiceInstallments(inv_id, customer_id, number, issue_date, amount, installments)
