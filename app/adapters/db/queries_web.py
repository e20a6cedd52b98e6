"""Read-side queries for the web portal: sorted, filtered, offset-paged lists and figures.

Every statement starts from ``scoped(...)``, so it only ever sees the bound tenant;
on PostgreSQL row-level security checks the same thing again.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from app.adapters.db.base import utcnow
from app.adapters.db.models import (
    AuditRow,
    ContactRow,
    CustomerRow,
    InvoiceRow,
    OAuthClientRow,
    UserRow,
)
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.customers import CustomerFilter, SqlCustomerRepository, fold

UNPAID = ("open", "partially_paid")


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


CUSTOMER_SORTS = {
    "name": CustomerRow.search_name,
    "created": CustomerRow.created_at,
    "status": CustomerRow.status,
}

INVOICE_SORTS = {
    "due": InvoiceRow.due_date,
    "amount": InvoiceRow.amount_minor,
    "number": InvoiceRow.number,
    "customer": CustomerRow.search_name,
}


@dataclass(frozen=True)
class WebInvoiceFilter:
    status: str | None = None  # an InvoiceStatus value, or "overdue" / "unpaid"
    customer_id: uuid.UUID | None = None
    due_from: date | None = None
    due_to: date | None = None
    q: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    action: str | None = None
    actor: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Figures:
    open_by_currency: dict[str, int]
    overdue_by_currency: dict[str, int]
    overdue_count: int
    blocked_customers: int
    due_soon_count: int
    due_soon_by_currency: dict[str, int]


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def _paged(session: Any, stmt: Any, page: int, per_page: int) -> Page:
    total = (await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))).scalar()
    pages = max(1, -(-int(total or 0) // per_page))
    page = min(max(page, 1), pages)
    rows = (await session.execute(stmt.limit(per_page).offset((page - 1) * per_page))).all()
    return Page(list(rows), int(total or 0), page, per_page)


class WebQueries(TenantRepository):
    # --- customers ----------------------------------------------------------
    async def customers(
        self, f: CustomerFilter, sort: str, descending: bool, page: int, per_page: int
    ) -> Page:
        repo = SqlCustomerRepository(self.session, self.tenant)
        stmt = repo.filtered(
            f,
            CustomerRow.id,
            CustomerRow.name,
            CustomerRow.tax_id,
            CustomerRow.country,
            CustomerRow.segment,
            CustomerRow.region,
            CustomerRow.status,
            CustomerRow.external_ref,
            CustomerRow.created_at,
        )
        column = CUSTOMER_SORTS.get(sort, CustomerRow.search_name)
        order = column.desc() if descending else column.asc()
        tie = CustomerRow.id.desc() if descending else CustomerRow.id.asc()
        return await _paged(self.session, stmt.order_by(order, tie), page, per_page)

    async def customer_facets(self) -> tuple[list[str], list[str]]:
        """Distinct segments and regions in use, for the filter selects."""
        segments = self.scoped(CustomerRow, CustomerRow.segment).where(CustomerRow.segment.is_not(None))
        regions = self.scoped(CustomerRow, CustomerRow.region).where(CustomerRow.region.is_not(None))
        seg = (
            await self.session.execute(segments.distinct().order_by(CustomerRow.segment).limit(200))
        ).scalars()
        reg = (
            await self.session.execute(regions.distinct().order_by(CustomerRow.region).limit(200))
        ).scalars()
        return list(seg), list(reg)

    async def customer_choices(self, limit: int = 500) -> list[Any]:
        stmt = self.scoped(
            CustomerRow, CustomerRow.id, CustomerRow.name, CustomerRow.tax_id, CustomerRow.country
        )
        return list((await self.session.execute(stmt.order_by(CustomerRow.search_name).limit(limit))).all())

    async def customer_name(self, customer_id: uuid.UUID) -> str | None:
        stmt = self.scoped(CustomerRow, CustomerRow.name).where(CustomerRow.id == customer_id)
        name = (await self.session.execute(stmt)).scalar()
        return str(name) if name is not None else None

    async def contacts(self, customer_id: uuid.UUID) -> list[ContactRow]:
        stmt = (
            self.scoped(ContactRow)
            .where(ContactRow.customer_id == customer_id)
            .order_by(ContactRow.is_primary.desc(), ContactRow.name)
        )
        return list((await self.session.execute(stmt)).scalars())

    # --- invoices -----------------------------------------------------------
    def _invoices(self, f: WebInvoiceFilter, today: date, *columns: Any) -> Any:
        stmt = self.scoped(InvoiceRow, *columns).join(
            CustomerRow,
            and_(CustomerRow.tenant_id == InvoiceRow.tenant_id, CustomerRow.id == InvoiceRow.customer_id),
        )
        if f.status == "overdue":
            stmt = stmt.where(InvoiceRow.status.in_(UNPAID), InvoiceRow.due_date < today)
        elif f.status == "unpaid":
            stmt = stmt.where(InvoiceRow.status.in_(UNPAID))
        elif f.status:
            stmt = stmt.where(InvoiceRow.status == f.status)
        if f.customer_id:
            stmt = stmt.where(InvoiceRow.customer_id == f.customer_id)
        if f.due_from:
            stmt = stmt.where(InvoiceRow.due_date >= f.due_from)
        if f.due_to:
            stmt = stmt.where(InvoiceRow.due_date <= f.due_to)
        if f.q and f.q.strip():
            term = f.q.strip()
            stmt = stmt.where(
                or_(
                    InvoiceRow.number.like(f"%{_escape_like(term)}%", escape="\\"),
                    CustomerRow.search_name.like(f"%{_escape_like(fold(term))}%", escape="\\"),
                )
            )
        return stmt

    async def invoices(
        self, f: WebInvoiceFilter, today: date, sort: str, descending: bool, page: int, per_page: int
    ) -> Page:
        stmt = self._invoices(
            f,
            today,
            InvoiceRow.id,
            InvoiceRow.number,
            InvoiceRow.customer_id,
            CustomerRow.name.label("customer_name"),
            InvoiceRow.issue_date,
            InvoiceRow.due_date,
            InvoiceRow.currency,
            InvoiceRow.amount_minor,
            InvoiceRow.open_minor,
            InvoiceRow.status,
        )
        column = INVOICE_SORTS.get(sort, InvoiceRow.due_date)
        order = column.desc() if descending else column.asc()
        tie = InvoiceRow.id.desc() if descending else InvoiceRow.id.asc()
        return await _paged(self.session, stmt.order_by(order, tie), page, per_page)

    async def open_invoices_of(self, customer_id: uuid.UUID) -> list[Any]:
        stmt = (
            self.scoped(
                InvoiceRow,
                InvoiceRow.id,
                InvoiceRow.number,
                InvoiceRow.issue_date,
                InvoiceRow.due_date,
                InvoiceRow.currency,
                InvoiceRow.amount_minor,
                InvoiceRow.open_minor,
                InvoiceRow.status,
            )
            .where(InvoiceRow.customer_id == customer_id, InvoiceRow.status.in_(UNPAID))
            .order_by(InvoiceRow.due_date, InvoiceRow.id)
            .limit(500)
        )
        return list((await self.session.execute(stmt)).all())

    # --- home figures -------------------------------------------------------
    async def figures(self, today: date, soon: date) -> Figures:
        unpaid = self.scoped(InvoiceRow, InvoiceRow.currency, func.sum(InvoiceRow.open_minor), func.count())
        unpaid = unpaid.where(InvoiceRow.status.in_(UNPAID)).group_by(InvoiceRow.currency)
        open_rows = (await self.session.execute(unpaid)).all()
        overdue_rows = (await self.session.execute(unpaid.where(InvoiceRow.due_date < today))).all()
        soon_stmt = unpaid.where(InvoiceRow.due_date >= today, InvoiceRow.due_date <= soon)
        soon_rows = (await self.session.execute(soon_stmt)).all()
        blocked = self.scoped(CustomerRow, func.count()).where(CustomerRow.status == "blocked")
        return Figures(
            open_by_currency={r[0]: int(r[1] or 0) for r in open_rows},
            overdue_by_currency={r[0]: int(r[1] or 0) for r in overdue_rows},
            overdue_count=sum(int(r[2]) for r in overdue_rows),
            blocked_customers=int((await self.session.execute(blocked)).scalar() or 0),
            due_soon_count=sum(int(r[2]) for r in soon_rows),
            due_soon_by_currency={r[0]: int(r[1] or 0) for r in soon_rows},
        )

    # --- users and invitations ---------------------------------------------
    async def set_invite(self, user_id: uuid.UUID, token_hash: str, expires_at: datetime) -> None:
        await self.session.execute(
            update(UserRow)
            .where(UserRow.tenant_id == self.tenant_uuid, UserRow.id == user_id)
            .values(invite_token_hash=token_hash, invite_expires_at=expires_at, updated_at=utcnow())
        )

    async def user_by_invite(self, token_hash: str) -> UserRow | None:
        stmt = self.scoped(UserRow).where(UserRow.invite_token_hash == token_hash)
        row: UserRow | None = (await self.session.execute(stmt)).scalar()
        if row is None or row.invite_expires_at is None or row.invite_expires_at <= utcnow():
            return None
        return row

    async def clear_invite(self, user_id: uuid.UUID) -> None:
        await self.session.execute(
            update(UserRow)
            .where(UserRow.tenant_id == self.tenant_uuid, UserRow.id == user_id)
            .values(invite_token_hash=None, invite_expires_at=None, updated_at=utcnow())
        )

    # --- OAuth clients (platform table with a tenant column) -----------------
    async def oauth_clients(self) -> list[OAuthClientRow]:
        stmt = self.scoped(OAuthClientRow).order_by(
            OAuthClientRow.revoked_at.is_not(None), OAuthClientRow.name
        )
        return list((await self.session.execute(stmt)).scalars())

    async def revoke_client(self, client_id: str) -> bool:
        result = await self.session.execute(
            update(OAuthClientRow)
            .where(
                OAuthClientRow.tenant_id == self.tenant_uuid,
                OAuthClientRow.client_id == client_id,
                OAuthClientRow.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow(), updated_at=utcnow())
        )
        return bool(getattr(result, "rowcount", 0))

    # --- audit log ----------------------------------------------------------
    def _audit(self, f: AuditFilter) -> Any:
        stmt = self.scoped(AuditRow)
        if f.entity:
            stmt = stmt.where(AuditRow.entity == f.entity)
        if f.action:
            stmt = stmt.where(AuditRow.action == f.action)
        if f.actor:
            stmt = stmt.where(AuditRow.actor.like(f"%{_escape_like(f.actor)}%", escape="\\"))
        if f.at_from:
            stmt = stmt.where(AuditRow.at >= f.at_from)
        if f.at_to:
            stmt = stmt.where(AuditRow.at < f.at_to)
        return stmt.order_by(AuditRow.at.desc(), AuditRow.id.desc())

    async def audit(self, f: AuditFilter, page: int, per_page: int) -> Page:
        result = await _paged(self.session, self._audit(f), page, per_page)
        return Page([r[0] for r in result.rows], result.total, result.page, result.per_page)

    async def audit_stream(self, f: AuditFilter, batch: int = 1000) -> AsyncIterator[Sequence[AuditRow]]:
        """All matching rows in batches, newest first, for the CSV export."""
        offset = 0
        while True:
            stmt = self._audit(f).limit(batch).offset(offset)
            rows = list((await self.session.execute(stmt)).scalars())
            if not rows:
                return
            yield rows
            offset += len(rows)

    async def audit_facets(self) -> tuple[list[str], list[str]]:
        entities = self.scoped(AuditRow, AuditRow.entity).distinct().order_by(AuditRow.entity).limit(100)
        actions = self.scoped(AuditRow, AuditRow.action).distinct().order_by(AuditRow.action).limit(100)
        return (
            list((await self.session.execute(entities)).scalars()),
            list((await self.session.execute(actions)).scalars()),
        )
