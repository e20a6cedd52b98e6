"""Read-side queries for the web portal's receivables pages: the payments list and
page, an invoice's installments with their ledgers, the approvals inbox, and the
installments a cash-application candidate would pay.

Writes never happen here: every change goes through the receivables use cases. Every
statement starts from ``scoped(...)``, so it only ever sees the bound tenant; on
PostgreSQL row-level security checks the same thing again.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_

from app.adapters.db.models import (
    AuditRow,
    BankAccountRow,
    ChangeRequestRow,
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
    PaymentRow,
    RefundRow,
)
from app.adapters.db.queries_web import Page, _escape_like, _paged
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.installment_labels import labelled_installments
from app.adapters.db.repositories.receivables import entry_of
from app.domain.receivables.ledger import InstallmentLedger

PAYMENT_STATUSES = ("unapplied", "partially_applied", "applied", "refunded")
# "with_cash": anything still unapplied, whatever the status says (unapplied or partly).
PAYMENT_FILTERS = ("with_cash", *PAYMENT_STATUSES)
PAYMENT_SORTS = {
    "date": PaymentRow.value_date,
    "amount": PaymentRow.amount_minor,
    "unapplied": PaymentRow.unapplied_minor,
}
APPROVAL_STATES = ("requested", "approved", "rejected")
# A cash-application line shows at most five candidates of a few installments each.
TARGETS_LIMIT = 100


@dataclass(frozen=True)
class WebPaymentFilter:
    status: str | None = None  # a PaymentStatus value, or "with_cash"
    source: str | None = None
    customer_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None  # reference, payer name or external id


def _customer_join(stmt: Any, column: Any) -> Any:
    return stmt.outerjoin(
        CustomerRow, and_(CustomerRow.tenant_id == PaymentRow.tenant_id, CustomerRow.id == column)
    )


class PaymentWebQueries(TenantRepository):
    # --- payments -----------------------------------------------------------
    def _payments(self, f: WebPaymentFilter, *columns: Any) -> Any:
        stmt = _customer_join(self.scoped(PaymentRow, *columns), PaymentRow.customer_id)
        if f.status == "with_cash":
            stmt = stmt.where(PaymentRow.unapplied_minor > 0)
        elif f.status:
            stmt = stmt.where(PaymentRow.status == f.status)
        if f.source:
            stmt = stmt.where(PaymentRow.source == f.source)
        if f.customer_id:
            stmt = stmt.where(PaymentRow.customer_id == f.customer_id)
        if f.date_from:
            stmt = stmt.where(PaymentRow.value_date >= f.date_from)
        if f.date_to:
            stmt = stmt.where(PaymentRow.value_date <= f.date_to)
        if f.q and f.q.strip():
            like = f"%{_escape_like(f.q.strip())}%"
            stmt = stmt.where(
                or_(
                    PaymentRow.reference.like(like, escape="\\"),
                    PaymentRow.payer_name.like(like, escape="\\"),
                    PaymentRow.external_id.like(like, escape="\\"),
                    CustomerRow.name.like(like, escape="\\"),
                )
            )
        return stmt

    async def payments(
        self, f: WebPaymentFilter, sort: str, descending: bool, page: int, per_page: int
    ) -> Page:
        stmt = self._payments(
            f,
            PaymentRow.id,
            PaymentRow.value_date,
            PaymentRow.source,
            PaymentRow.payer_name,
            PaymentRow.payer_tax_id,
            PaymentRow.reference,
            PaymentRow.currency,
            PaymentRow.amount_minor,
            PaymentRow.unapplied_minor,
            PaymentRow.status,
            PaymentRow.customer_id,
            CustomerRow.name.label("customer_name"),
        )
        column = PAYMENT_SORTS.get(sort, PaymentRow.value_date)
        order = column.desc() if descending else column.asc()
        tie = PaymentRow.id.desc() if descending else PaymentRow.id.asc()
        return await _paged(self.session, stmt.order_by(order, tie), page, per_page)

    async def payment(self, payment_id: uuid.UUID) -> Any | None:
        stmt = _customer_join(
            self.scoped(PaymentRow, PaymentRow, CustomerRow.name.label("customer_name")),
            PaymentRow.customer_id,
        ).where(PaymentRow.id == payment_id)
        return (await self.session.execute(stmt)).first()

    async def payment_entries(self, payment_id: uuid.UUID) -> list[Any]:
        """The payment's allocations and reversals with their installment and invoice."""
        e, i, v = LedgerEntryRow, InstallmentRow, InvoiceRow
        stmt = (
            self.scoped(
                e,
                e,
                i.number_index,
                i.number_count,
                i.due_date,
                i.invoice_id,
                v.number.label("invoice_number"),
            )
            .join(i, and_(i.tenant_id == e.tenant_id, i.id == e.installment_id))
            .join(v, and_(v.tenant_id == i.tenant_id, v.id == i.invoice_id))
            .where(e.payment_id == payment_id)
            .order_by(e.created_at, e.installment_id, e.line)
        )
        return list((await self.session.execute(stmt)).all())

    async def refunds(self, payment_id: uuid.UUID) -> list[RefundRow]:
        stmt = self.scoped(RefundRow).where(RefundRow.payment_id == payment_id).order_by(RefundRow.created_at)
        return list((await self.session.execute(stmt)).scalars())

    async def audit_of(self, entity: str, entity_id: uuid.UUID, limit: int = 50) -> list[AuditRow]:
        stmt = (
            self.scoped(AuditRow)
            .where(AuditRow.entity == entity, AuditRow.entity_id == str(entity_id))
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def open_installments_of(
        self, customer_id: uuid.UUID, currency: str, limit: int = 200
    ) -> list[Any]:
        """A customer's installments with something open, oldest due first (allocation form)."""
        i, v = InstallmentRow, InvoiceRow
        stmt = (
            self.scoped(
                i,
                i.id,
                i.invoice_id,
                i.number_index,
                i.number_count,
                i.due_date,
                i.currency,
                i.amount_minor,
                i.open_minor,
                i.status,
                v.number.label("invoice_number"),
            )
            .join(v, and_(v.tenant_id == i.tenant_id, v.id == i.invoice_id))
            .where(i.customer_id == customer_id, i.currency == currency, i.open_minor > 0)
            .order_by(i.due_date, i.number_index, i.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).all())

    async def installment_targets(self, installment_ids: Collection[uuid.UUID]) -> list[Any]:
        """Installments as a reviewer recognises them (invoice number, n/m, customer,
        due date, open amount): one statement for every candidate on the page."""
        ids = list(dict.fromkeys(installment_ids))[:TARGETS_LIMIT]
        if not ids:
            return []
        stmt = labelled_installments(self, InstallmentRow.id.in_(ids))
        return list((await self.session.execute(stmt)).all())

    # --- an invoice's installments ------------------------------------------
    async def installment_rows(self, invoice_id: uuid.UUID) -> list[InstallmentRow]:
        stmt = (
            self.scoped(InstallmentRow)
            .where(InstallmentRow.invoice_id == invoice_id)
            .order_by(InstallmentRow.number_index)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def entry_rows(self, installment_ids: Collection[uuid.UUID]) -> list[LedgerEntryRow]:
        if not installment_ids:
            return []
        stmt = (
            self.scoped(LedgerEntryRow)
            .where(LedgerEntryRow.installment_id.in_(list(installment_ids)))
            .order_by(LedgerEntryRow.installment_id, LedgerEntryRow.line)
        )
        return list((await self.session.execute(stmt)).scalars())

    @staticmethod
    def ledgers_of(
        installment_ids: Collection[uuid.UUID], rows: list[LedgerEntryRow]
    ) -> dict[uuid.UUID, InstallmentLedger]:
        """The installments' ledgers from rows already read (one query for the page)."""
        by_id: dict[uuid.UUID, list[Any]] = {i: [] for i in installment_ids}
        for r in rows:
            by_id[r.installment_id].append(entry_of(r))
        return {i: InstallmentLedger(i, tuple(entries)) for i, entries in by_id.items()}

    async def pending_requests(self, installment_ids: Collection[uuid.UUID]) -> list[ChangeRequestRow]:
        if not installment_ids:
            return []
        stmt = (
            self.scoped(ChangeRequestRow)
            .where(
                ChangeRequestRow.installment_id.in_(list(installment_ids)),
                ChangeRequestRow.state == "requested",
            )
            .order_by(ChangeRequestRow.requested_at)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def customer_tax_id(self, customer_id: uuid.UUID) -> str | None:
        stmt = self.scoped(CustomerRow, CustomerRow.tax_id).where(CustomerRow.id == customer_id)
        value = (await self.session.execute(stmt)).scalar()
        return str(value) if value else None

    async def document_accounts(self) -> tuple[bool, bool]:
        """Whether boletos (any bank account) and PIX codes (an account with a key) can be issued."""
        any_account = self.scoped(BankAccountRow, func.count())
        with_pix = any_account.where(BankAccountRow.pix_key.is_not(None))
        accounts = int((await self.session.execute(any_account)).scalar() or 0)
        pix = int((await self.session.execute(with_pix)).scalar() or 0)
        return accounts > 0, pix > 0

    # --- approvals inbox ----------------------------------------------------
    async def approvals(self, state: str, kind: str | None, page: int, per_page: int) -> Page:
        c, i, v = ChangeRequestRow, InstallmentRow, InvoiceRow
        stmt = (
            self.scoped(
                c,
                c,
                i.number_index,
                i.number_count,
                i.invoice_id,
                i.customer_id,
                i.open_minor,
                v.number.label("invoice_number"),
                CustomerRow.name.label("customer_name"),
            )
            .join(i, and_(i.tenant_id == c.tenant_id, i.id == c.installment_id))
            .join(v, and_(v.tenant_id == i.tenant_id, v.id == i.invoice_id))
            .join(CustomerRow, and_(CustomerRow.tenant_id == i.tenant_id, CustomerRow.id == i.customer_id))
            .where(c.state == state)
        )
        if kind:
            stmt = stmt.where(c.kind == kind)
        # The inbox shows the oldest wait first; decided requests the latest decision first.
        order = (c.requested_at.asc(), c.id.asc()) if state == "requested" else (c.decided_at.desc(), c.id)
        return await _paged(self.session, stmt.order_by(*order), page, per_page)

    async def approval_exists(self, request_id: uuid.UUID) -> bool:
        stmt = self.scoped(ChangeRequestRow, ChangeRequestRow.id).where(ChangeRequestRow.id == request_id)
        return (await self.session.execute(stmt)).scalar() is not None

    async def pending_count(self) -> int:
        stmt = self.scoped(ChangeRequestRow, func.count()).where(ChangeRequestRow.state == "requested")
        return int((await self.session.execute(stmt)).scalar() or 0)
