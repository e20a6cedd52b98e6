"""Read side of the sales and finance reports (SQL aggregation, keyset pages).

Every statement starts from ``scoped(...)``. The bounds of each report come from
``app.domain.reporting.rules``; this module only turns them into indexed queries:

- open installments: ``ix_installments_customer_due`` (per customer) and the partial
  ``ix_installments_aging`` (``open_minor > 0``, by due date) for the totals;
- inactive customers: ``ix_customers_tenant_status``;
- a day's payments: ``ix_payments_tenant_value_date``; their allocations:
  ``ix_ledger_entries_payment``.

Nothing loads a whole table: pages are bounded by ``limit`` and totals are
``GROUP BY`` in the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, case, exists, func, literal, select, tuple_

from app.adapters.db.models import (
    CustomerRow,
    ImportJobRow,
    InstallmentRow,
    InvoiceRow,
    OutboundEmailRow,
    TenantRow,
    UserRow,
)
from app.adapters.db.queries_reports_cash import CashReceiptQueries
from app.adapters.db.repositories.base import TenantRepository
from app.domain.reporting.model import CustomerBlock, InstallmentLine, RepSummary, Totals
from app.domain.reporting.rules import INACTIVE_STATUSES, Person, Window, days_late, rep_key
from app.domain.reporting.settings import ReportSettings
from app.domain.shared.money import Money

CHUNK = 500
# Keyset positions: (search_name, id) for inactive customers; (rep, search_name, id) by rep.
CustomerKey = tuple[str, uuid.UUID]
RepCustomerKey = tuple[str, str, uuid.UUID]


K = TypeVar("K")


@dataclass(frozen=True)
class BlockPage(Generic[K]):
    items: list[CustomerBlock]
    next_key: K | None


@dataclass(frozen=True)
class InactiveTotals:
    customers: int
    overdue: Totals
    upcoming: Totals


def _rep_expr() -> Any:
    return func.trim(func.coalesce(CustomerRow.sales_rep, ""))


class ReportQueries(CashReceiptQueries):
    # --- settings and people -------------------------------------------------------

    async def report_settings(self) -> ReportSettings:
        raw = (
            await self.session.execute(select(TenantRow.settings).where(TenantRow.id == self.tenant_uuid))
        ).scalar()
        return ReportSettings.from_settings(raw or {})

    async def people(self) -> list[Person]:
        stmt = self.scoped(UserRow, UserRow.email, UserRow.name, UserRow.roles).where(
            UserRow.is_active.is_(True)
        )
        rows = (await self.session.execute(stmt.order_by(UserRow.email))).all()
        return [Person(r.email, r.name, frozenset(r.roles or [])) for r in rows]

    # --- open installments -----------------------------------------------------------

    def _open_lines(self, customer_ids: Sequence[uuid.UUID], until: date) -> Any:
        return (
            self.scoped(
                InstallmentRow,
                InstallmentRow.id,
                InstallmentRow.customer_id,
                InstallmentRow.invoice_id,
                InstallmentRow.number_index,
                InstallmentRow.number_count,
                InstallmentRow.due_date,
                InstallmentRow.currency,
                InstallmentRow.open_minor,
                InvoiceRow.number,
            )
            .join(
                InvoiceRow,
                and_(
                    InvoiceRow.tenant_id == InstallmentRow.tenant_id,
                    InvoiceRow.id == InstallmentRow.invoice_id,
                ),
            )
            .where(
                InstallmentRow.customer_id.in_(list(customer_ids)),
                InstallmentRow.open_minor > 0,
                InstallmentRow.due_date <= until,
            )
            .order_by(InstallmentRow.customer_id, InstallmentRow.due_date, InstallmentRow.id)
        )

    async def _blocks(self, customers: Sequence[Any], until: date, as_of: date) -> list[CustomerBlock]:
        """The customers' open installments due up to ``until``, in the customers' order."""
        lines: dict[uuid.UUID, list[InstallmentLine]] = {c.id: [] for c in customers}
        ids = list(lines)
        for start in range(0, len(ids), CHUNK):
            for r in (await self.session.execute(self._open_lines(ids[start : start + CHUNK], until))).all():
                lines[r.customer_id].append(
                    InstallmentLine(
                        installment_id=r.id,
                        invoice_id=r.invoice_id,
                        invoice_number=r.number,
                        number_index=r.number_index,
                        number_count=r.number_count,
                        due_date=r.due_date,
                        open=Money.from_minor(r.open_minor, r.currency),
                        days_late=days_late(r.due_date, as_of),
                    )
                )
        return [
            CustomerBlock(c.id, c.name, c.status, rep_key(c.sales_rep) or None, tuple(lines[c.id]))
            for c in customers
        ]

    def _has_open(self, until: date) -> Any:
        return exists().where(
            InstallmentRow.tenant_id == CustomerRow.tenant_id,
            InstallmentRow.customer_id == CustomerRow.id,
            InstallmentRow.open_minor > 0,
            InstallmentRow.due_date <= until,
        )

    # --- (a) inactive customers: upcoming and overdue ----------------------------------

    async def inactive_customers(
        self, window: Window, limit: int, after: CustomerKey | None = None, status: str | None = None
    ) -> BlockPage[CustomerKey]:
        statuses = [status] if status in INACTIVE_STATUSES else list(INACTIVE_STATUSES)
        stmt = self.scoped(
            CustomerRow,
            CustomerRow.id,
            CustomerRow.name,
            CustomerRow.search_name,
            CustomerRow.status,
            CustomerRow.sales_rep,
        ).where(CustomerRow.status.in_(statuses), self._has_open(window.upcoming_until))
        if after is not None:
            stmt = stmt.where(
                tuple_(CustomerRow.search_name, CustomerRow.id) > tuple_(literal(after[0]), literal(after[1]))
            )
        rows = (
            await self.session.execute(
                stmt.order_by(CustomerRow.search_name, CustomerRow.id).limit(limit + 1)
            )
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        blocks = await self._blocks(rows, window.upcoming_until, window.as_of)
        nxt = (rows[-1].search_name, rows[-1].id) if more and rows else None
        return BlockPage(blocks, nxt)

    async def inactive_totals(self, window: Window, status: str | None = None) -> InactiveTotals:
        statuses = [status] if status in INACTIVE_STATUSES else list(INACTIVE_STATUSES)
        overdue = func.sum(case((InstallmentRow.due_date < window.as_of, InstallmentRow.open_minor), else_=0))
        # Driven from the (few) inactive customers through ix_installments_customer_due,
        # rather than from every open installment of the tenant.
        inactive = self.scoped(CustomerRow, CustomerRow.id).where(CustomerRow.status.in_(statuses))
        base = self.scoped(InstallmentRow).where(
            InstallmentRow.customer_id.in_(inactive),
            InstallmentRow.open_minor > 0,
            InstallmentRow.due_date <= window.upcoming_until,
        )
        sums = (
            await self.session.execute(
                base.with_only_columns(
                    InstallmentRow.currency, func.sum(InstallmentRow.open_minor), overdue
                ).group_by(InstallmentRow.currency)
            )
        ).all()
        count = (
            await self.session.execute(
                base.with_only_columns(func.count(func.distinct(InstallmentRow.customer_id)))
            )
        ).scalar()
        return InactiveTotals(
            customers=int(count or 0),
            overdue=Totals.from_minor({c: int(o or 0) for c, _, o in sums}),
            upcoming=Totals.from_minor({c: int(t or 0) - int(o or 0) for c, t, o in sums}),
        )

    # --- (b) overdue by sales rep --------------------------------------------------------

    def _overdue_base(self, as_of: date) -> Any:
        return (
            self.scoped(InstallmentRow)
            .join(
                CustomerRow,
                and_(
                    CustomerRow.tenant_id == InstallmentRow.tenant_id,
                    CustomerRow.id == InstallmentRow.customer_id,
                ),
            )
            .where(InstallmentRow.open_minor > 0, InstallmentRow.due_date < as_of)
        )

    async def rep_summary(self, as_of: date) -> list[RepSummary]:
        rep = _rep_expr().label("rep")
        base = self._overdue_base(as_of)
        sums = (
            await self.session.execute(
                base.with_only_columns(
                    rep, InstallmentRow.currency, func.sum(InstallmentRow.open_minor)
                ).group_by(rep, InstallmentRow.currency)
            )
        ).all()
        counts = (
            await self.session.execute(
                base.with_only_columns(
                    rep,
                    func.count(func.distinct(InstallmentRow.customer_id)),
                    func.count(),
                    func.min(InstallmentRow.due_date),
                )
                .group_by(rep)
                .order_by(rep)
            )
        ).all()
        amounts: dict[str, dict[str, int]] = {}
        for r, currency, minor in sums:
            amounts.setdefault(r, {})[currency] = int(minor or 0)
        return [
            RepSummary(
                rep=r or None,
                customers=int(n_customers),
                installments=int(n_lines),
                overdue=Totals.from_minor(amounts.get(r, {})),
                oldest_days_late=days_late(_as_date(oldest), as_of),
            )
            for r, n_customers, n_lines, oldest in counts
        ]

    def _rep_customers(self, as_of: date, reps: Sequence[str] | None) -> Any:
        rep = _rep_expr().label("rep")
        has_overdue = exists().where(
            InstallmentRow.tenant_id == CustomerRow.tenant_id,
            InstallmentRow.customer_id == CustomerRow.id,
            InstallmentRow.open_minor > 0,
            InstallmentRow.due_date < as_of,
        )
        stmt = self.scoped(
            CustomerRow,
            CustomerRow.id,
            CustomerRow.name,
            CustomerRow.search_name,
            CustomerRow.status,
            CustomerRow.sales_rep,
            rep,
        ).where(has_overdue)
        if reps is not None:
            stmt = stmt.where(_rep_expr().in_([rep_key(r) for r in reps]))
        return stmt.order_by(_rep_expr(), CustomerRow.search_name, CustomerRow.id)

    async def overdue_by_rep(
        self, as_of: date, limit: int, after: RepCustomerKey | None = None, rep: str | None = None
    ) -> BlockPage[RepCustomerKey]:
        """Customers with overdue installments, ordered by rep then name; ``rep`` ""
        selects the customers without a rep."""
        stmt = self._rep_customers(as_of, None if rep is None else [rep])
        if after is not None:
            stmt = stmt.where(
                tuple_(_rep_expr(), CustomerRow.search_name, CustomerRow.id)
                > tuple_(literal(after[0]), literal(after[1]), literal(after[2]))
            )
        rows = (await self.session.execute(stmt.limit(limit + 1))).all()
        more = len(rows) > limit
        rows = rows[:limit]
        blocks = await self._blocks(rows, _day_before(as_of), as_of)
        nxt = (rows[-1].rep, rows[-1].search_name, rows[-1].id) if more and rows else None
        return BlockPage(blocks, nxt)

    async def overdue_of_reps(self, reps: Sequence[str], as_of: date) -> list[CustomerBlock]:
        """Every customer of these reps with overdue installments (for one e-mail)."""
        rows = (await self.session.execute(self._rep_customers(as_of, reps))).all()
        return await self._blocks(rows, _day_before(as_of), as_of)


def _day_before(d: date) -> date:
    return d - timedelta(days=1)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class MailboxQueries(TenantRepository):
    """The mailbox page: the tenant's e-mails newest first, in keyset pages."""

    async def page(
        self, limit: int, before: tuple[datetime, uuid.UUID] | None = None, kind: str | None = None
    ) -> tuple[list[OutboundEmailRow], tuple[datetime, uuid.UUID] | None]:
        stmt = self.scoped(OutboundEmailRow)
        if kind:
            stmt = stmt.where(OutboundEmailRow.kind == kind)
        if before is not None:
            stmt = stmt.where(
                tuple_(OutboundEmailRow.created_at, OutboundEmailRow.id)
                < tuple_(literal(before[0]), literal(before[1]))
            )
        stmt = stmt.order_by(OutboundEmailRow.created_at.desc(), OutboundEmailRow.id.desc()).limit(limit + 1)
        rows = list((await self.session.execute(stmt)).scalars())
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, ((rows[-1].created_at, rows[-1].id) if more and rows else None)

    async def kinds(self) -> list[str]:
        stmt = self.scoped(OutboundEmailRow, OutboundEmailRow.kind).distinct().order_by(OutboundEmailRow.kind)
        return [k for (k,) in (await self.session.execute(stmt.limit(50))).all()]

    async def get(self, email_id: uuid.UUID) -> OutboundEmailRow | None:
        stmt = self.scoped(OutboundEmailRow).where(OutboundEmailRow.id == email_id)
        row: OutboundEmailRow | None = (await self.session.execute(stmt)).scalar()
        return row


class ImportListQueries(TenantRepository):
    """Recent imports for the import page (newest first, ``ix_import_jobs_tenant_created``)."""

    async def recent(self, limit: int = 20) -> list[ImportJobRow]:
        stmt = self.scoped(ImportJobRow).order_by(ImportJobRow.created_at.desc(), ImportJobRow.id.desc())
        return list((await self.session.execute(stmt.limit(limit))).scalars())
