"""Report pages for the sales team and Finance: inactive customers' installments,
overdue by sales rep, daily cash receipts — filters in the URL, totals, CSV/XLSX
exports and a "send now" for the e-mailed ones."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Stream, Template

from app.adapters.db.queries_reports import ReportQueries
from app.adapters.reports.delivery import mail_transport, send_report
from app.adapters.reports.export import CSV_TYPE, XLSX_TYPE
from app.adapters.reports.streams import cash_pages, csv_chunks, inactive_pages, overdue_pages, xlsx_chunks
from app.domain.reporting.model import Totals
from app.domain.reporting.rules import DEFAULT_HORIZON_DAYS, INACTIVE_STATUSES, MAX_HORIZON_DAYS, Window
from app.domain.reporting.settings import CASH_RECEIPTS, OVERDUE_BY_REP
from app.domain.reporting.tables import INSTALLMENT_HEADER, RECEIPT_HEADER
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor
from app.web.pages import Shell, form_data, is_partial, parse_date_param, render, services_of, shell, uow_of

PAGE = 25
METHODS = ("bank_return", "statement", "pix", "manual", "stripe")
# Sending is for those who run the money side (Finance, admins): PAYMENTS_WRITE.
SEND = requires(Permission.REPORTS_READ, Permission.PAYMENTS_WRITE)


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(int(raw or default), high))
    except ValueError:
        return default


def _cursor(raw: str | None, arity: int) -> list[Any] | None:
    if not raw:
        return None
    try:
        return decode_cursor(raw, arity)
    except Exception:  # a hand-edited URL starts from the first page
        return None


def _sum(items: Any) -> Totals:
    out = Totals()
    for t in items:
        out = out + t
    return out


def _download(name: str, ext: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}.{ext}"', "Cache-Control": "no-store"}


def _file(kind: str, header: Any, pages: AsyncIterator[Any], name: str) -> Stream:
    if kind == "csv":
        return Stream(csv_chunks(header, pages), media_type=CSV_TYPE, headers=_download(name, "csv"))

    async def body() -> AsyncIterator[bytes]:
        for chunk in await xlsx_chunks(header, pages, name):
            yield chunk

    return Stream(body(), media_type=XLSX_TYPE, headers=_download(name, "xlsx"))


class _Params:
    @staticmethod
    def inactive(request: Request[Any, Any, Any], sh: Shell) -> dict[str, str]:
        qp = request.query_params
        as_of = parse_date_param(qp.get("as_of")) or sh.today
        status = qp.get("status") or ""
        return {
            "as_of": as_of.isoformat(),
            "days": str(_int(qp.get("days"), DEFAULT_HORIZON_DAYS, 0, MAX_HORIZON_DAYS)),
            "status": status if status in INACTIVE_STATUSES else "",
        }

    @staticmethod
    def overdue(request: Request[Any, Any, Any], sh: Shell) -> dict[str, str]:
        qp = request.query_params
        as_of = parse_date_param(qp.get("as_of")) or sh.today
        rep = qp.get("rep")
        return {
            "as_of": as_of.isoformat(),
            "rep": (rep or "").strip()[:120],
            "has_rep": "1" if rep is not None else "",
        }

    @staticmethod
    def cash(request: Request[Any, Any, Any], sh: Shell) -> dict[str, str]:
        qp = request.query_params
        day = parse_date_param(qp.get("date")) or sh.today - timedelta(days=1)
        method = qp.get("method") or ""
        return {"date": day.isoformat(), "method": method if method in METHODS else ""}


class ReportPages(Controller):
    path = "/reports"
    include_in_schema = False
    guards = [requires(Permission.REPORTS_READ)]

    @get("/")
    async def index(self) -> Redirect:
        return Redirect("/reports/overdue-by-rep", status_code=303)

    # --- inactive customers ----------------------------------------------------------

    @get("/inactive-customers")
    async def inactive_customers(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _Params.inactive(request, sh)
        window = Window(date.fromisoformat(params["as_of"]), int(params["days"]))
        key = _cursor(request.query_params.get("cursor"), 2)
        after = (str(key[0]), uuid.UUID(str(key[1]))) if key else None
        async with uow_of(request, sh) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            page = await q.inactive_customers(window, PAGE, after, params["status"] or None)
            totals = await q.inactive_totals(window, params["status"] or None)
        nxt = encode_cursor([page.next_key[0], str(page.next_key[1])]) if page.next_key else None
        context: dict[str, Any] = {
            "params": params,
            "window": window,
            "blocks": page.items,
            "totals": totals,
            "next_cursor": nxt,
            "paged": bool(after),
            "statuses": INACTIVE_STATUSES,
        }
        template = "reports/_inactive_table.html" if is_partial(request) else "reports/inactive.html"
        return render(sh, template, **context)

    @get(["/inactive-customers/export.csv", "/inactive-customers/export.xlsx"])
    async def inactive_customers_export(self, request: Request[Any, Any, Any]) -> Stream:
        sh = await shell(request)
        params = _Params.inactive(request, sh)
        window = Window(date.fromisoformat(params["as_of"]), int(params["days"]))
        pages = inactive_pages(lambda: uow_of(request, sh), window, params["status"] or None)
        return _file(_kind(request), INSTALLMENT_HEADER, pages, f"inactive-customers-{params['as_of']}")

    # --- overdue by sales rep ----------------------------------------------------------

    @get("/overdue-by-rep")
    async def overdue_by_rep(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _Params.overdue(request, sh)
        as_of = date.fromisoformat(params["as_of"])
        key = _cursor(request.query_params.get("cursor"), 3)
        after = (str(key[0]), str(key[1]), uuid.UUID(str(key[2]))) if key else None
        rep = params["rep"] if params["has_rep"] else None
        async with uow_of(request, sh) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            summary = await q.rep_summary(as_of)
            page = await q.overdue_by_rep(as_of, PAGE, after, rep)
        nxt = page.next_key
        context: dict[str, Any] = {
            "params": params,
            "as_of": as_of,
            "summary": summary,
            "total": _sum(s.overdue for s in summary),
            "blocks": page.items,
            "next_cursor": encode_cursor([nxt[0], nxt[1], str(nxt[2])]) if nxt else None,
            "paged": bool(after),
            "send_id": uuid.uuid4().hex,
            "sent": request.query_params.get("sent"),
        }
        template = "reports/_overdue_table.html" if is_partial(request) else "reports/overdue.html"
        return render(sh, template, **context)

    @get(["/overdue-by-rep/export.csv", "/overdue-by-rep/export.xlsx"])
    async def overdue_by_rep_export(self, request: Request[Any, Any, Any]) -> Stream:
        sh = await shell(request)
        params = _Params.overdue(request, sh)
        rep = params["rep"] if params["has_rep"] else None
        pages = overdue_pages(lambda: uow_of(request, sh), date.fromisoformat(params["as_of"]), rep)
        return _file(_kind(request), INSTALLMENT_HEADER, pages, f"overdue-by-rep-{params['as_of']}")

    @post("/overdue-by-rep/send", guards=[SEND])
    async def send_overdue(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        form = await form_data(request)
        as_of = parse_date_param(form.get("as_of")) or sh.today
        rep = (form.get("rep") or "").strip() or None
        outcome = await _send(request, sh, OVERDUE_BY_REP, as_of, form.get("send_id", ""), only_rep=rep)
        return Redirect(f"/reports/overdue-by-rep?as_of={as_of.isoformat()}&sent={outcome}", status_code=303)

    # --- daily cash receipts -----------------------------------------------------------

    @get("/cash-receipts")
    async def cash_receipts(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _Params.cash(request, sh)
        day = date.fromisoformat(params["date"])
        page_no = _int(request.query_params.get("page"), 1, 1, 100_000)
        async with uow_of(request, sh) as uow:
            q = ReportQueries(uow.session, uow.tenant)
            groups = await q.cash_groups(day, params["method"] or None)
            receipts, more = await q.receipts(day, PAGE, (page_no - 1) * PAGE, params["method"] or None)
        context: dict[str, Any] = {
            "params": params,
            "report_day": day,
            "groups": groups,
            "count": sum(g.count for g in groups),
            "amount": _sum(g.amount for g in groups),
            "allocated": _sum(g.allocated for g in groups),
            "unapplied": _sum(g.unapplied for g in groups),
            "receipts": receipts,
            "page_no": page_no,
            "more": more,
            "methods": METHODS,
            "prev_day": (day - timedelta(days=1)).isoformat(),
            "next_day": (day + timedelta(days=1)).isoformat(),
            "send_id": uuid.uuid4().hex,
            "sent": request.query_params.get("sent"),
        }
        template = "reports/_cash_table.html" if is_partial(request) else "reports/cash.html"
        return render(sh, template, **context)

    @get(["/cash-receipts/export.csv", "/cash-receipts/export.xlsx"])
    async def cash_receipts_export(self, request: Request[Any, Any, Any]) -> Stream:
        sh = await shell(request)
        params = _Params.cash(request, sh)
        pages = cash_pages(
            lambda: uow_of(request, sh), date.fromisoformat(params["date"]), params["method"] or None
        )
        return _file(_kind(request), RECEIPT_HEADER, pages, f"cash-receipts-{params['date']}")

    @post("/cash-receipts/send", guards=[SEND])
    async def send_cash(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        form = await form_data(request)
        day = parse_date_param(form.get("date")) or sh.today - timedelta(days=1)
        outcome = await _send(request, sh, CASH_RECEIPTS, sh.today, form.get("send_id", ""), day=day)
        return Redirect(f"/reports/cash-receipts?date={day.isoformat()}&sent={outcome}", status_code=303)


def _kind(request: Request[Any, Any, Any]) -> str:
    return "xlsx" if request.url.path.endswith(".xlsx") else "csv"


async def _send(
    request: Request[Any, Any, Any],
    sh: Shell,
    report: str,
    as_of: date,
    send_id: str,
    *,
    only_rep: str | None = None,
    day: date | None = None,
) -> str:
    """Send now; ``send_id`` comes with the page, so a double submit sends once.
    Returns ``<delivered>-<failed>-<skipped>`` counts for the confirmation banner."""
    services = services_of(request)
    token = "".join(c for c in send_id if c.isalnum())[:32] or uuid.uuid4().hex
    suffix = f"manual-{token}"
    outcome = await send_report(
        lambda: uow_of(request, sh),
        services.sessions,
        sh.principal.tenant,
        mail_transport(services.settings, services.extras.get("mail_transport")),
        report,
        as_of,
        key_suffix=suffix,
        only_rep=only_rep,
        day=day,
        manual=True,
    )
    return f"{len(outcome.delivered)}-{len(outcome.failed)}-{len(outcome.skipped)}"


ROUTES = [ReportPages]
