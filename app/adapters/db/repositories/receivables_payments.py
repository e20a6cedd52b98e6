"""Payments and refunds (SQL side of ``PaymentStore``)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import update

from app.adapters.db.base import utcnow
from app.adapters.db.models import CustomerRow, LedgerEntryRow, PaymentRow, RefundRow
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.receivables import entry_of
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.ledger import LedgerEntry
from app.domain.receivables.payments import (
    Payer,
    Payment,
    PaymentPosition,
    PaymentSource,
    PaymentStatus,
    Refund,
)
from app.domain.receivables.service_ports import RecordedPayment
from app.domain.shared.money import Money


def payment_of(row: Any) -> RecordedPayment:
    payment = Payment(
        id=row.id,
        source=PaymentSource(row.source),
        reference=row.reference,
        payer=Payer(tax_id=row.payer_tax_id, name=row.payer_name, account=row.payer_account),
        amount=Money.from_minor(row.amount_minor, row.currency),
        value_date=row.value_date,
        customer_id=row.customer_id,
    )
    return RecordedPayment(
        payment,
        row.external_id,
        Money.from_minor(row.unapplied_minor, row.currency),
        PaymentStatus(row.status),
    )


class SqlPaymentRepository(TenantRepository):
    async def by_external_id(self, external_id: str) -> RecordedPayment | None:
        stmt = self.scoped(PaymentRow).where(PaymentRow.external_id == external_id)
        row = (await self.session.execute(stmt)).scalar()
        return payment_of(row) if row else None

    async def add(self, payment: RecordedPayment, actor: str) -> None:
        p = payment.payment
        self.session.add(
            PaymentRow(
                tenant_id=self.tenant_uuid,
                id=p.id,
                source=p.source.value,
                external_id=payment.external_id,
                customer_id=p.customer_id,
                payer_name=p.payer.name,
                payer_tax_id=p.payer.tax_id,
                payer_account=p.payer.account,
                amount_minor=p.amount.minor,
                currency=p.currency,
                value_date=p.value_date,
                reference=p.reference,
                unapplied_minor=payment.unapplied.minor,
                status=payment.status.value,
                actor=actor,
            )
        )
        await self.session.flush()

    async def get(self, payment_id: uuid.UUID) -> RecordedPayment | None:
        row = (
            await self.session.execute(self.scoped(PaymentRow).where(PaymentRow.id == payment_id))
        ).scalar()
        return payment_of(row) if row else None

    async def get_row(self, payment_id: uuid.UUID) -> PaymentRow | None:
        stmt = self.scoped(PaymentRow).where(PaymentRow.id == payment_id)
        return cast(PaymentRow | None, (await self.session.execute(stmt)).scalar())

    async def lock(self, payment_id: uuid.UUID) -> RecordedPayment | None:
        stmt = (
            self.scoped(PaymentRow)
            .where(PaymentRow.id == payment_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = (await self.session.execute(stmt)).scalar()
        return payment_of(row) if row else None

    async def entries(self, payment_id: uuid.UUID) -> list[LedgerEntry]:
        stmt = (
            self.scoped(LedgerEntryRow)
            .where(
                LedgerEntryRow.payment_id == payment_id,
                LedgerEntryRow.kind.in_(
                    [EntryKind.PAYMENT_ALLOCATION.value, EntryKind.ALLOCATION_REVERSAL.value]
                ),
            )
            .order_by(LedgerEntryRow.created_at, LedgerEntryRow.installment_id, LedgerEntryRow.line)
        )
        return [entry_of(r) for r in (await self.session.execute(stmt)).scalars()]

    async def entry_rows(self, payment_id: uuid.UUID) -> list[LedgerEntryRow]:
        stmt = (
            self.scoped(LedgerEntryRow)
            .where(LedgerEntryRow.payment_id == payment_id)
            .order_by(LedgerEntryRow.created_at, LedgerEntryRow.installment_id, LedgerEntryRow.line)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def refunds(self, payment_id: uuid.UUID) -> list[Refund]:
        stmt = self.scoped(RefundRow).where(RefundRow.payment_id == payment_id).order_by(RefundRow.created_at)
        return [
            Refund(r.id, r.payment_id, Money.from_minor(r.amount_minor, r.currency), r.refund_date, r.reason)
            for r in (await self.session.execute(stmt)).scalars()
        ]

    async def add_refund(self, refund: Refund, actor: str) -> None:
        self.session.add(
            RefundRow(
                tenant_id=self.tenant_uuid,
                id=refund.id,
                payment_id=refund.payment_id,
                amount_minor=refund.amount.minor,
                currency=refund.amount.currency,
                refund_date=refund.on,
                reason=refund.reason,
                actor=actor,
                created_at=utcnow(),
            )
        )
        await self.session.flush()

    async def set_position(self, payment_id: uuid.UUID, position: PaymentPosition) -> None:
        await self.session.execute(
            update(PaymentRow)
            .where(PaymentRow.tenant_id == self.tenant_uuid, PaymentRow.id == payment_id)
            .values(
                unapplied_minor=position.unapplied.minor, status=position.status.value, updated_at=utcnow()
            )
        )

    async def customer_exists(self, customer_id: uuid.UUID) -> bool:
        stmt = self.scoped(CustomerRow, CustomerRow.id).where(CustomerRow.id == customer_id)
        return (await self.session.execute(stmt)).scalar() is not None
