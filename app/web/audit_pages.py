"""The audit log: filters, pages, and a CSV export that spreadsheets cannot be tricked by."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.response import Stream, Template

from app.adapters.db.queries_web import AuditFilter
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.pages import Shell, is_partial, parse_date_param, parse_page, queries, render, shell, uow_of

PER_PAGE = 50
CSV_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "reason", "request_id", "before", "after")
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    qp = request.query_params
    start = parse_date_param(qp.get("from"))
    end = parse_date_param(qp.get("to"))
    return {
        "entity": (qp.get("entity") or "")[:60],
        "action": (qp.get("action") or "")[:40],
        "actor": (qp.get("actor") or "").strip()[:160],
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
    }


def _local_midnight(day: date, tz: str) -> datetime:
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(0), tzinfo=zone)


def _filter(sh: Shell, params: dict[str, str]) -> AuditFilter:
    # The dates are the tenant's calendar days; "to" includes its whole day.
    start = parse_date_param(params["from"])
    end = parse_date_param(params["to"])
    tz = sh.tenant.timezone
    return AuditFilter(
        entity=params["entity"] or None,
        action=params["action"] or None,
        actor=params["actor"] or None,
        at_from=_local_midnight(start, tz) if start else None,
        at_to=_local_midnight(end + timedelta(days=1), tz) if end else None,
    )


def _row(r: Any) -> list[object]:
    return [
        r.at.isoformat(),
        r.actor,
        r.action,
        r.entity,
        r.entity_id,
        r.reason,
        r.request_id,
        json.dumps(r.before, sort_keys=True, ensure_ascii=False) if r.before is not None else "",
        json.dumps(r.after, sort_keys=True, ensure_ascii=False) if r.after is not None else "",
    ]


class AuditPages(Controller):
    path = "/admin/audit"
    include_in_schema = False

    @get("/", guards=[requires(Permission.AUDIT_READ)])
    async def audit_log(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _params(request)
        async with uow_of(request, sh) as uow:
            q = queries(uow)
            page = await q.audit(_filter(sh, params), parse_page(request.query_params.get("page")), PER_PAGE)
            entities, actions = await q.audit_facets() if not is_partial(request) else ([], [])
        filtered = any(params.values())
        context: dict[str, Any] = {"page": page, "params": params, "filtered": filtered}
        if is_partial(request):
            return render(sh, "admin/_audit_table.html", **context)
        return render(sh, "admin/audit.html", entities=entities, actions=actions, **context)

    @get("/export.csv", guards=[requires(Permission.AUDIT_EXPORT)])
    async def export(self, request: Request[Any, Any, Any]) -> Stream:
        sh = await shell(request)
        audit_filter = _filter(sh, _params(request))
        uow = uow_of(request, sh)

        async def body() -> AsyncIterator[str]:
            yield csv_lines([CSV_COLUMNS])
            async with uow:
                async for batch in queries(uow).audit_stream(audit_filter):
                    yield csv_lines(_row(r) for r in batch)

        filename = f"audit-{sh.tenant.slug}-{sh.today.isoformat()}.csv"
        return Stream(
            body(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


ROUTES = [AuditPages]
