"""/api/v1/reports/aging: aging as of a date (summary, drill-down items, exports)."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream

from app.adapters.db.queries_aging import EXPORT_HEADER, AgingCellRow, AgingQueries, export_row
from app.adapters.files.writer import safe_cell
from app.api import docs
from app.api.deps import uow_for
from app.api.receivables import tenant_today
from app.api.report_dates import report_day
from app.api.schemas_receivables import AgingCell, AgingGroup, AgingItem, AgingItemPage, AgingOut
from app.domain.receivables.aging import AgingBuckets, AgingGridRow, aging_grid
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor

GroupByQ = Annotated[str, QueryParameter(pattern="^(customer|segment|region|sales_rep|none)$")]
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Page size (at most 500).")]
TopQ = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=10_000,
        description="Only the N largest groups per currency (the totals still include every group).",
    ),
]


def _money(minor: int, currency: str) -> str:
    return str(Money.from_minor(minor, currency).amount)


def assemble(cells: list[AgingCellRow], buckets: AgingBuckets) -> tuple[list[AgingGroup], list[AgingGroup]]:
    """The aging grid (``aging_grid``, shared with the web page) as API groups: every
    bucket with its count and amount, a total per group and per currency."""
    labels = buckets.labels
    rows, totals = aging_grid(cells, labels)

    def group(r: AgingGridRow) -> AgingGroup:
        return AgingGroup(
            key=r.key,
            label=r.label,
            currency=r.currency,
            buckets=[AgingCell(b, r.counts[b], _money(r.cells[b], r.currency)) for b in labels],
            total=_money(r.total, r.currency),
            count=r.count,
        )

    return [group(r) for r in rows], [group(t) for t in totals]


def largest_per_currency(groups: list[AgingGroup], top: int) -> list[AgingGroup]:
    """``assemble`` orders groups by currency, then largest total first: keep each
    currency's first ``top``."""
    kept: list[AgingGroup] = []
    seen: dict[str, int] = {}
    for g in groups:
        seen[g.currency] = seen.get(g.currency, 0) + 1
        if seen[g.currency] <= top:
            kept.append(g)
    return kept


async def _context(
    request: Request[Any, Any, Any], uow: Any, as_of: date | None
) -> tuple[date, bool, AgingBuckets]:
    today = await tenant_today(request, uow)
    when = report_day(as_of) or today
    buckets = (await uow.receivables_policy()).buckets
    return when, when >= today, buckets


def _item(r: Any, as_of: date, buckets: AgingBuckets) -> AgingItem:
    days = (as_of - r.due_date).days
    return AgingItem(
        installment_id=str(r.id),
        invoice_id=str(r.invoice_id),
        invoice_number=r.invoice_number,
        number=f"{r.number_index}/{r.number_count}",
        customer_id=str(r.customer_id),
        customer_name=r.customer_name,
        due_date=r.due_date.isoformat(),
        days_late=max(days, 0),
        bucket=buckets.bucket_for(days).label,
        open_amount=_money(int(r.open_minor), r.currency),
        currency=r.currency,
    )


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    security = [{"oauth2": ["reports:read"]}]
    guards = [requires(Permission.REPORTS_READ)]

    @get("/aging", summary="Aging as of a date", responses=docs.READ)
    async def aging(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        group_by: GroupByQ = "customer",
        top: TopQ = None,
    ) -> AgingOut:
        async with uow_for(request) as uow:
            when, maintained, buckets = await _context(request, uow, as_of)
            cells = await AgingQueries(uow.session, uow.tenant).summary(
                when, buckets, group_by, maintained=maintained
            )
        groups, totals = assemble(cells, buckets)
        count = len(groups)
        if top is not None:
            groups = largest_per_currency(groups, top)
        return AgingOut(
            as_of=when.isoformat(),
            group_by=group_by,
            basis="maintained" if maintained else "ledger",
            buckets=buckets.labels,
            groups=groups,
            totals=totals,
            group_count=count,
        )

    @get("/aging/items", summary="Open installments behind an aging cell", responses=docs.READ)
    async def aging_items(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        bucket: Annotated[str | None, QueryParameter(max_length=40)] = None,
        customer_id: FromQuery[uuid.UUID | None] = None,
        limit: Limit = 50,
        cursor: FromQuery[str | None] = None,
    ) -> AgingItemPage:
        after = None
        if cursor:
            raw_due, raw_id = decode_cursor(cursor, 2)
            try:
                after = (date.fromisoformat(raw_due), uuid.UUID(raw_id))
            except (TypeError, ValueError) as exc:
                raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc
        async with uow_for(request) as uow:
            when, maintained, buckets = await _context(request, uow, as_of)
            if bucket is not None and bucket not in buckets.labels:
                raise ValidationFailed([FieldError("bucket", f"one of {', '.join(buckets.labels)}")])
            rows, nxt = await AgingQueries(uow.session, uow.tenant).items_page(
                when,
                buckets,
                maintained=maintained,
                limit=limit,
                after=after,
                bucket=bucket,
                customer_id=customer_id,
            )
        return AgingItemPage(
            items=[_item(r, when, buckets) for r in rows],
            next_cursor=encode_cursor([nxt[0].isoformat(), str(nxt[1])]) if nxt else None,
        )

    @get(
        "/aging/export.csv",
        summary="Aging export (CSV, one row per open installment)",
        responses=docs.READ,
        media_type="text/csv",
    )
    async def aging_csv(
        self, request: Request[Any, Any, Any], as_of: FromQuery[date | None] = None
    ) -> Stream:
        import csv

        report_day(as_of)  # refused here, before the stream's headers go out

        async def rows() -> AsyncIterator[bytes]:
            async with uow_for(request) as uow:
                when, maintained, buckets = await _context(request, uow, as_of)
                buf = io.StringIO()
                writer = csv.writer(buf, lineterminator="\r\n")
                buf.write("\ufeff")
                writer.writerow(EXPORT_HEADER)
                q = AgingQueries(uow.session, uow.tenant)
                async for batch in q.stream_items(when, buckets, maintained=maintained):
                    for r in batch:
                        writer.writerow([safe_cell(v) for v in export_row(r, when, buckets)])
                    yield buf.getvalue().encode()
                    buf.seek(0)
                    buf.truncate()
                if buf.tell():
                    yield buf.getvalue().encode()

        name = f"aging-{(as_of or date.today()).isoformat()}.csv"
        return Stream(
            rows(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @get(
        "/aging/export.xlsx",
        summary="Aging export (XLSX, one row per open installment)",
        responses=docs.READ,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    async def aging_xlsx(
        self, request: Request[Any, Any, Any], as_of: FromQuery[date | None] = None
    ) -> Stream:
        from app.adapters.files.xlsx_export import XlsxWriter

        async with uow_for(request) as uow:
            when, maintained, buckets = await _context(request, uow, as_of)
            sheet = XlsxWriter("aging", EXPORT_HEADER)
            q = AgingQueries(uow.session, uow.tenant)
            async for batch in q.stream_items(when, buckets, maintained=maintained):
                for r in batch:
                    sheet.append(export_row(r, when, buckets))
        name = f"aging-{when.isoformat()}.xlsx"
        return Stream(
            sheet.chunks(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
