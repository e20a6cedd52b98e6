"""The daily cash-receipts report: a day's payments by bank account and method, with
their allocations (net of reversals) and what stayed unapplied.

Payments carry no bank account of their own: the account is the one of the bank file
(CNAB return or statement) whose record became the payment. PIX, manual and Stripe
payments have no such record and are grouped as "account unknown" by their method.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from app.adapters.db.models import (
    BankAccountRow,
    BankFileRecordRow,
    BankFileRow,
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
    PaymentRow,
)
from app.adapters.db.repositories.base import TenantRepository
from app.domain.receivables.kinds import EntryKind
from app.domain.reporting.model import Allocation, CashReceipts, Receipt, ReceiptGroup, Totals
from app.domain.shared.money import Money

ALLOCATION_KINDS = (EntryKind.PAYMENT_ALLOCATION.value, EntryKind.ALLOCATION_REVERSAL.value)
DAY_CHUNK = 500


class CashReceiptQueries(TenantRepository):
    def _account_of_payment(self) -> Any:
        return (
            select(BankFileRow.bank_account_id)
            .join(
                BankFileRecordRow,
                and_(
                    BankFileRecordRow.tenant_id == BankFileRow.tenant_id,
                    BankFileRecordRow.file_id == BankFileRow.id,
                ),
            )
            .where(
                BankFileRecordRow.tenant_id == PaymentRow.tenant_id,
                BankFileRecordRow.payment_id == PaymentRow.id,
                BankFileRow.bank_account_id.is_not(None),
            )
            .order_by(BankFileRecordRow.id)
            .limit(1)
            .correlate(PaymentRow)
            .scalar_subquery()
        )

    def _day(self, day: date, source: str | None = None) -> Any:
        stmt = self.scoped(
            PaymentRow,
            PaymentRow.id,
            PaymentRow.source,
            PaymentRow.currency,
            PaymentRow.amount_minor,
            PaymentRow.unapplied_minor,
            self._account_of_payment().label("account_id"),
        ).where(PaymentRow.value_date == day)
        if source:
            stmt = stmt.where(PaymentRow.source == source)
        return stmt.subquery("day_payments")

    def _allocated(self, payment_ids: Any) -> Any:
        return (
            self.scoped(
                LedgerEntryRow,
                LedgerEntryRow.payment_id,
                (-func.sum(LedgerEntryRow.amount_minor)).label("allocated"),
            )
            .where(LedgerEntryRow.kind.in_(ALLOCATION_KINDS), LedgerEntryRow.payment_id.in_(payment_ids))
            .group_by(LedgerEntryRow.payment_id)
            .subquery("allocated")
        )

    async def _account_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        stmt = self.scoped(BankAccountRow, BankAccountRow.id, BankAccountRow.name).where(
            BankAccountRow.id.in_(ids)
        )
        return {r.id: r.name for r in (await self.session.execute(stmt)).all()}

    async def cash_groups(self, day: date, source: str | None = None) -> list[ReceiptGroup]:
        dp = self._day(day, source)
        alloc = self._allocated(select(dp.c.id))
        stmt = (
            select(
                dp.c.account_id,
                dp.c.source,
                dp.c.currency,
                func.count(),
                func.sum(dp.c.amount_minor),
                func.sum(func.coalesce(alloc.c.allocated, 0)),
                func.sum(dp.c.unapplied_minor),
            )
            .select_from(dp)
            .outerjoin(alloc, alloc.c.payment_id == dp.c.id)
            .group_by(dp.c.account_id, dp.c.source, dp.c.currency)
        )
        rows = (await self.session.execute(stmt)).all()
        names = await self._account_names({r[0] for r in rows if r[0] is not None})
        merged: dict[tuple[uuid.UUID | None, str], list[Any]] = {}
        for account_id, src, currency, count, amount, allocated, unapplied in rows:
            merged.setdefault((account_id, src), []).append((currency, count, amount, allocated, unapplied))
        groups = [
            ReceiptGroup(
                bank_account_id=account_id,
                bank_account=names.get(account_id) if account_id else None,
                source=src,
                count=sum(int(p[1]) for p in parts),
                amount=Totals.from_minor({p[0]: int(p[2] or 0) for p in parts}),
                allocated=Totals.from_minor({p[0]: int(p[3] or 0) for p in parts}),
                unapplied=Totals.from_minor({p[0]: int(p[4] or 0) for p in parts}),
            )
            for (account_id, src), parts in merged.items()
        ]
        # Known accounts by name first, then the unknown ones; within, by method.
        return sorted(groups, key=lambda g: (g.bank_account is None, g.bank_account or "", g.source))

    async def receipts(
        self, day: date, limit: int, offset: int = 0, source: str | None = None
    ) -> tuple[list[Receipt], bool]:
        """One page of the day's payments (grouped order); True when more follow."""
        dp = self._day(day, source)
        stmt = (
            select(dp.c.id, dp.c.account_id)
            .select_from(dp)
            .order_by(case((dp.c.account_id.is_(None), 1), else_=0), dp.c.account_id, dp.c.source, dp.c.id)
            .limit(limit + 1)
            .offset(offset)
        )
        page = (await self.session.execute(stmt)).all()
        more = len(page) > limit
        page = page[:limit]
        return await self._receipts([r.id for r in page], {r.id: r.account_id for r in page}), more

    async def _receipts(
        self, ids: Sequence[uuid.UUID], accounts: dict[uuid.UUID, uuid.UUID | None]
    ) -> list[Receipt]:
        if not ids:
            return []
        rows = (
            await self.session.execute(
                self.scoped(PaymentRow, PaymentRow, CustomerRow.name)
                .outerjoin(
                    CustomerRow,
                    and_(
                        CustomerRow.tenant_id == PaymentRow.tenant_id,
                        CustomerRow.id == PaymentRow.customer_id,
                    ),
                )
                .where(PaymentRow.id.in_(list(ids)))
            )
        ).all()
        allocations = await self._allocations(ids)
        names = await self._account_names({a for a in accounts.values() if a is not None})
        by_id = {p.id: (p, customer_name) for p, customer_name in rows}
        out = []
        for pid in ids:
            p, customer_name = by_id[pid]
            account_id = accounts.get(pid)
            out.append(
                Receipt(
                    payment_id=p.id,
                    value_date=p.value_date,
                    source=p.source,
                    bank_account_id=account_id,
                    bank_account=names.get(account_id) if account_id else None,
                    customer_id=p.customer_id,
                    customer_name=customer_name,
                    payer_name=p.payer_name,
                    reference=p.reference,
                    amount=Money.from_minor(p.amount_minor, p.currency),
                    unapplied=Money.from_minor(p.unapplied_minor, p.currency),
                    allocations=tuple(allocations.get(p.id, [])),
                )
            )
        return out

    async def _allocations(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Allocation]]:
        net = func.sum(LedgerEntryRow.amount_minor)
        stmt = (
            self.scoped(
                LedgerEntryRow,
                LedgerEntryRow.payment_id,
                LedgerEntryRow.installment_id,
                LedgerEntryRow.currency,
                InstallmentRow.invoice_id,
                InstallmentRow.number_index,
                InstallmentRow.number_count,
                InvoiceRow.number,
                net.label("net"),
            )
            .join(
                InstallmentRow,
                and_(
                    InstallmentRow.tenant_id == LedgerEntryRow.tenant_id,
                    InstallmentRow.id == LedgerEntryRow.installment_id,
                ),
            )
            .join(
                InvoiceRow,
                and_(
                    InvoiceRow.tenant_id == InstallmentRow.tenant_id,
                    InvoiceRow.id == InstallmentRow.invoice_id,
                ),
            )
            .where(LedgerEntryRow.payment_id.in_(list(ids)), LedgerEntryRow.kind.in_(ALLOCATION_KINDS))
            .group_by(
                LedgerEntryRow.payment_id,
                LedgerEntryRow.installment_id,
                LedgerEntryRow.currency,
                InstallmentRow.invoice_id,
                InstallmentRow.number_index,
                InstallmentRow.number_count,
                InvoiceRow.number,
            )
            .order_by(LedgerEntryRow.payment_id, InvoiceRow.number, InstallmentRow.number_index)
        )
        out: dict[uuid.UUID, list[Allocation]] = {}
        for r in (await self.session.execute(stmt)).all():
            if not r.net:  # fully reversed
                continue
            out.setdefault(r.payment_id, []).append(
                Allocation(
                    installment_id=r.installment_id,
                    invoice_id=r.invoice_id,
                    invoice_number=r.number,
                    number_index=r.number_index,
                    number_count=r.number_count,
                    amount=Money.from_minor(-int(r.net), r.currency),
                )
            )
        return out

    async def cash_receipts_day(self, day: date, source: str | None = None) -> CashReceipts:
        """The whole day (for the e-mail and the files), read in bounded pages."""
        groups = await self.cash_groups(day, source)
        receipts: list[Receipt] = []
        offset = 0
        while True:
            page, more = await self.receipts(day, DAY_CHUNK, offset, source)
            receipts += page
            offset += len(page)
            if not more:
                break
        return CashReceipts(day, tuple(groups), tuple(receipts))
