"""Installments, their ledger entries and change requests (SQL side of the receivables
ports in ``app/domain/receivables/service_ports.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, update

from app.adapters.db.base import utcnow
from app.adapters.db.bulk import one_of
from app.adapters.db.models import (
    ChangeRequestRow,
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
)
from app.adapters.db.repositories.base import TenantRepository
from app.domain.receivables.approval import ApprovalState, ChangeRequest
from app.domain.receivables.invoice_input import InvoiceStatus
from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry
from app.domain.receivables.model import Installment, InstallmentNumber
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.service_ports import InstallmentState, InvoicePart
from app.domain.shared.money import Money

_ENTRIES = cast(Table, LedgerEntryRow.__table__)
_INSTALLMENTS = cast(Table, InstallmentRow.__table__)
_CUSTOMERS = cast(Table, CustomerRow.__table__)
CHUNK = 1_000


def installment_of(row: Any) -> Installment:
    return Installment(
        id=row.id,
        invoice_id=row.invoice_id,
        customer_id=row.customer_id,
        number=InstallmentNumber(row.number_index, row.number_count),
        due_date=row.due_date,
        amount=Money.from_minor(row.amount_minor, row.currency),
        bank_reference=row.bank_reference,
        document_number=row.document_number,
        txid=row.txid,
    )


def entry_of(row: Any) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        installment_id=row.installment_id,
        kind=EntryKind(row.kind),
        amount=Money.from_minor(row.amount_minor, row.currency),
        effective_date=row.effective_date,
        component=Component(row.component),
        payment_id=row.payment_id,
        reverses=row.reverses_entry_id,
        reason=ReasonCode(row.reason_code) if row.reason_code else None,
        note=row.note,
        created_by=row.created_by,
    )


def is_consumer(tax_id: str | None) -> bool:
    """A CPF (11 digits) is a person: consumer-protection rules apply."""
    digits = "".join(c for c in tax_id or "" if c.isalnum())
    return len(digits) == 11 and digits.isdigit()


class SqlInstallmentRepository(TenantRepository):
    def _entry_values(self, e: LedgerEntry, line: int, actor: str) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_uuid,
            "id": e.id,
            "installment_id": e.installment_id,
            "line": line,
            "kind": e.kind.value,
            "component": e.component.value,
            "amount_minor": e.amount.minor,
            "currency": e.amount.currency,
            "payment_id": e.payment_id,
            "reverses_entry_id": e.reverses,
            "reason_code": e.reason.value if e.reason else None,
            "note": e.note,
            "created_by": e.created_by,
            "actor": actor,
            "created_at": utcnow(),
            "effective_date": e.effective_date,
        }

    def __init__(self, session: Any, tenant: Any, actor: str = "system") -> None:
        super().__init__(session, tenant)
        self.actor = actor

    async def add(self, items: Sequence[tuple[Installment, InstallmentLedger]]) -> None:
        now = utcnow()
        rows = [
            {
                "tenant_id": self.tenant_uuid,
                "id": i.id,
                "invoice_id": i.invoice_id,
                "customer_id": i.customer_id,
                "number_index": i.number.index,
                "number_count": i.number.count,
                "due_date": i.due_date,
                "currency": i.currency,
                "amount_minor": i.amount.minor,
                "open_minor": ledger.open_amount.minor,
                "status": ledger.status.value,
                "bank_reference": i.bank_reference,
                "document_number": i.document_number,
                "txid": i.txid,
                "created_at": now,
                "updated_at": now,
            }
            for i, ledger in items
        ]
        entries = [
            self._entry_values(e, line, self.actor)
            for _, ledger in items
            for line, e in enumerate(ledger.entries, start=1)
        ]
        # Flush pending ORM rows first: the invoice these installments reference may
        # still be waiting in the session.
        await self.session.flush()
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(insert(_INSTALLMENTS), rows[start : start + CHUNK])
        for start in range(0, len(entries), CHUNK):
            await self.session.execute(insert(_ENTRIES), entries[start : start + CHUNK])

    async def lock(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, InstallmentState]:
        if not ids:
            return {}
        wanted = sorted(set(ids))
        stmt = (
            self.scoped(InstallmentRow, InstallmentRow, CustomerRow.tax_id)
            .join(
                CustomerRow,
                (CustomerRow.tenant_id == InstallmentRow.tenant_id)
                & (CustomerRow.id == InstallmentRow.customer_id),
            )
            .where(InstallmentRow.id.in_(wanted))
            .order_by(InstallmentRow.id)
            .with_for_update(of=InstallmentRow)
        )
        rows = (await self.session.execute(stmt)).all()
        ledgers = await self.ledgers([r[0].id for r in rows])
        return {
            r[0].id: InstallmentState(installment_of(r[0]), ledgers[r[0].id], is_consumer(r.tax_id))
            for r in rows
        }

    async def lock_batch(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, InstallmentState]:
        """``lock`` for a batch of a thousand: the same rows, locks (in id order) and
        ledgers, with the ids bound as one array on PostgreSQL (see ``one_of``)."""
        if not ids:
            return {}
        wanted = sorted(set(ids))
        inst, cust = _INSTALLMENTS.c, _CUSTOMERS.c
        # No join to customers here: joined, the planner may start from the customer and
        # scan all of its installments against the id list (300 ms a batch for a payer
        # with 100k titles); by id alone it is one primary-key probe each.
        stmt = (
            self.scoped_table(_INSTALLMENTS, *inst)
            .where(one_of(self.session, inst.id, wanted))
            .order_by(inst.id)
            .with_for_update()
        )
        # Plain Core rows, not ORM objects: nothing stale stays in the session once the
        # batch rewrites these installments with bulk statements, and no ORM result
        # processing for thousands of rows.
        rows = (await self.session.execute(stmt)).all()
        payers = list({r.customer_id for r in rows})
        tax_ids: dict[uuid.UUID, str | None] = {}
        if payers:
            payer_stmt = self.scoped_table(_CUSTOMERS, cust.id, cust.tax_id).where(
                one_of(self.session, cust.id, payers)
            )
            tax_ids = {r.id: r.tax_id for r in (await self.session.execute(payer_stmt)).all()}
        found = [r.id for r in rows]
        entries: dict[uuid.UUID, list[LedgerEntry]] = {i: [] for i in found}
        if found:
            ledger_stmt = (
                self.scoped_table(_ENTRIES, *_ENTRIES.c)
                .where(one_of(self.session, _ENTRIES.c.installment_id, found))
                .order_by(_ENTRIES.c.installment_id, _ENTRIES.c.line)
            )
            for row in (await self.session.execute(ledger_stmt)).all():
                entries[row.installment_id].append(entry_of(row))
        return {
            r.id: InstallmentState(
                installment_of(r),
                InstallmentLedger(r.id, tuple(entries[r.id])),
                is_consumer(tax_ids.get(r.customer_id)),
            )
            for r in rows
        }

    async def ledgers(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, InstallmentLedger]:
        out: dict[uuid.UUID, list[LedgerEntry]] = {i: [] for i in ids}
        if ids:
            stmt = (
                self.scoped(LedgerEntryRow)
                .where(LedgerEntryRow.installment_id.in_(list(ids)))
                .order_by(LedgerEntryRow.installment_id, LedgerEntryRow.line)
            )
            for row in (await self.session.execute(stmt)).scalars():
                out[row.installment_id].append(entry_of(row))
        return {i: InstallmentLedger(i, tuple(entries)) for i, entries in out.items()}

    async def open_for_customer(self, customer_id: uuid.UUID, currency: str, limit: int) -> list[uuid.UUID]:
        stmt = (
            self.scoped(InstallmentRow, InstallmentRow.id)
            .where(
                InstallmentRow.customer_id == customer_id,
                InstallmentRow.currency == currency,
                InstallmentRow.open_minor > 0,
            )
            .order_by(InstallmentRow.due_date, InstallmentRow.number_index, InstallmentRow.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def save(self, ledger: InstallmentLedger, new_entries: int) -> None:
        start = len(ledger.entries) - new_entries
        rows = [
            self._entry_values(e, line, self.actor)
            for line, e in enumerate(ledger.entries, start=1)
            if line > start
        ]
        await self.session.execute(insert(_ENTRIES), rows)
        await self.session.execute(
            update(InstallmentRow)
            .where(InstallmentRow.tenant_id == self.tenant_uuid, InstallmentRow.id == ledger.installment_id)
            .values(open_minor=ledger.open_amount.minor, status=ledger.status.value, updated_at=utcnow())
        )

    async def invoice_of(self, installment_id: uuid.UUID) -> uuid.UUID | None:
        stmt = self.scoped(InstallmentRow, InstallmentRow.invoice_id).where(
            InstallmentRow.id == installment_id
        )
        return cast(uuid.UUID | None, (await self.session.execute(stmt)).scalar())

    async def invoice_parts(self, invoice_id: uuid.UUID) -> list[InvoicePart]:
        stmt = self.scoped(
            InstallmentRow, InstallmentRow.status, InstallmentRow.open_minor, InstallmentRow.currency
        ).where(InstallmentRow.invoice_id == invoice_id)
        return [
            InvoicePart(InstallmentStatus(r.status), Money.from_minor(r.open_minor, r.currency))
            for r in (await self.session.execute(stmt)).all()
        ]

    async def set_invoice_position(
        self, invoice_id: uuid.UUID, open_amount: Money, status: InvoiceStatus
    ) -> None:
        await self.session.execute(
            update(InvoiceRow)
            .where(InvoiceRow.tenant_id == self.tenant_uuid, InvoiceRow.id == invoice_id)
            .values(open_minor=open_amount.minor, status=status.value, updated_at=utcnow())
        )

    async def ids_of_invoice(self, invoice_id: uuid.UUID) -> list[uuid.UUID]:
        stmt = self.scoped(InstallmentRow, InstallmentRow.id).where(InstallmentRow.invoice_id == invoice_id)
        return list((await self.session.execute(stmt)).scalars())

    async def reschedule(self, installment_id: uuid.UUID, due_date: date, face_value: Money) -> None:
        await self.session.execute(
            update(InstallmentRow)
            .where(InstallmentRow.tenant_id == self.tenant_uuid, InstallmentRow.id == installment_id)
            .values(due_date=due_date, amount_minor=face_value.minor, updated_at=utcnow())
        )

    # --- reads for the API -------------------------------------------------
    async def for_invoice(self, invoice_id: uuid.UUID) -> list[Any]:
        stmt = (
            self.scoped(InstallmentRow)
            .where(InstallmentRow.invoice_id == invoice_id)
            .order_by(InstallmentRow.number_index)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def get_row(self, installment_id: uuid.UUID) -> InstallmentRow | None:
        stmt = self.scoped(InstallmentRow).where(InstallmentRow.id == installment_id)
        return cast(InstallmentRow | None, (await self.session.execute(stmt)).scalar())

    async def entry_rows(self, installment_id: uuid.UUID) -> list[LedgerEntryRow]:
        stmt = (
            self.scoped(LedgerEntryRow)
            .where(LedgerEntryRow.installment_id == installment_id)
            .order_by(LedgerEntryRow.line)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def customer_tax_id(self, customer_id: uuid.UUID) -> str | None:
        stmt = self.scoped(CustomerRow, CustomerRow.tax_id).where(CustomerRow.id == customer_id)
        return cast(str | None, (await self.session.execute(stmt)).scalar())


def request_of(row: ChangeRequestRow) -> ChangeRequest:
    return ChangeRequest(
        id=row.id,
        installment_id=row.installment_id,
        kind=EntryKind(row.kind),
        amount=Money.from_minor(row.amount_minor, row.currency),
        reason=ReasonCode(row.reason_code),
        note=row.note,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        effective_date=row.effective_date,
        component=Component(row.component),
        state=ApprovalState(row.state),
        needs_approval=row.needs_approval,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


class SqlChangeRequestRepository(TenantRepository):
    async def add(self, request: ChangeRequest, requester: str) -> None:
        self.session.add(
            ChangeRequestRow(
                tenant_id=self.tenant_uuid,
                id=request.id,
                installment_id=request.installment_id,
                kind=request.kind.value,
                component=request.component.value,
                amount_minor=request.amount.minor,
                currency=request.amount.currency,
                reason_code=request.reason.value,
                note=request.note,
                state=request.state.value,
                needs_approval=request.needs_approval,
                requested_by=request.requested_by,
                requester=requester,
                requested_at=request.requested_at,
                effective_date=request.effective_date,
            )
        )
        await self.session.flush()

    async def lock(self, request_id: uuid.UUID) -> ChangeRequest | None:
        stmt = self.scoped(ChangeRequestRow).where(ChangeRequestRow.id == request_id).with_for_update()
        row = (await self.session.execute(stmt)).scalar()
        return request_of(row) if row else None

    async def get_row(self, request_id: uuid.UUID) -> ChangeRequestRow | None:
        stmt = self.scoped(ChangeRequestRow).where(ChangeRequestRow.id == request_id)
        return cast(ChangeRequestRow | None, (await self.session.execute(stmt)).scalar())

    async def decide(self, request: ChangeRequest, approver: str) -> None:
        await self.session.execute(
            update(ChangeRequestRow)
            .where(ChangeRequestRow.tenant_id == self.tenant_uuid, ChangeRequestRow.id == request.id)
            .values(
                state=request.state.value,
                decided_by=request.decided_by,
                decided_at=request.decided_at,
                decision_note=request.decision_note,
                approver=approver,
            )
        )
