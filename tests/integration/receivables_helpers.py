"""Helpers for the receivables integration tests: run use cases in a unit of work and
compare the maintained balances with those derived from the ledger."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import select

from app.adapters.db.models import InstallmentRow, InvoiceRow, PaymentRow
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.payments import payment_position
from app.domain.receivables.service_ledger import invoice_position
from app.domain.receivables.service_ports import InvoicePart
from app.domain.shared.money import Money
from app.domain.tenancy.principal import Principal
from app.server.services import Services
from tests.support.factories import TenantInfo

T = TypeVar("T")


async def in_uow(
    services: Services, principal: Principal, fn: Callable[[SqlUnitOfWork], Awaitable[T]], commit: bool = True
) -> T:
    async with services.uow(principal) as uow:
        result = await fn(uow)
        if commit:
            await uow.commit()
    return result


async def check_maintained(
    services: Services, principal: Principal, customer_id: uuid.UUID
) -> dict[str, Any]:
    """Assert maintained == derived for a customer's installments, invoices and payments."""

    async def run(uow: SqlUnitOfWork) -> dict[str, Any]:
        rows = list(
            (
                await uow.session.execute(
                    uow.installments.scoped(InstallmentRow).where(InstallmentRow.customer_id == customer_id)
                )
            ).scalars()
        )
        ledgers = await uow.installments.ledgers([r.id for r in rows])
        by_invoice: dict[uuid.UUID, list[InvoicePart]] = {}
        for r in rows:
            ledger = ledgers[r.id]
            assert r.open_minor == ledger.open_amount.minor, (r.id, r.open_minor, ledger.entries)
            assert r.status == ledger.status.value
            assert ledger.balance.principal.minor >= 0 and ledger.balance.late_charges.minor >= 0
            by_invoice.setdefault(r.invoice_id, []).append(InvoicePart(ledger.status, ledger.open_amount))
        for invoice_id, parts in by_invoice.items():
            inv = (
                await uow.session.execute(uow.invoices.scoped(InvoiceRow).where(InvoiceRow.id == invoice_id))
            ).scalar_one()
            open_amount, status = invoice_position(parts, inv.currency)
            assert (inv.open_minor, inv.status) == (open_amount.minor, status.value)
        payments = list(
            (
                await uow.session.execute(select(PaymentRow).where(PaymentRow.tenant_id == uow.tenant.value))
            ).scalars()
        )
        for p in payments:
            rec = await uow.payments.get(p.id)
            assert rec is not None
            pos = payment_position(
                rec.payment, await uow.payments.entries(p.id), await uow.payments.refunds(p.id)
            )
            assert p.unapplied_minor == pos.unapplied.minor and p.status == pos.status.value
            assert 0 <= p.unapplied_minor <= p.amount_minor
        return {r.id: r.open_minor for r in rows}

    return await in_uow(services, principal, run, commit=False)


def brl(value: str) -> Money:
    return Money.of(value, "BRL")


def tenant_principal(tenant: TenantInfo, label: str = "test") -> Principal:
    from app.server.auth import system_principal

    return system_principal(tenant.id, label)
