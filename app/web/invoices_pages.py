"""Invoices: the list (status, due range, customer; sort; pages), the invoice page, forms."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.queries_payments_web import PaymentWebQueries
from app.adapters.db.queries_web import UNPAID, WebInvoiceFilter
from app.domain.receivables import invoices as use_cases
from app.domain.receivables import service_changes
from app.domain.receivables.invoice_input import InvoiceStatus
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.format import plain_amount
from app.web.invoice_installments import (
    CHANGE_KINDS,
    REASON_LABELS,
    installment_views,
    parse_change_form,
    reason_choices,
)
from app.web.pages import (
    PER_PAGE,
    Shell,
    conflict_errors,
    field_errors,
    form_data,
    is_partial,
    parse_amount_input,
    parse_date_param,
    parse_page,
    parse_uuid,
    queries,
    render,
    shell,
    uow_of,
)

STATUS_FILTERS = ["unpaid", "overdue", *(s.value for s in InvoiceStatus)]
SORTS = ("due", "amount", "number", "customer")
CREATE_FIELDS = (
    "customer_id",
    "number",
    "issue_date",
    "due_date",
    "amount",
    "currency",
    "external_ref",
    "description",
)
EDIT_FIELDS = ("issue_date", "due_date", "amount", "external_ref", "description")
NOTICES = ("change_applied", "change_pending")


def _list_params(request: Request[Any, Any, Any]) -> dict[str, str]:
    qp = request.query_params
    status = qp.get("status") or ""
    sort = qp.get("sort") or "due"
    due_from = parse_date_param(qp.get("due_from"))
    due_to = parse_date_param(qp.get("due_to"))
    customer = qp.get("customer") or ""
    return {
        "q": (qp.get("q") or "").strip()[:100],
        "status": status if status in STATUS_FILTERS else "",
        "due_from": due_from.isoformat() if due_from else "",
        "due_to": due_to.isoformat() if due_to else "",
        "customer": customer if _is_uuid(customer) else "",
        "sort": sort if sort in SORTS else "due",
        "dir": "desc" if qp.get("dir") == "desc" else "asc",
    }


def _is_uuid(raw: str) -> bool:
    try:
        parse_uuid(raw)
    except NotFoundException:
        return False
    return True


class InvoicePages(Controller):
    path = "/invoices"
    include_in_schema = False

    @get("/", guards=[requires(Permission.INVOICES_READ)])
    async def list_invoices(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _list_params(request)
        f = WebInvoiceFilter(
            status=params["status"] or None,
            customer_id=parse_uuid(params["customer"]) if params["customer"] else None,
            due_from=parse_date_param(params["due_from"]),
            due_to=parse_date_param(params["due_to"]),
            q=params["q"] or None,
        )
        page_no = parse_page(request.query_params.get("page"))
        async with uow_of(request, sh) as uow:
            q = queries(uow)
            page = await q.invoices(f, sh.today, params["sort"], params["dir"] == "desc", page_no, PER_PAGE)
            customer_name = await q.customer_name(f.customer_id) if f.customer_id else None
        rows = [{"row": r, "days_late": _days_late(sh, r)} for r in page.rows]
        filtered = any(params[k] for k in ("q", "status", "due_from", "due_to", "customer"))
        context: dict[str, Any] = {
            "page": page,
            "rows": rows,
            "params": params,
            "filtered": filtered,
            "statuses": STATUS_FILTERS,
            "customer_name": customer_name,
        }
        if is_partial(request):
            return render(sh, "invoices/_table.html", **context)
        return render(sh, "invoices/list.html", **context)

    @get("/new", guards=[requires(Permission.INVOICES_WRITE)])
    async def new_invoice(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        customer = request.query_params.get("customer") or ""
        values = {
            "customer_id": customer if _is_uuid(customer) else "",
            "currency": sh.tenant.currency,
            "issue_date": sh.today.isoformat(),
        }
        return await _create_form(request, sh, values, {})

    @post("/", guards=[requires(Permission.INVOICES_WRITE)])
    async def create_invoice(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        data: dict[str, object] = {k: values.get(k, "").strip() for k in CREATE_FIELDS}
        data["amount"] = parse_amount_input(values.get("amount", ""), sh.locale)
        data["currency"] = (values.get("currency") or sh.tenant.currency).strip().upper()
        for optional in ("external_ref", "description"):
            data[optional] = data[optional] or None
        try:
            async with uow_of(request, sh) as uow:
                invoice = await use_cases.create_invoice(uow, data, sh.tenant.currency)
                await uow.commit()
        except ValidationFailed as exc:
            return await _create_form(request, sh, values, field_errors(exc.errors), status=422)
        except Conflict as exc:
            return await _create_form(request, sh, values, field_errors(conflict_errors(exc)), status=409)
        return Redirect(f"/invoices/{invoice.id}", status_code=303)

    @get("/{invoice_id:str}", guards=[requires(Permission.INVOICES_READ)])
    async def show_invoice(self, request: Request[Any, Any, Any], invoice_id: FromPath[str]) -> Template:
        sh = await shell(request)
        notice = request.query_params.get("notice")
        return await _invoice_page(request, sh, parse_uuid(invoice_id), notice=notice)

    @post(
        "/{invoice_id:str}/installments/{installment_id:str}/changes",
        guards=[requires(Permission.INVOICES_WRITE)],
    )
    async def request_change(
        self, request: Request[Any, Any, Any], invoice_id: FromPath[str], installment_id: FromPath[str]
    ) -> Response[Any]:
        """A credit note, adjustment or write-off on one installment: applied at once up
        to the tenant's threshold, otherwise left for another user's approval."""
        sh = await shell(request)
        iid, inst_id = parse_uuid(invoice_id), parse_uuid(installment_id)
        values = await form_data(request)
        async with uow_of(request, sh) as uow:
            row = await uow.installments.get_row(inst_id)
            if row is None or row.invoice_id != iid:
                raise NotFoundException("This installment does not exist.")
            form = parse_change_form(values, row.currency, sh.locale)
            try:
                if form.errors or form.kind is None or form.reason is None:
                    raise ValidationFailed(form.errors)
                change = await service_changes.request_change(
                    uow,
                    installment_id=inst_id,
                    kind=form.kind,
                    amount=form.amount,
                    reason=form.reason,
                    requested_by=sh.user.user_id,
                    on=sh.today,
                    note=form.note,
                )
                await uow.commit()
            except ValidationFailed as exc:
                failed: tuple[int, list[FieldError]] = (422, exc.errors)
            except Conflict as exc:
                failed = (409, conflict_errors(exc))
            else:
                notice = "change_applied" if change.state.value == "approved" else "change_pending"
                return Redirect(f"/invoices/{iid}?notice={notice}#inst-{inst_id}", status_code=303)
        status, errors = failed
        return await _invoice_page(
            request, sh, iid, status=status, change_for=inst_id, values=values, errors=field_errors(errors)
        )

    @get("/{invoice_id:str}/edit", guards=[requires(Permission.INVOICES_WRITE)])
    async def edit_invoice(self, request: Request[Any, Any, Any], invoice_id: FromPath[str]) -> Template:
        sh = await shell(request)
        iid = parse_uuid(invoice_id)
        async with uow_of(request, sh) as uow:
            invoice = await uow.invoices.get(iid)
            if invoice is None:
                raise NotFoundException("This invoice does not exist.")
            customer_name = await queries(uow).customer_name(invoice.customer_id)
        values = {
            "issue_date": invoice.issue_date.isoformat(),
            "due_date": invoice.due_date.isoformat(),
            "amount": plain_amount(invoice.amount, sh.locale),
            "external_ref": invoice.external_ref or "",
            "description": invoice.description or "",
        }
        return _edit_form(sh, invoice, customer_name, values, {})

    @post("/{invoice_id:str}", guards=[requires(Permission.INVOICES_WRITE)])
    async def update_invoice(
        self, request: Request[Any, Any, Any], invoice_id: FromPath[str]
    ) -> Response[Any]:
        sh = await shell(request)
        iid = parse_uuid(invoice_id)
        values = await form_data(request)
        async with uow_of(request, sh) as uow:
            current = await uow.invoices.get(iid)
            if current is None:
                raise NotFoundException("This invoice does not exist.")
            customer_name = await queries(uow).customer_name(current.customer_id)
            # Send only what changed: the amount, for one, may not be re-sent once paid into.
            before = current.snapshot()
            data: dict[str, object] = {}
            for key in EDIT_FIELDS:
                raw = values.get(key, "").strip()
                if key == "amount":
                    raw = parse_amount_input(raw, sh.locale)
                if raw != (before.get(key) or ""):
                    data[key] = raw or None if key in ("external_ref", "description") else raw
            if values.get("cancel") == "yes":
                data["status"] = InvoiceStatus.CANCELLED.value
            try:
                if data:
                    await use_cases.update_invoice(uow, iid, data)
                    await uow.commit()
            except NotFound as exc:
                raise NotFoundException("This invoice does not exist.") from exc
            except ValidationFailed as exc:
                return _edit_form(sh, current, customer_name, values, field_errors(exc.errors), status=422)
            except Conflict as exc:
                errors = field_errors(conflict_errors(exc))
                return _edit_form(sh, current, customer_name, values, errors, status=409)
        return Redirect(f"/invoices/{iid}", status_code=303)


async def _invoice_page(
    request: Request[Any, Any, Any],
    sh: Shell,
    iid: Any,
    *,
    status: int = 200,
    notice: str | None = None,
    change_for: Any = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    """The invoice with its installments; a change form that failed shows its errors."""
    async with uow_of(request, sh) as uow:
        invoice = await uow.invoices.get(iid)
        if invoice is None:
            raise NotFoundException("This invoice does not exist.")
        customer_name = await queries(uow).customer_name(invoice.customer_id)
        installments = await installment_views(uow, invoice.id, invoice.customer_id, sh.today)
        boleto_ok, pix_ok = await PaymentWebQueries(uow.session, uow.tenant).document_accounts()
    unpaid = invoice.status.value in UNPAID
    late = (sh.today - invoice.due_date).days if unpaid else 0
    return render(
        sh,
        "invoices/detail.html",
        status=status,
        invoice=invoice,
        customer_name=customer_name,
        days_late=max(late, 0),
        due_in=-late if unpaid and late < 0 else None,
        paid=invoice.amount.amount - invoice.open_amount.amount,
        installments=installments,
        boleto_ok=boleto_ok,
        pix_ok=pix_ok,
        notice=notice if notice in NOTICES else None,
        change_for=change_for,
        values=values or {},
        errors=errors or {},
        change_kinds=[k.value for k in CHANGE_KINDS],
        reasons=reason_choices(CHANGE_KINDS),
        reason_labels=REASON_LABELS,
    )


def _days_late(sh: Shell, row: Any) -> int:
    if row.status not in UNPAID:
        return 0
    return max(int((sh.today - row.due_date).days), 0)


async def _create_form(
    request: Request[Any, Any, Any],
    sh: Shell,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    async with uow_of(request, sh) as uow:
        choices = await queries(uow).customer_choices()
    return render(
        sh, "invoices/form.html", status=status, values=values, errors=errors, invoice=None, customers=choices
    )


def _edit_form(
    sh: Shell,
    invoice: Any,
    customer_name: str | None,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    return render(
        sh,
        "invoices/form.html",
        status=status,
        values=values,
        errors=errors,
        invoice=invoice,
        customer_name=customer_name,
        customers=[],
    )


ROUTES = [InvoicePages]
