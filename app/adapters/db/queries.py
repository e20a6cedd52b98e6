"""Read-side queries for lists: columns only (no ORM objects), keyset pagination.

The API's list pages run through ``reads.tenant_reads``: each distinct combination of
filters is one ``ReadQuery`` built with bind parameters and compiled once, so a request
only binds values (rows come back as tuples, columns in the order below).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_, select

from app.adapters.db.models import CustomerRow, InvoiceRow
from app.adapters.db.reads import TENANT_PARAM, ReadQuery, TenantReader
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.customers import (
    CustomerFilter,
    SqlCustomerRepository,
    _escape_like,
    fold,
)
from app.domain.shared.money import Money

CUSTOMER_COLUMNS = (
    CustomerRow.id,
    CustomerRow.name,
    CustomerRow.legal_name,
    CustomerRow.tax_id,
    CustomerRow.country,
    CustomerRow.email,
    CustomerRow.phone,
    CustomerRow.segment,
    CustomerRow.region,
    CustomerRow.sales_rep,
    CustomerRow.status,
    CustomerRow.external_ref,
    CustomerRow.created_at,
    CustomerRow.updated_at,
)

INVOICE_COLUMNS = (
    InvoiceRow.id,
    InvoiceRow.customer_id,
    InvoiceRow.number,
    InvoiceRow.issue_date,
    InvoiceRow.due_date,
    InvoiceRow.amount_minor,
    InvoiceRow.currency,
    InvoiceRow.open_minor,
    InvoiceRow.status,
    InvoiceRow.external_ref,
    InvoiceRow.description,
    InvoiceRow.created_at,
    InvoiceRow.updated_at,
)


def customer_dict(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "name": row.name,
        "legal_name": row.legal_name,
        "tax_id": row.tax_id,
        "country": row.country,
        "email": row.email,
        "phone": row.phone,
        "segment": row.segment,
        "region": row.region,
        "sales_rep": row.sales_rep,
        "status": row.status,
        "external_ref": row.external_ref,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def invoice_dict(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "customer_id": str(row.customer_id),
        "number": row.number,
        "issue_date": row.issue_date.isoformat(),
        "due_date": row.due_date.isoformat(),
        "amount": str(Money.from_minor(row.amount_minor, row.currency).amount),
        "currency": row.currency,
        "open_amount": str(Money.from_minor(row.open_minor, row.currency).amount),
        "status": row.status,
        "external_ref": row.external_ref,
        "description": row.description,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


async def customers_after(
    repo: SqlCustomerRepository, f: CustomerFilter, limit: int, after: uuid.UUID | None
) -> tuple[list[dict[str, Any]], uuid.UUID | None]:
    """API order: by id (creation order, UUIDv7), so the cursor is just the last id."""
    stmt = repo.filtered(f, *CUSTOMER_COLUMNS)
    if after is not None:
        stmt = stmt.where(CustomerRow.id > after)
    rows = (await repo.session.execute(stmt.order_by(CustomerRow.id).limit(limit + 1))).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return [customer_dict(r) for r in rows], (rows[-1].id if more and rows else None)


@dataclass(frozen=True)
class InvoiceFilter:
    customer_id: uuid.UUID | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    q: str | None = None


class InvoiceQueries(TenantRepository):
    def filtered(self, f: InvoiceFilter, *columns: Any) -> Any:
        stmt = self.scoped(InvoiceRow, *columns)
        if f.customer_id:
            stmt = stmt.where(InvoiceRow.customer_id == f.customer_id)
        if f.status:
            stmt = stmt.where(InvoiceRow.status == f.status)
        if f.due_from:
            stmt = stmt.where(InvoiceRow.due_date >= f.due_from)
        if f.due_to:
            stmt = stmt.where(InvoiceRow.due_date <= f.due_to)
        if f.q:
            stmt = stmt.where(InvoiceRow.number.like(f"%{f.q.strip()}%"))
        return stmt

    async def page_after(
        self, f: InvoiceFilter, limit: int, after: tuple[date, uuid.UUID] | None
    ) -> tuple[list[dict[str, Any]], tuple[date, uuid.UUID] | None]:
        """API order: due date, then id; the cursor carries both."""
        stmt = self.filtered(f, *INVOICE_COLUMNS)
        if after is not None:
            due, last = after
            stmt = stmt.where(
                or_(InvoiceRow.due_date > due, and_(InvoiceRow.due_date == due, InvoiceRow.id > last))
            )
        stmt = stmt.order_by(InvoiceRow.due_date, InvoiceRow.id).limit(limit + 1)
        rows = (await self.session.execute(stmt)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        nxt = (rows[-1].due_date, rows[-1].id) if more and rows else None
        return [invoice_dict(r) for r in rows], nxt


# --- the API's list pages (tenant reads, compiled once per filter shape) ------------


@lru_cache(maxsize=64)
def _invoice_page_query(customer: bool, status: bool, due_from: bool, due_to: bool, after: bool) -> ReadQuery:
    stmt: Any = select(*INVOICE_COLUMNS).where(InvoiceRow.tenant_id == bindparam(TENANT_PARAM))
    if customer:
        stmt = stmt.where(InvoiceRow.customer_id == bindparam("customer_id"))
    if status:
        stmt = stmt.where(InvoiceRow.status == bindparam("status"))
    if due_from:
        stmt = stmt.where(InvoiceRow.due_date >= bindparam("due_from"))
    if due_to:
        stmt = stmt.where(InvoiceRow.due_date <= bindparam("due_to"))
    if after:
        due: Any = bindparam("after_due", type_=InvoiceRow.due_date.type)
        last: Any = bindparam("after_id")
        stmt = stmt.where(
            or_(InvoiceRow.due_date > due, and_(InvoiceRow.due_date == due, InvoiceRow.id > last))
        )
    stmt = stmt.order_by(InvoiceRow.due_date, InvoiceRow.id).limit(bindparam("limit"))
    return ReadQuery(stmt)


async def invoice_page(
    reads: TenantReader, f: InvoiceFilter, limit: int, after: tuple[date, uuid.UUID] | None
) -> tuple[Sequence[Sequence[Any]], tuple[date, uuid.UUID] | None]:
    """API order: due date, then id; the cursor carries both. Rows in INVOICE_COLUMNS order."""
    if f.q:
        raise ValueError("invoice_page does not search by number")
    query = _invoice_page_query(
        f.customer_id is not None,
        bool(f.status),
        f.due_from is not None,
        f.due_to is not None,
        after is not None,
    )
    params: dict[str, Any] = {"limit": limit + 1}
    if f.customer_id is not None:
        params["customer_id"] = f.customer_id
    if f.status:
        params["status"] = f.status
    if f.due_from is not None:
        params["due_from"] = f.due_from
    if f.due_to is not None:
        params["due_to"] = f.due_to
    if after is not None:
        params["after_due"], params["after_id"] = after
    rows = await reads.rows(query, **params)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, (rows[-1][4], _uuid(rows[-1][0]))


@lru_cache(maxsize=128)
def _customer_page_query(
    q: bool, tax_id: bool, status: bool, segment: bool, region: bool, sales_rep: bool, after: bool
) -> ReadQuery:
    """The same conditions as ``SqlCustomerRepository.filtered``, as bind parameters."""
    stmt: Any = select(*CUSTOMER_COLUMNS).where(CustomerRow.tenant_id == bindparam(TENANT_PARAM))
    if q:
        conditions: list[ColumnElement[bool]] = [
            CustomerRow.search_name.like(bindparam("name_like"), escape="\\")
        ]
        if tax_id:
            conditions.append(CustomerRow.tax_id.like(bindparam("tax_like"), escape="\\"))
        conditions.append(CustomerRow.external_ref == bindparam("ref"))
        stmt = stmt.where(or_(*conditions))
    for wanted, column in (
        (status, CustomerRow.status),
        (segment, CustomerRow.segment),
        (region, CustomerRow.region),
        (sales_rep, CustomerRow.sales_rep),
    ):
        if wanted:
            stmt = stmt.where(column == bindparam(column.key))
    if after:
        stmt = stmt.where(CustomerRow.id > bindparam("after_id"))
    return ReadQuery(stmt.order_by(CustomerRow.id).limit(bindparam("limit")))


async def customer_page(
    reads: TenantReader, f: CustomerFilter, limit: int, after: uuid.UUID | None
) -> tuple[Sequence[Sequence[Any]], uuid.UUID | None]:
    """API order: by id (creation order, UUIDv7). Rows in CUSTOMER_COLUMNS order."""
    params: dict[str, Any] = {"limit": limit + 1}
    tax_id = False
    if f.q:
        term = f.q.strip()
        params["name_like"] = f"%{_escape_like(fold(term))}%"
        digits = "".join(ch for ch in f.q if ch.isalnum()).upper()
        # As in the repository: only a term with a digit can be a tax id (keeps the OR indexable).
        tax_id = len(digits) >= 4 and any(ch.isdigit() for ch in digits)
        if tax_id:
            params["tax_like"] = f"{_escape_like(digits)}%"
        params["ref"] = term
    for name in ("status", "segment", "region", "sales_rep"):
        value = getattr(f, name)
        if value:
            params[name] = value
    if after is not None:
        params["after_id"] = after
    query = _customer_page_query(
        bool(f.q),
        tax_id,
        bool(f.status),
        bool(f.segment),
        bool(f.region),
        bool(f.sales_rep),
        after is not None,
    )
    rows = await reads.rows(query, **params)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, _uuid(rows[-1][0])


def _uuid(value: Any) -> uuid.UUID:
    # asyncpg returns its own UUID type; the cursor and the API speak uuid.UUID.
    return value if type(value) is uuid.UUID else uuid.UUID(str(value))
