"""Report test data built through the real use cases: customers, invoices with their
installments, payments and their allocations."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select, update

from app.adapters.db.models import InstallmentRow, TenantRow
from app.domain.receivables import service as receivables
from app.domain.receivables.payments import Payer, PaymentSource
from app.domain.shared.money import Money
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo


async def installments_of(services: Services, tenant: TenantInfo, invoice_id: uuid.UUID) -> list[uuid.UUID]:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        rows = await uow.session.execute(
            select(InstallmentRow.id)
            .where(InstallmentRow.tenant_id == tenant.id, InstallmentRow.invoice_id == invoice_id)
            .order_by(InstallmentRow.number_index)
        )
        return list(rows.scalars())


async def pay(
    services: Services,
    tenant: TenantInfo,
    amount: str,
    value_date: date,
    *,
    allocations: list[tuple[uuid.UUID, str]] | None = None,
    source: PaymentSource = PaymentSource.MANUAL,
    customer_id: uuid.UUID | None = None,
    reference: str = "ref",
    payer: str | None = None,
    **kw: Any,
) -> uuid.UUID:
    new = receivables.NewPayment(
        source=source,
        external_id=kw.pop("external_id", f"test-{uuid.uuid4().hex}"),
        amount=Money.of(amount, "BRL"),
        value_date=value_date,
        reference=reference,
        payer=Payer(name=payer),
        customer_id=customer_id,
    )
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        rec, _ = await receivables.record_payment(uow, new)
        if allocations:
            lines = [receivables.AllocationLine(i, Money.of(a, "BRL")) for i, a in allocations]
            await receivables.allocate_payment(uow, rec.payment.id, lines=lines)
        await uow.commit()
    return rec.payment.id


async def set_report_settings(services: Services, tenant: TenantInfo, **reports: Any) -> None:
    """Write ``tenants.settings["reports"]`` (the platform row, as an admin page would)."""
    async with services.sessions() as session:
        current = (
            await session.execute(select(TenantRow.settings).where(TenantRow.id == tenant.id))
        ).scalar()
        settings = {**(current or {}), "reports": reports}
        await session.execute(update(TenantRow).where(TenantRow.id == tenant.id).values(settings=settings))
        await session.commit()
