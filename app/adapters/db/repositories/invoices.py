"""Invoice persistence."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, update

from app.adapters.db.bulk import insert_columns, lookup_keys, replan
from app.adapters.db.models import CustomerRow, InvoiceRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.receivables.imports import CustomerMatch
from app.domain.receivables.invoice_input import InvoiceStatus
from app.domain.receivables.invoices import Invoice
from app.domain.shared.money import Money


def to_domain(row: InvoiceRow) -> Invoice:
    return Invoice(
        id=row.id,
        customer_id=row.customer_id,
        number=row.number,
        issue_date=row.issue_date,
        due_date=row.due_date,
        amount=Money.from_minor(row.amount_minor, row.currency),
        open_amount=Money.from_minor(row.open_minor, row.currency),
        status=InvoiceStatus(row.status),
        external_ref=row.external_ref,
        description=row.description,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _values(i: Invoice) -> dict[str, Any]:
    return {
        "customer_id": i.customer_id,
        "number": i.number,
        "issue_date": i.issue_date,
        "due_date": i.due_date,
        "currency": i.amount.currency,
        "amount_minor": i.amount.minor,
        "open_minor": i.open_amount.minor,
        "status": i.status.value,
        "external_ref": i.external_ref,
        "description": i.description,
        "updated_at": i.updated_at,
    }


_TABLE = cast(Table, InvoiceRow.__table__)


class SqlInvoiceRepository(TenantRepository):
    async def get(self, invoice_id: uuid.UUID) -> Invoice | None:
        row = (
            await self.session.execute(self.scoped(InvoiceRow).where(InvoiceRow.id == invoice_id))
        ).scalar()
        return to_domain(row) if row else None

    async def add(self, invoice: Invoice) -> None:
        self.session.add(
            InvoiceRow(
                tenant_id=self.tenant_uuid, id=invoice.id, created_at=invoice.created_at, **_values(invoice)
            )
        )

    async def add_many(self, invoices: Sequence[Invoice]) -> None:
        """Bulk insert (imports, demo data): one statement per chunk (``bulk.insert_rows``)."""
        n = len(invoices)
        columns: dict[str, list[Any]] = {
            "tenant_id": [self.tenant_uuid] * n,
            "id": [i.id for i in invoices],
            "created_at": [i.created_at for i in invoices],
            "customer_id": [i.customer_id for i in invoices],
            "number": [i.number for i in invoices],
            "issue_date": [i.issue_date for i in invoices],
            "due_date": [i.due_date for i in invoices],
            "currency": [i.amount.currency for i in invoices],
            "amount_minor": [i.amount.minor for i in invoices],
            "open_minor": [i.open_amount.minor for i in invoices],
            "status": [i.status.value for i in invoices],
            "external_ref": [i.external_ref for i in invoices],
            "description": [i.description for i in invoices],
            "updated_at": [i.updated_at for i in invoices],
        }
        await insert_columns(self.session, _TABLE, columns)
        # The installments and ledger entries that follow are checked against these rows
        # (foreign keys): plans made when the tenant had fewer rows must not stay.
        await replan(self.session)

    async def existing_numbers(self, numbers: set[str]) -> set[str]:
        stmt = lookup_keys(
            self.session, self.scoped(InvoiceRow, InvoiceRow.number), InvoiceRow.number, numbers
        )
        return set((await self.session.execute(stmt)).scalars())

    async def existing_external_refs(self, refs: set[str]) -> set[str]:
        stmt = lookup_keys(
            self.session, self.scoped(InvoiceRow, InvoiceRow.external_ref), InvoiceRow.external_ref, refs
        )
        return {r for r in (await self.session.execute(stmt)).scalars() if r}

    async def customers_matching(self, refs: set[str], tax_ids: set[str]) -> list[CustomerMatch]:
        """Customers whose external reference or tax id is among the given keys."""
        columns = self.scoped(CustomerRow, CustomerRow.id, CustomerRow.external_ref, CustomerRow.tax_id)
        # Two lookups, not one with OR: each key is then probed on its own index.
        lookups = [lookup_keys(self.session, columns, CustomerRow.external_ref, refs)] if refs else []
        if tax_ids:
            lookups.append(lookup_keys(self.session, columns, CustomerRow.tax_id, tax_ids, unique=False))
        found: dict[uuid.UUID, CustomerMatch] = {}
        for stmt in lookups:
            for r in (await self.session.execute(stmt)).all():
                found[r.id] = CustomerMatch(r.id, r.external_ref, r.tax_id)
        return list(found.values())

    async def update(self, invoice: Invoice) -> None:
        await self.session.execute(
            update(InvoiceRow)
            .where(InvoiceRow.tenant_id == self.tenant_uuid, InvoiceRow.id == invoice.id)
            .values(**_values(invoice))
        )

    async def number_owner(self, number: str) -> uuid.UUID | None:
        stmt = self.scoped(InvoiceRow, InvoiceRow.id).where(InvoiceRow.number == number)
        return (await self.session.execute(stmt)).scalar()

    async def external_ref_owner(self, external_ref: str) -> uuid.UUID | None:
        stmt = self.scoped(InvoiceRow, InvoiceRow.id).where(InvoiceRow.external_ref == external_ref)
        return (await self.session.execute(stmt)).scalar()

    async def customer_exists(self, customer_id: uuid.UUID) -> bool:
        stmt = self.scoped(CustomerRow, CustomerRow.id).where(CustomerRow.id == customer_id)
        return (await self.session.execute(stmt)).scalar() is not None
