"""Customer persistence and the customer list query."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, or_, update

from app.adapters.db.bulk import insert_rows, lookup_keys
from app.adapters.db.models import CustomerRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.customers.model import CustomerStatus
from app.domain.customers.service import Customer


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search ("São" matches "sao")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def to_domain(row: CustomerRow) -> Customer:
    return Customer(
        id=row.id,
        name=row.name,
        legal_name=row.legal_name,
        tax_id=row.tax_id,
        country=row.country,
        email=row.email,
        phone=row.phone,
        segment=row.segment,
        region=row.region,
        sales_rep=row.sales_rep,
        status=CustomerStatus(row.status),
        external_ref=row.external_ref,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _values(c: Customer) -> dict[str, Any]:
    return {
        "name": c.name,
        "legal_name": c.legal_name,
        "search_name": fold(f"{c.name} {c.legal_name or ''}".strip())[:200],
        "tax_id": c.tax_id,
        "country": c.country,
        "email": c.email,
        "phone": c.phone,
        "segment": c.segment,
        "region": c.region,
        "sales_rep": c.sales_rep,
        "status": c.status.value,
        "external_ref": c.external_ref,
        "updated_at": c.updated_at,
    }


_TABLE = cast(Table, CustomerRow.__table__)


@dataclass(frozen=True)
class CustomerFilter:
    q: str | None = None
    status: str | None = None
    segment: str | None = None
    region: str | None = None
    sales_rep: str | None = None


class SqlCustomerRepository(TenantRepository):
    async def get(self, customer_id: uuid.UUID) -> Customer | None:
        row = (
            await self.session.execute(self.scoped(CustomerRow).where(CustomerRow.id == customer_id))
        ).scalar()
        return to_domain(row) if row else None

    async def add(self, customer: Customer) -> None:
        self.session.add(
            CustomerRow(
                tenant_id=self.tenant_uuid,
                id=customer.id,
                created_at=customer.created_at,
                **_values(customer),
            )
        )

    async def add_many(self, customers: Sequence[Customer]) -> None:
        """Bulk insert (imports, demo data): one statement per chunk (``bulk.insert_rows``)."""
        rows = [
            {"tenant_id": self.tenant_uuid, "id": c.id, "created_at": c.created_at, **_values(c)}
            for c in customers
        ]
        await insert_rows(self.session, _TABLE, rows)

    async def existing_external_refs(self, refs: set[str]) -> set[str]:
        stmt = lookup_keys(
            self.session, self.scoped(CustomerRow, CustomerRow.external_ref), CustomerRow.external_ref, refs
        )
        return set((await self.session.execute(stmt)).scalars())

    async def update(self, customer: Customer) -> None:
        await self.session.execute(
            update(CustomerRow)
            .where(CustomerRow.tenant_id == self.tenant_uuid, CustomerRow.id == customer.id)
            .values(**_values(customer))
        )

    async def external_ref_owner(self, external_ref: str) -> uuid.UUID | None:
        stmt = self.scoped(CustomerRow, CustomerRow.id).where(CustomerRow.external_ref == external_ref)
        return (await self.session.execute(stmt)).scalar()

    def filtered(self, f: CustomerFilter, *columns: Any) -> Any:
        stmt = self.scoped(CustomerRow, *columns)
        if f.q:
            term = fold(f.q.strip())
            like = f"%{_escape_like(term)}%"
            conditions: list[ColumnElement[bool]] = [CustomerRow.search_name.like(like, escape="\\")]
            digits = "".join(ch for ch in f.q if ch.isalnum()).upper()
            # Only a term with a digit can be a tax id. Adding the tax-id branch for any
            # word made the OR unindexable (PostgreSQL fell back to a full scan instead
            # of combining the trigram and external_ref indexes).
            if len(digits) >= 4 and any(ch.isdigit() for ch in digits):
                conditions.append(CustomerRow.tax_id.like(f"{_escape_like(digits)}%", escape="\\"))
            conditions.append(CustomerRow.external_ref == f.q.strip())
            stmt = stmt.where(or_(*conditions))
        if f.status:
            stmt = stmt.where(CustomerRow.status == f.status)
        if f.segment:
            stmt = stmt.where(CustomerRow.segment == f.segment)
        if f.region:
            stmt = stmt.where(CustomerRow.region == f.region)
        if f.sales_rep:
            stmt = stmt.where(CustomerRow.sales_rep == f.sales_rep)
        return stmt


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
