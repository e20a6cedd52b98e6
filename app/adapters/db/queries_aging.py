"""Aging in SQL: open installments bucketed by days late as of a date, grouped by a
customer dimension, summed by the database (never by fetching rows into Python).

Buckets become due-date cut-offs computed once in Python (``days_late <= m`` is
``due_date >= as_of - m``), so the ``CASE`` compares dates and reads the same on
SQLite and PostgreSQL, with no date arithmetic in SQL.

"As of" semantics:
- ``as_of`` on or after today: the installments' maintained ``open_minor`` (kept in
  the same transaction as every ledger entry); served by the partial covering index
  ``ix_installments_aging``.
- a past ``as_of``: each installment's open amount is the sum of its ledger entries
  effective on or before that date (so later payments, credit notes and installments
  issued later do not count) — a ``GROUP BY`` over ``ledger_entries``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from app.adapters.db.models import CustomerRow, InstallmentRow, InvoiceRow, LedgerEntryRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.receivables.aging import AgingBuckets
from app.domain.shared.money import Money

GROUP_BY = ("customer", "segment", "region", "sales_rep", "none")
# Export columns: one row per open installment with every dimension, pivot-ready.
EXPORT_HEADER = (
    "customer_id",
    "customer",
    "tax_id",
    "segment",
    "region",
    "sales_rep",
    "invoice_id",
    "invoice",
    "installment_id",
    "installment",
    "due_date",
    "days_late",
    "bucket",
    "open_amount",
    "currency",
)


def export_row(r: Any, as_of: date, buckets: AgingBuckets) -> list[object]:
    """One ``items_page`` row as export cells (amount as a Decimal: a number in XLSX)."""
    days = (as_of - r.due_date).days
    return [
        str(r.customer_id),
        r.customer_name,
        r.tax_id,
        r.segment,
        r.region,
        r.sales_rep,
        str(r.invoice_id),
        r.invoice_number,
        str(r.id),
        f"{r.number_index}/{r.number_count}",
        r.due_date.isoformat(),
        max(days, 0),
        buckets.bucket_for(days).label,
        Money.from_minor(int(r.open_minor), r.currency).amount,
        r.currency,
    ]


@dataclass(frozen=True, slots=True)
class AgingCellRow:
    key: str | None
    label: str | None
    currency: str
    bucket: str
    count: int
    open_minor: int


def cutoffs(as_of: date, buckets: AgingBuckets) -> list[tuple[str, date | None, date | None]]:
    """(label, earliest due date, latest due date) per bucket, inclusive; None open."""
    out = []
    for label, lo, hi in buckets.sql_bounds():
        earliest = as_of - timedelta(days=hi) if hi is not None else None
        latest = as_of - timedelta(days=lo) if lo is not None else None
        out.append((label, earliest, latest))
    return out


def bucket_case(due: Any, as_of: date, buckets: AgingBuckets) -> ColumnElement[str]:
    bounds = cutoffs(as_of, buckets)
    whens = [(due >= earliest, literal(label)) for label, earliest, _ in bounds[:-1] if earliest is not None]
    return case(*whens, else_=literal(bounds[-1][0]))


class AgingQueries(TenantRepository):
    def open_source(self, as_of: date, maintained: bool) -> Any:
        """One row per installment with something open as of the date: id, customer,
        invoice, due date, currency and open amount (minor units)."""
        i = InstallmentRow
        if maintained:
            stmt = self.scoped(
                i, i.id, i.customer_id, i.invoice_id, i.due_date, i.currency, i.open_minor.label("open_minor")
            ).where(i.open_minor > literal_column("0"))
            return stmt.subquery("src")
        le = LedgerEntryRow
        total = func.sum(le.amount_minor)
        stmt = (
            self.scoped(
                le, i.id, i.customer_id, i.invoice_id, i.due_date, i.currency, total.label("open_minor")
            )
            .join(i, and_(i.tenant_id == le.tenant_id, i.id == le.installment_id))
            .where(le.effective_date <= as_of)
            .group_by(i.id, i.customer_id, i.invoice_id, i.due_date, i.currency)
            .having(total > 0)
        )
        return stmt.subquery("src")

    def _customers_join(self, src: Any) -> Any:
        return and_(CustomerRow.tenant_id == self.tenant_uuid, CustomerRow.id == src.c.customer_id)

    async def summary(
        self, as_of: date, buckets: AgingBuckets, group_by: str, *, maintained: bool
    ) -> list[AgingCellRow]:
        """Counts and sums per group, currency and bucket, aggregated by the database.

        Customer dimensions (segment, region, sales rep) are joined to the per-customer
        aggregate, not to every installment: the join touches groups, not rows.
        """
        if group_by not in GROUP_BY:
            raise ValueError(group_by)
        await self._roomy_sort()
        src = self.open_source(as_of, maintained)
        bucket = bucket_case(src.c.due_date, as_of, buckets).label("bucket")
        count = func.count().label("n")
        amount = func.sum(src.c.open_minor).label("open_minor")
        if group_by == "none":
            stmt: Select[Any] = select(src.c.currency, bucket, count, amount).group_by(src.c.currency, bucket)
            rows = (await self.session.execute(stmt)).all()
            return [AgingCellRow(None, None, r.currency, r.bucket, r.n, int(r.open_minor)) for r in rows]
        per_customer = select(src.c.customer_id.label("key"), src.c.currency, bucket, count, amount).group_by(
            src.c.customer_id, src.c.currency, bucket
        )
        if group_by == "customer":
            rows = (await self.session.execute(per_customer)).all()
            names = await self._customer_names({r.key for r in rows})
            return [
                AgingCellRow(str(r.key), names.get(r.key), r.currency, r.bucket, r.n, int(r.open_minor))
                for r in rows
            ]
        inner = per_customer.subquery("per_customer")
        dim = getattr(CustomerRow, group_by)
        stmt = (
            select(
                dim.label("key"),
                inner.c.currency,
                inner.c.bucket,
                func.sum(inner.c.n).label("n"),
                func.sum(inner.c.open_minor).label("open_minor"),
            )
            .select_from(
                inner.join(
                    CustomerRow,
                    and_(CustomerRow.tenant_id == self.tenant_uuid, CustomerRow.id == inner.c.key),
                )
            )
            .group_by(dim, inner.c.currency, inner.c.bucket)
        )
        rows = (await self.session.execute(stmt)).all()
        return [AgingCellRow(r.key, r.key, r.currency, r.bucket, int(r.n), int(r.open_minor)) for r in rows]

    async def _roomy_sort(self) -> None:
        # PostgreSQL's default work_mem (4 MB) sends a per-customer GROUP BY of a large
        # tenant to an on-disk merge sort (measured 1.9 s vs 0.4 s on 1M rows); this
        # transaction alone gets room to hash in memory.
        bind = self.session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            await self.session.execute(text("SET LOCAL work_mem = '64MB'"))

    async def _customer_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        # Names are looked up for the groups only (after aggregation), so a tenant
        # with 100k customers joins nothing row by row.
        out: dict[uuid.UUID, str] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), 1_000):
            chunk = ordered[start : start + 1_000]
            stmt = self.scoped(CustomerRow, CustomerRow.id, CustomerRow.name).where(CustomerRow.id.in_(chunk))
            out.update({r.id: r.name for r in (await self.session.execute(stmt)).all()})
        return out

    def _items_stmt(
        self,
        as_of: date,
        buckets: AgingBuckets,
        *,
        maintained: bool,
        bucket: str | None = None,
        customer_id: uuid.UUID | None = None,
    ) -> tuple[Any, Any]:
        src = self.open_source(as_of, maintained)
        inv = InvoiceRow
        stmt = (
            select(
                src.c.id,
                src.c.invoice_id,
                src.c.customer_id,
                src.c.due_date,
                src.c.currency,
                src.c.open_minor,
                inv.number.label("invoice_number"),
                InstallmentRow.number_index,
                InstallmentRow.number_count,
                CustomerRow.name.label("customer_name"),
                CustomerRow.tax_id,
                CustomerRow.segment,
                CustomerRow.region,
                CustomerRow.sales_rep,
            )
            .select_from(src)
            .join(CustomerRow, self._customers_join(src))
            .join(inv, and_(inv.tenant_id == self.tenant_uuid, inv.id == src.c.invoice_id))
            .join(
                InstallmentRow,
                and_(InstallmentRow.tenant_id == self.tenant_uuid, InstallmentRow.id == src.c.id),
            )
        )
        if bucket is not None:
            bounds = {label: (lo, hi) for label, lo, hi in cutoffs(as_of, buckets)}
            if bucket not in bounds:
                raise KeyError(bucket)
            earliest, latest = bounds[bucket]
            if earliest is not None:
                stmt = stmt.where(src.c.due_date >= earliest)
            if latest is not None:
                stmt = stmt.where(src.c.due_date <= latest)
        if customer_id is not None:
            stmt = stmt.where(src.c.customer_id == customer_id)
        return stmt, src

    async def items_page(
        self,
        as_of: date,
        buckets: AgingBuckets,
        *,
        maintained: bool,
        limit: int,
        after: tuple[date, uuid.UUID] | None = None,
        bucket: str | None = None,
        customer_id: uuid.UUID | None = None,
    ) -> tuple[list[Any], tuple[date, uuid.UUID] | None]:
        stmt, src = self._items_stmt(
            as_of, buckets, maintained=maintained, bucket=bucket, customer_id=customer_id
        )
        if after is not None:
            due, last = after
            stmt = stmt.where(or_(src.c.due_date > due, and_(src.c.due_date == due, src.c.id > last)))
        rows: list[Any] = list(
            (await self.session.execute(stmt.order_by(src.c.due_date, src.c.id).limit(limit + 1))).all()
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, ((rows[-1].due_date, rows[-1].id) if more and rows else None)

    async def stream_items(
        self, as_of: date, buckets: AgingBuckets, *, maintained: bool, batch: int = 5_000
    ) -> AsyncIterator[Sequence[Any]]:
        """Every open installment with its dimensions, in keyset batches (exports)."""
        after: tuple[date, uuid.UUID] | None = None
        while True:
            rows, after = await self.items_page(
                as_of, buckets, maintained=maintained, limit=batch, after=after
            )
            if rows:
                yield rows
            if after is None:
                return
