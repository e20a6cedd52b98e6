"""Aging report page: buckets × groups with totals, drill-down to the installments
behind a cell, CSV/XLSX exports. Register ``aging_pages.ROUTES`` in ``app/web/__init__.py``."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from litestar import Request, get
from litestar.response import Stream, Template

from app.adapters.db.queries_aging import EXPORT_HEADER, GROUP_BY, AgingQueries, export_row
from app.adapters.db.repositories.receivables_settings import load_policy
from app.adapters.files.writer import safe_cell
from app.adapters.files.xlsx_export import XlsxWriter
from app.domain.receivables.aging import aging_grid
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.pages import Shell, parse_date_param, parse_uuid, render, shell, uow_of

DRILL_LIMIT = 200


def _params(request: Request[Any, Any, Any], sh: Shell) -> dict[str, Any]:
    qp = request.query_params
    group_by = qp.get("group_by") or "customer"
    return {
        "as_of": parse_date_param(qp.get("as_of")) or sh.today,
        "group_by": group_by if group_by in GROUP_BY else "customer",
        "bucket": qp.get("bucket") or "",
        "customer": qp.get("customer") or "",
        "all": "1" if qp.get("all") == "1" else "",
    }


# A page of 20,000 customers helps nobody: the largest groups first, the rest on request
# (the totals always include every group).
TOP_ROWS = 200


@get("/reports/aging", guards=[requires(Permission.REPORTS_READ)], include_in_schema=False)
async def aging_page(request: Request[Any, Any, Any]) -> Template:
    sh = await shell(request)
    params = _params(request, sh)
    as_of: date = params["as_of"]
    maintained = as_of >= sh.today
    async with uow_of(request, sh) as uow:
        buckets = (await load_policy(uow.session, uow.tenant)).buckets
        q = AgingQueries(uow.session, uow.tenant)
        cells = await q.summary(as_of, buckets, params["group_by"], maintained=maintained)
        items = None
        if params["bucket"] in buckets.labels or params["customer"]:
            customer = parse_uuid(params["customer"]) if params["customer"] else None
            bucket = params["bucket"] if params["bucket"] in buckets.labels else None
            rows, _ = await q.items_page(
                as_of, buckets, maintained=maintained, limit=DRILL_LIMIT, bucket=bucket, customer_id=customer
            )
            items = [export_row(r, as_of, buckets) for r in rows]
    rows, totals = aging_grid(cells, buckets.labels)
    return render(
        sh,
        "reports/aging.html",
        params={k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()},
        labels=buckets.labels,
        rows=rows,
        totals=totals,
        items=items,
        basis="maintained" if maintained else "ledger",
        drill_limit=DRILL_LIMIT,
        shown=len(rows) if params["all"] else TOP_ROWS,
    )


async def _export_rows(
    request: Request[Any, Any, Any], sh: Shell, as_of: date
) -> AsyncIterator[list[object]]:
    async with uow_of(request, sh) as uow:
        buckets = (await load_policy(uow.session, uow.tenant)).buckets
        async for batch in AgingQueries(uow.session, uow.tenant).stream_items(
            as_of, buckets, maintained=as_of >= sh.today
        ):
            for r in batch:
                yield export_row(r, as_of, buckets)


@get("/reports/aging/export.csv", guards=[requires(Permission.REPORTS_READ)], include_in_schema=False)
async def aging_csv(request: Request[Any, Any, Any]) -> Stream:
    sh = await shell(request)
    as_of = _params(request, sh)["as_of"]

    async def body() -> AsyncIterator[bytes]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        buf.write("\ufeff")
        writer.writerow(EXPORT_HEADER)
        async for row in _export_rows(request, sh, as_of):
            writer.writerow([safe_cell(v) for v in row])
            if buf.tell() > 64 * 1024:
                yield buf.getvalue().encode()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode()

    return Stream(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="aging-{as_of.isoformat()}.csv"'},
    )


@get("/reports/aging/export.xlsx", guards=[requires(Permission.REPORTS_READ)], include_in_schema=False)
async def aging_xlsx(request: Request[Any, Any, Any]) -> Stream:
    sh = await shell(request)
    as_of = _params(request, sh)["as_of"]
    sheet = XlsxWriter("aging", EXPORT_HEADER)
    async for row in _export_rows(request, sh, as_of):
        sheet.append(row)
    return Stream(
        sheet.chunks(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="aging-{as_of.isoformat()}.xlsx"'},
    )


ROUTES = [aging_page, aging_csv, aging_xlsx]
