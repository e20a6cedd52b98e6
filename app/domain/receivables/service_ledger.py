"""Shared steps of the receivables use cases: booking entries on installments and
keeping each invoice's maintained position in line with its installments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from app.domain.receivables.invoice_input import InvoiceStatus
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry
from app.domain.receivables.service_ports import InstallmentState, InvoicePart, LedgerUnitOfWork
from app.domain.shared.events import DomainEvent
from app.domain.shared.money import Money


def invoice_position(parts: Sequence[InvoicePart], currency: str) -> tuple[Money, InvoiceStatus]:
    """An invoice's open amount and status from its installments'."""
    open_amount = Money.zero(currency)
    for p in parts:
        open_amount = open_amount + p.open
    statuses = {p.status for p in parts}
    if open_amount.is_positive():
        touched = statuses & {
            InstallmentStatus.PARTIALLY_PAID,
            InstallmentStatus.PAID,
            InstallmentStatus.WRITTEN_OFF,
        }
        return open_amount, InvoiceStatus.PARTIALLY_PAID if touched else InvoiceStatus.OPEN
    if InstallmentStatus.WRITTEN_OFF in statuses:
        return open_amount, InvoiceStatus.WRITTEN_OFF
    if InstallmentStatus.PAID in statuses:
        return open_amount, InvoiceStatus.PAID
    return open_amount, InvoiceStatus.CANCELLED


def entry_json(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "installment_id": str(e.installment_id),
        "kind": e.kind.value,
        "component": e.component.value,
        "amount": str(e.amount.amount),
        "currency": e.amount.currency,
        "effective_date": e.effective_date.isoformat(),
        "payment_id": str(e.payment_id) if e.payment_id else None,
        "reverses": str(e.reverses) if e.reverses else None,
        "reason": e.reason.value if e.reason else None,
        "note": e.note,
    }


def state_json(ledger: InstallmentLedger) -> dict[str, Any]:
    return {"open_amount": str(ledger.open_amount.amount), "status": ledger.status.value}


async def book(
    uow: LedgerUnitOfWork, changed: Iterable[tuple[InstallmentState, InstallmentLedger]]
) -> list[UUID]:
    """Store the new entries of each changed ledger, refresh the installments' invoices,
    and announce installments that became paid. Returns the ids of paid installments."""
    paid: list[UUID] = []
    invoices: dict[UUID, str] = {}
    for state, after in changed:
        new = len(after.entries) - len(state.ledger.entries)
        if new <= 0:
            continue
        await uow.installments.save(after, new)
        invoices[state.installment.invoice_id] = state.installment.currency
        before_status = state.ledger.status
        if after.status is InstallmentStatus.PAID and before_status is not InstallmentStatus.PAID:
            paid.append(state.id)
            uow.record(
                DomainEvent(
                    "installment.paid",
                    {
                        "installment_id": str(state.id),
                        "invoice_id": str(state.installment.invoice_id),
                        "customer_id": str(state.installment.customer_id),
                        "amount": str(state.installment.amount.amount),
                        "currency": state.installment.currency,
                    },
                )
            )
    for invoice_id, currency in invoices.items():
        await refresh_invoice(uow, invoice_id, currency)
    return paid


async def refresh_invoice(uow: LedgerUnitOfWork, invoice_id: UUID, currency: str) -> None:
    parts = await uow.installments.invoice_parts(invoice_id)
    if parts:
        open_amount, status = invoice_position(parts, currency)
        await uow.installments.set_invoice_position(invoice_id, open_amount, status)
