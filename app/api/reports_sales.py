"""/api/v1/reports: the sales team's and Finance's reports, as JSON pages and as
CSV/XLSX files.

- ``inactive-customers``: upcoming (next ``days``) and overdue installments of
  customers that are inactive, suspended or blocked, grouped by customer;
- ``overdue-by-rep``: customers with overdue installments per sales rep;
- ``cash-receipts``: a day's payments by bank account and method, with allocations.

``as_of`` / ``date`` default to the tenant's today / yesterday (its time zone).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream

from app.adapters.db import platform_queries as pq
from app.adapters.db.queries_reports import ReportQueries
from app.adapters.reports.export import CSV_TYPE, XLSX_TYPE
from app.adapters.reports.streams import cash_pages, csv_chunks, inactive_pages, overdue_pages, xlsx_chunks
from app.api import docs
from app.api.deps import uow_for
from app.api.report_dates import report_day
from app.api.schemas_reports import (
    CashReceiptsOut,
    CashTotalsOut,
    InactiveCustomersOut,
    InactiveTotalsOut,
    OverdueByRepOut,
    amounts,
    block_out,
    group_out,
    receipt_out,
    rep_out,
)
from app.domain.reporting.model import Totals
from app.domain.reporting.rules import DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS, Window
from app.domain.reporting.tables import INSTALLMENT_HEADER, RECEIPT_HEADER
from app.domain.shared.clock import Clock, SystemClock
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import principal_of, requires
from app.server.pagination import decode_cursor, encode_cursor
from app.server.services import Services

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Customers (or payments) per page.")]
Days = Annotated[
    int, QueryParameter(ge=0, le=MAX_HORIZON_DAYS, description="Upcoming window in days after as_of.")
]
InactiveStatus = Annotated[str | None, QueryParameter(pattern="^(inactive|suspended|blocked)$")]
RepQ = Annotated[
    str | None,
    QueryParameter(max_length=120, description="Only this sales rep; empty: customers without a rep."),
]
SourceQ = Annotated[str | None, QueryParameter(pattern="^(bank_return|statement|pix|manual|stripe)$")]
DayQ = Annotated[date | None, QueryParameter(name="date", description="Value date; default yesterday.")]
CSV_DOC = {200: ResponseSpec(data_container=str, media_type="text/csv", description="CSV file")}
XLSX_DOC = {200: ResponseSpec(data_container=bytes, media_type=XLSX_TYPE, description="XLSX workbook")}


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


async def tenant_today(request: Request[Any, Any, Any]) -> date:
    services = _services(request)
    async with services.sessions() as session:
        tenant = await pq.get_tenant(session, principal_of(request).tenant.value)
    extra = services.extras.get("clock")
    clock: Clock = extra if extra is not None else SystemClock()  # type: ignore[assignment]
    return clock.today(tenant.timezone if tenant else "UTC")


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed([FieldError("cursor", "is not a valid cursor")])


def _customer_key(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    if not cursor:
        return None
    name, raw_id = decode_cursor(cursor, 2)
    try:
        return str(name), uuid.UUID(str(raw_id))
    except ValueError as exc:
        raise _bad_cursor() from exc


def _rep_key(cursor: str | None) -> tuple[str, str, uuid.UUID] | None:
    if not cursor:
        return None
    rep, name, raw_id = decode_cursor(cursor, 3)
    try:
        return str(rep), str(name), uuid.UUID(str(raw_id))
    except ValueError as exc:
        raise _bad_cursor() from exc


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    (raw,) = decode_cursor(cursor, 1)
    if not isinstance(raw, int) or raw < 0:
        raise _bad_cursor()
    return raw


def _download(name: str, extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}.{extension}"', "Cache-Control": "no-store"}


class SalesReportsController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    security = [{"oauth2": ["reports:read"]}]
    guards = [requires(Permission.REPORTS_READ)]

    @get(
        "/inactive-customers",
        summary="Upcoming and overdue installments of inactive customers",
        responses=docs.READ,
    )
    async def inactive_customers(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        days: Days = DEFAULT_HORIZON_DAYS,
        status: InactiveStatus = None,
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> InactiveCustomersOut:
        window = Window(report_day(as_of) or await tenant_today(request), days)
        after = _customer_key(cursor)
        async with uow_for(request) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            page = await q.inactive_customers(window, limit, after, status)
            totals = await q.inactive_totals(window, status)
        return InactiveCustomersOut(
            as_of=window.as_of,
            upcoming_until=window.upcoming_until,
            totals=InactiveTotalsOut(totals.customers, amounts(totals.overdue), amounts(totals.upcoming)),
            items=[block_out(b) for b in page.items],
            next_cursor=encode_cursor([page.next_key[0], str(page.next_key[1])]) if page.next_key else None,
        )

    @get(
        "/inactive-customers/export.csv",
        summary="Inactive customers' installments as CSV",
        responses={**docs.READ, **CSV_DOC},
    )
    async def inactive_customers_csv(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        days: Days = DEFAULT_HORIZON_DAYS,
        status: InactiveStatus = None,
    ) -> Stream:
        window = Window(report_day(as_of) or await tenant_today(request), days)
        pages = inactive_pages(lambda: uow_for(request), window, status)
        return _csv(csv_chunks(INSTALLMENT_HEADER, pages), f"inactive-customers-{window.as_of.isoformat()}")

    @get(
        "/inactive-customers/export.xlsx",
        summary="Inactive customers' installments as XLSX",
        responses={**docs.READ, **XLSX_DOC},
    )
    async def inactive_customers_xlsx(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        days: Days = DEFAULT_HORIZON_DAYS,
        status: InactiveStatus = None,
    ) -> Stream:
        window = Window(report_day(as_of) or await tenant_today(request), days)
        pages = inactive_pages(lambda: uow_for(request), window, status)
        return await _xlsx(INSTALLMENT_HEADER, pages, f"inactive-customers-{window.as_of.isoformat()}")

    @get("/overdue-by-rep", summary="Overdue installments per sales rep", responses=docs.READ)
    async def overdue_by_rep(
        self,
        request: Request[Any, Any, Any],
        as_of: FromQuery[date | None] = None,
        rep: RepQ = None,
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> OverdueByRepOut:
        day = report_day(as_of) or await tenant_today(request)
        after = _rep_key(cursor)
        async with uow_for(request) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            summary = await q.rep_summary(day)
            page = await q.overdue_by_rep(day, limit, after, rep)
        nxt = page.next_key
        return OverdueByRepOut(
            as_of=day,
            reps=[rep_out(s) for s in summary if rep is None or (s.rep or "") == rep.strip()],
            items=[block_out(b) for b in page.items],
            next_cursor=encode_cursor([nxt[0], nxt[1], str(nxt[2])]) if nxt else None,
        )

    @get(
        "/overdue-by-rep/export.csv",
        summary="Overdue installments per sales rep as CSV",
        responses={**docs.READ, **CSV_DOC},
    )
    async def overdue_by_rep_csv(
        self, request: Request[Any, Any, Any], as_of: FromQuery[date | None] = None, rep: RepQ = None
    ) -> Stream:
        day = report_day(as_of) or await tenant_today(request)
        pages = overdue_pages(lambda: uow_for(request), day, rep)
        return _csv(csv_chunks(INSTALLMENT_HEADER, pages), f"overdue-by-rep-{day.isoformat()}")

    @get(
        "/overdue-by-rep/export.xlsx",
        summary="Overdue installments per sales rep as XLSX",
        responses={**docs.READ, **XLSX_DOC},
    )
    async def overdue_by_rep_xlsx(
        self, request: Request[Any, Any, Any], as_of: FromQuery[date | None] = None, rep: RepQ = None
    ) -> Stream:
        day = report_day(as_of) or await tenant_today(request)
        pages = overdue_pages(lambda: uow_for(request), day, rep)
        return await _xlsx(INSTALLMENT_HEADER, pages, f"overdue-by-rep-{day.isoformat()}")

    @get(
        "/cash-receipts",
        summary="A day's payments by bank account and method, with allocations",
        responses=docs.READ,
    )
    async def cash_receipts(
        self,
        request: Request[Any, Any, Any],
        day: DayQ = None,
        method: SourceQ = None,
        limit: Limit = 50,
        cursor: FromQuery[str | None] = None,
    ) -> CashReceiptsOut:
        the_day = report_day(day, "date") or (await tenant_today(request)) - timedelta(days=1)
        offset = _offset(cursor)
        async with uow_for(request) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            groups = await q.cash_groups(the_day, method)
            receipts, more = await q.receipts(the_day, limit, offset, method)
        all_groups = tuple(groups)
        return CashReceiptsOut(
            date=the_day,
            groups=[group_out(g) for g in all_groups],
            totals=CashTotalsOut(
                count=sum(g.count for g in all_groups),
                amount=amounts(_total(g.amount for g in all_groups)),
                allocated=amounts(_total(g.allocated for g in all_groups)),
                unapplied=amounts(_total(g.unapplied for g in all_groups)),
            ),
            items=[receipt_out(r) for r in receipts],
            next_cursor=encode_cursor([offset + len(receipts)]) if more else None,
        )

    @get(
        "/cash-receipts/export.csv",
        summary="A day's cash receipts as CSV",
        responses={**docs.READ, **CSV_DOC},
    )
    async def cash_receipts_csv(
        self, request: Request[Any, Any, Any], day: DayQ = None, method: SourceQ = None
    ) -> Stream:
        the_day = report_day(day, "date") or (await tenant_today(request)) - timedelta(days=1)
        pages = cash_pages(lambda: uow_for(request), the_day, method)
        return _csv(csv_chunks(RECEIPT_HEADER, pages), f"cash-receipts-{the_day.isoformat()}")

    @get(
        "/cash-receipts/export.xlsx",
        summary="A day's cash receipts as XLSX",
        responses={**docs.READ, **XLSX_DOC},
    )
    async def cash_receipts_xlsx(
        self, request: Request[Any, Any, Any], day: DayQ = None, method: SourceQ = None
    ) -> Stream:
        the_day = report_day(day, "date") or (await tenant_today(request)) - timedelta(days=1)
        pages = cash_pages(lambda: uow_for(request), the_day, method)
        return await _xlsx(RECEIPT_HEADER, pages, f"cash-receipts-{the_day.isoformat()}")


def _total(items: Any) -> Totals:
    out = Totals()
    for t in items:
        out = out + t
    return out


def _csv(chunks: AsyncIterator[str], name: str) -> Stream:
    return Stream(chunks, media_type=CSV_TYPE, headers=_download(name, "csv"))


async def _xlsx(header: Any, pages: Any, name: str) -> Stream:
    return Stream(
        await xlsx_chunks(header, pages, name), media_type=XLSX_TYPE, headers=_download(name, "xlsx")
    )
