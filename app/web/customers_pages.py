"""Customers: the list (search, filters, sort, pages over HTMX), the customer page, forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.repositories.customers import CustomerFilter
from app.domain.customers import service
from app.domain.customers.model import CustomerStatus
from app.domain.shared.errors import Conflict, NotFound, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.pages import (
    PER_PAGE,
    Shell,
    conflict_errors,
    field_errors,
    form_data,
    is_partial,
    parse_page,
    parse_uuid,
    queries,
    render,
    shell,
    uow_of,
)

FORM_FIELDS = (
    "name",
    "legal_name",
    "tax_id",
    "country",
    "email",
    "phone",
    "segment",
    "region",
    "sales_rep",
    "status",
    "external_ref",
)
STATUSES = [s.value for s in CustomerStatus]
SORTS = ("name", "created", "status")


def _list_params(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The view's state as it lives in the URL; unknown values fall back to defaults."""
    qp = request.query_params
    status = qp.get("status") or ""
    sort = qp.get("sort") or "name"
    return {
        "q": (qp.get("q") or "").strip()[:200],
        "status": status if status in STATUSES else "",
        "segment": (qp.get("segment") or "")[:80],
        "region": (qp.get("region") or "")[:80],
        "sort": sort if sort in SORTS else "name",
        "dir": "desc" if qp.get("dir") == "desc" else "asc",
    }


class CustomerPages(Controller):
    path = "/customers"
    include_in_schema = False

    @get("/", guards=[requires(Permission.CUSTOMERS_READ)])
    async def list_customers(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _list_params(request)
        page_no = parse_page(request.query_params.get("page"))
        f = CustomerFilter(
            q=params["q"] or None,
            status=params["status"] or None,
            segment=params["segment"] or None,
            region=params["region"] or None,
        )
        async with uow_of(request, sh) as uow:
            q = queries(uow)
            page = await q.customers(f, params["sort"], params["dir"] == "desc", page_no, PER_PAGE)
            segments, regions = await q.customer_facets() if not is_partial(request) else ([], [])
        filtered = any(params[k] for k in ("q", "status", "segment", "region"))
        context: dict[str, Any] = {"page": page, "params": params, "filtered": filtered, "statuses": STATUSES}
        if is_partial(request):
            return render(sh, "customers/_table.html", **context)
        return render(sh, "customers/list.html", segments=segments, regions=regions, **context)

    @get("/new", guards=[requires(Permission.CUSTOMERS_WRITE)])
    async def new_customer(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        values = {"country": "BR" if sh.tenant.currency == "BRL" else "", "status": "active"}
        return _form(sh, values, {}, None)

    @post("/", guards=[requires(Permission.CUSTOMERS_WRITE)])
    async def create_customer(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        data: dict[str, object] = {k: values.get(k, "") for k in FORM_FIELDS}
        try:
            async with uow_of(request, sh) as uow:
                customer = await service.create_customer(uow, data)
                await uow.commit()
        except ValidationFailed as exc:
            return _form(sh, values, field_errors(exc.errors), None, status=422)
        except Conflict as exc:
            return _form(sh, values, field_errors(conflict_errors(exc)), None, status=409)
        return Redirect(f"/customers/{customer.id}", status_code=303)

    @get("/{customer_id:str}", guards=[requires(Permission.CUSTOMERS_READ)])
    async def show_customer(self, request: Request[Any, Any, Any], customer_id: FromPath[str]) -> Template:
        sh = await shell(request)
        cid = parse_uuid(customer_id)
        async with uow_of(request, sh) as uow:
            customer = await uow.customers.get(cid)
            if customer is None:
                raise NotFoundException("This customer does not exist.")
            q = queries(uow)
            contacts = await q.contacts(cid)
            invoices = await q.open_invoices_of(cid)
        totals: dict[str, Decimal] = {}
        overdue: dict[str, Decimal] = {}
        rows = []
        for inv in invoices:
            open_amount = Money.from_minor(inv.open_minor, inv.currency)
            late = (sh.today - inv.due_date).days
            totals[inv.currency] = totals.get(inv.currency, Decimal(0)) + open_amount.amount
            if late > 0:
                overdue[inv.currency] = overdue.get(inv.currency, Decimal(0)) + open_amount.amount
            rows.append({"row": inv, "days_late": max(late, 0)})
        oldest = max((r["days_late"] for r in rows), default=0)
        return render(
            sh,
            "customers/detail.html",
            customer=customer,
            contacts=contacts,
            invoices=rows,
            totals=[Money(v, k) for k, v in sorted(totals.items())],
            overdue=[Money(v, k) for k, v in sorted(overdue.items())],
            oldest_days_late=oldest,
        )

    @get("/{customer_id:str}/edit", guards=[requires(Permission.CUSTOMERS_WRITE)])
    async def edit_customer(self, request: Request[Any, Any, Any], customer_id: FromPath[str]) -> Template:
        sh = await shell(request)
        cid = parse_uuid(customer_id)
        async with uow_of(request, sh) as uow:
            customer = await uow.customers.get(cid)
        if customer is None:
            raise NotFoundException("This customer does not exist.")
        snapshot = customer.snapshot()
        values = {k: "" if snapshot.get(k) is None else str(snapshot[k]) for k in FORM_FIELDS}
        return _form(sh, values, {}, str(cid))

    @post("/{customer_id:str}", guards=[requires(Permission.CUSTOMERS_WRITE)])
    async def update_customer(
        self, request: Request[Any, Any, Any], customer_id: FromPath[str]
    ) -> Response[Any]:
        sh = await shell(request)
        cid = parse_uuid(customer_id)
        values = await form_data(request)
        data: dict[str, object] = {k: values[k] for k in FORM_FIELDS if k in values}
        try:
            async with uow_of(request, sh) as uow:
                await service.update_customer(uow, cid, data)
                await uow.commit()
        except NotFound as exc:
            raise NotFoundException("This customer does not exist.") from exc
        except ValidationFailed as exc:
            return _form(sh, values, field_errors(exc.errors), str(cid), status=422)
        except Conflict as exc:
            return _form(sh, values, field_errors(conflict_errors(exc)), str(cid), status=409)
        return Redirect(f"/customers/{cid}", status_code=303)


def _form(
    sh: Shell, values: dict[str, str], errors: dict[str, str], customer_id: str | None, status: int = 200
) -> Template:
    return render(
        sh,
        "customers/form.html",
        status=status,
        values=values,
        errors=errors,
        customer_id=customer_id,
        statuses=STATUSES,
    )


ROUTES = [CustomerPages]
