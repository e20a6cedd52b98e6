"""Payments: the list (status incl. unapplied cash, source, value dates, customer; sort;
pages), the payment page, and the actions on it — record a manual payment, allocate,
reverse an allocation, refund unapplied cash. Every action is a receivables use case
(``app/domain/receivables/service.py``) behind the permission the API asks for."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.queries_payments_web import (
    PAYMENT_FILTERS,
    PAYMENT_SORTS,
    PaymentWebQueries,
    WebPaymentFilter,
)
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.invoice_input import parse_amount, parse_date
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.payments import Payer, PaymentSource
from app.domain.receivables.reasons import ReasonCode, reasons_for
from app.domain.receivables.service import (
    AllocationLine,
    NewPayment,
    allocate_payment,
    record_payment,
    refund_payment,
    reverse_payment_allocation,
)
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.invoice_installments import REASON_LABELS
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

SOURCES = [s.value for s in PaymentSource]
NOTICES = ("recorded", "already_recorded", "allocated", "reversed", "refunded")
REVERSAL_REASONS = reasons_for(EntryKind.ALLOCATION_REVERSAL)
# Allocation amounts arrive as "amount_<installment id>", one input per open installment.
LINE_PREFIX = "amount_"


def _is_uuid(raw: str) -> bool:
    try:
        uuid.UUID(raw)
    except ValueError:
        return False
    return True


def _list_params(request: Request[Any, Any, Any]) -> dict[str, str]:
    qp = request.query_params
    status = qp.get("status") or ""
    source = qp.get("source") or ""
    sort = qp.get("sort") or "date"
    date_from = parse_date_param(qp.get("from"))
    date_to = parse_date_param(qp.get("to"))
    customer = qp.get("customer") or ""
    return {
        "q": (qp.get("q") or "").strip()[:100],
        "status": status if status in PAYMENT_FILTERS else "",
        "source": source if source in SOURCES else "",
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        "customer": customer if _is_uuid(customer) else "",
        "sort": sort if sort in PAYMENT_SORTS else "date",
        # Newest money first unless asked otherwise.
        "dir": "asc" if qp.get("dir") == "asc" else "desc",
    }


def _pq(uow: SqlUnitOfWork) -> PaymentWebQueries:
    return PaymentWebQueries(uow.session, uow.tenant)


def _amount(raw: str, currency: str, locale: str, field: str, errors: list[FieldError]) -> Money | None:
    text = parse_amount_input(raw, locale)
    if not text:
        errors.append(FieldError(field, "is required"))
        return None
    return parse_amount(text, currency, field, errors)


class PaymentPages(Controller):
    path = "/payments"
    include_in_schema = False

    @get("/", guards=[requires(Permission.PAYMENTS_READ)])
    async def list_payments(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        params = _list_params(request)
        f = WebPaymentFilter(
            status=params["status"] or None,
            source=params["source"] or None,
            customer_id=uuid.UUID(params["customer"]) if params["customer"] else None,
            date_from=parse_date_param(params["from"]),
            date_to=parse_date_param(params["to"]),
            q=params["q"] or None,
        )
        page_no = parse_page(request.query_params.get("page"))
        async with uow_of(request, sh) as uow:
            page = await _pq(uow).payments(f, params["sort"], params["dir"] == "desc", page_no, PER_PAGE)
            customer_name = await queries(uow).customer_name(f.customer_id) if f.customer_id else None
        filtered = any(params[k] for k in ("q", "status", "source", "from", "to", "customer"))
        context: dict[str, Any] = {
            "page": page,
            "params": params,
            "filtered": filtered,
            "statuses": PAYMENT_FILTERS,
            "sources": SOURCES,
            "customer_name": customer_name,
        }
        if is_partial(request):
            return render(sh, "payments/_table.html", **context)
        return render(sh, "payments/list.html", **context)

    @get("/new", guards=[requires(Permission.PAYMENTS_WRITE)])
    async def new_payment(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        customer = request.query_params.get("customer") or ""
        values = {
            # One key per form shown: submitting it twice names the same payment.
            "key": str(uuid.uuid4()),
            "customer_id": customer if _is_uuid(customer) else "",
            "value_date": sh.today.isoformat(),
        }
        return await _payment_form(request, sh, values, {})

    @post("/", guards=[requires(Permission.PAYMENTS_WRITE)])
    async def record(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        key = values.get("key", "").strip()
        errors: list[FieldError] = []
        if not _is_uuid(key):
            # A form always carries its key; without one a resubmission could not be recognised.
            errors.append(FieldError("__all__", "This form has expired: reload it and submit again."))
        currency = sh.tenant.currency
        amount = _amount(values.get("amount", ""), currency, sh.locale, "amount", errors)
        value_date = parse_date(values.get("value_date", "").strip(), "value_date", errors)
        reference = values.get("reference", "").strip()
        if not reference:
            errors.append(FieldError("reference", "is required"))
        customer = values.get("customer_id", "").strip()
        if customer and not _is_uuid(customer):
            errors.append(FieldError("customer_id", "no such customer"))
        if errors or amount is None or value_date is None:
            return await _payment_form(request, sh, values, field_errors(errors), status=422)
        external_id = f"manual:{key}"
        new = NewPayment(
            source=PaymentSource.MANUAL,
            external_id=external_id,
            amount=amount,
            value_date=value_date,
            reference=reference[:200],
            payer=Payer(
                tax_id=values.get("payer_tax_id", "").strip() or None,
                name=values.get("payer_name", "").strip() or None,
            ),
            customer_id=uuid.UUID(customer) if customer else None,
        )
        try:
            async with uow_of(request, sh) as uow:
                rec, created = await record_payment(uow, new)
                await uow.commit()
        except ValidationFailed as exc:
            return await _payment_form(request, sh, values, field_errors(exc.errors), status=422)
        except Conflict as exc:
            # Two submits at the same instant: the loser finds the winner's payment.
            async with uow_of(request, sh) as uow:
                winner = await uow.payments.by_external_id(external_id)
            if winner is None or winner.payment.amount != amount or winner.payment.value_date != value_date:
                return await _payment_form(
                    request, sh, values, field_errors(conflict_errors(exc)), status=409
                )
            rec, created = winner, False
        notice = "recorded" if created else "already_recorded"
        return Redirect(f"/payments/{rec.payment.id}?notice={notice}", status_code=303)

    @get("/{payment_id:str}", guards=[requires(Permission.PAYMENTS_READ)])
    async def show_payment(self, request: Request[Any, Any, Any], payment_id: FromPath[str]) -> Template:
        sh = await shell(request)
        pid = parse_uuid(payment_id)
        customer = request.query_params.get("customer") or ""
        return await _payment_page(
            request,
            sh,
            pid,
            notice=request.query_params.get("notice"),
            allocate_customer=uuid.UUID(customer) if _is_uuid(customer) else None,
        )

    @post("/{payment_id:str}/allocations", guards=[requires(Permission.PAYMENTS_WRITE)])
    async def allocate(self, request: Request[Any, Any, Any], payment_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        pid = parse_uuid(payment_id)
        values = await form_data(request)
        oldest_first = values.get("strategy") == "oldest_first"
        customer_raw = values.get("customer_id", "")
        customer = uuid.UUID(customer_raw) if _is_uuid(customer_raw) else None
        async with uow_of(request, sh) as uow:
            rec = await uow.payments.get(pid)
            if rec is None:
                raise NotFoundException("This payment does not exist.")
            errors: list[FieldError] = []
            lines: list[AllocationLine] = []
            if not oldest_first:
                for name, raw in values.items():
                    if not name.startswith(LINE_PREFIX) or not raw.strip():
                        continue
                    target = name[len(LINE_PREFIX) :]
                    amount = _amount(raw, rec.payment.currency, sh.locale, name, errors)
                    if not _is_uuid(target):
                        errors.append(FieldError("allocations", "no such installment"))
                    elif amount is not None:
                        lines.append(AllocationLine(uuid.UUID(target), amount))
                if not lines and not errors:
                    errors.append(FieldError("allocations", "Enter an amount on at least one installment."))
            failed = await _attempt(
                uow,
                errors,
                lambda: allocate_payment(
                    uow,
                    pid,
                    lines=lines,
                    oldest_first=oldest_first,
                    oldest_first_customer=customer,
                    actor_id=sh.user.user_id,
                ),
            )
        if failed is None:
            return Redirect(f"/payments/{pid}?notice=allocated", status_code=303)
        status, problems = failed
        return await _payment_page(
            request,
            sh,
            pid,
            status=status,
            form="allocate",
            values=values,
            errors=field_errors(problems),
            allocate_customer=customer,
        )

    @post(
        "/{payment_id:str}/allocations/{entry_id:str}/reverse", guards=[requires(Permission.PAYMENTS_WRITE)]
    )
    async def reverse(
        self, request: Request[Any, Any, Any], payment_id: FromPath[str], entry_id: FromPath[str]
    ) -> Response[Any]:
        sh = await shell(request)
        pid, eid = parse_uuid(payment_id), parse_uuid(entry_id)
        values = await form_data(request)
        raw_reason = values.get("reason", "")
        reason = ReasonCode(raw_reason) if raw_reason in ReasonCode._value2member_map_ else None
        note = values.get("note", "").strip() or None
        errors = [] if reason is not None else [FieldError("reason", "a reason is required")]
        async with uow_of(request, sh) as uow:
            failed = await _attempt(
                uow,
                errors,
                lambda: reverse_payment_allocation(
                    uow, pid, eid, reason or ReasonCode.OTHER, sh.today, note=note, actor_id=sh.user.user_id
                ),
            )
        if failed is None:
            return Redirect(f"/payments/{pid}?notice=reversed", status_code=303)
        status, problems = failed
        return await _payment_page(
            request,
            sh,
            pid,
            status=status,
            form=f"reverse:{eid}",
            values=values,
            errors=field_errors(problems),
        )

    @post("/{payment_id:str}/refunds", guards=[requires(Permission.PAYMENTS_WRITE)])
    async def refund(self, request: Request[Any, Any, Any], payment_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        pid = parse_uuid(payment_id)
        values = await form_data(request)
        async with uow_of(request, sh) as uow:
            rec = await uow.payments.get(pid)
            if rec is None:
                raise NotFoundException("This payment does not exist.")
            errors: list[FieldError] = []
            amount = _amount(values.get("amount", ""), rec.payment.currency, sh.locale, "amount", errors)
            reason = values.get("reason", "").strip()
            if not reason:
                errors.append(FieldError("reason", "a refund needs a reason"))
            failed = await _attempt(
                uow,
                errors,
                lambda: refund_payment(uow, pid, amount or rec.payment.amount, sh.today, reason),
            )
        if failed is None:
            return Redirect(f"/payments/{pid}?notice=refunded", status_code=303)
        status, problems = failed
        return await _payment_page(
            request, sh, pid, status=status, form="refund", values=values, errors=field_errors(problems)
        )


async def _attempt(
    uow: SqlUnitOfWork, errors: list[FieldError], action: Any
) -> tuple[int, list[FieldError]] | None:
    """Run a use case and commit, or say why not: (status, errors) for the form.

    Errors found while reading the form stop it before the use case runs; a payment
    or allocation of another tenant is simply not found."""
    if errors:
        return 422, errors
    try:
        await action()
        await uow.commit()
    except NotFound as exc:
        raise NotFoundException(exc.detail) from exc
    except ValidationFailed as exc:
        return 422, exc.errors
    except Conflict as exc:
        return 409, conflict_errors(exc)
    return None


async def _payment_form(
    request: Request[Any, Any, Any],
    sh: Shell,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    async with uow_of(request, sh) as uow:
        choices = await queries(uow).customer_choices()
    return render(sh, "payments/form.html", status=status, values=values, errors=errors, customers=choices)


async def _payment_page(
    request: Request[Any, Any, Any],
    sh: Shell,
    pid: uuid.UUID,
    *,
    status: int = 200,
    notice: str | None = None,
    form: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    allocate_customer: uuid.UUID | None = None,
) -> Template:
    async with uow_of(request, sh) as uow:
        pq = _pq(uow)
        found = await pq.payment(pid)
        if found is None:
            raise NotFoundException("This payment does not exist.")
        payment = found[0]
        entries = await pq.payment_entries(pid)
        refunds = await pq.refunds(pid)
        audit = await pq.audit_of("payment", pid) if sh.can("audit:read") else []
        # Allocate to the payment's customer, or to one the user picks for an unidentified payment.
        target = payment.customer_id or allocate_customer
        can_allocate = sh.can("payments:write") and payment.unapplied_minor > 0
        open_items = (
            await pq.open_installments_of(target, payment.currency) if target and can_allocate else []
        )
        target_name = await queries(uow).customer_name(target) if target else None
        choices = await queries(uow).customer_choices() if can_allocate and not payment.customer_id else []
    reversed_ids = {e[0].reverses_entry_id for e in entries if e[0].reverses_entry_id}
    return render(
        sh,
        "payments/detail.html",
        status=status,
        payment=payment,
        customer_name=found.customer_name,
        entries=entries,
        reversed_ids=reversed_ids,
        refunds=refunds,
        audit=audit,
        notice=notice if notice in NOTICES else None,
        form=form,
        values=values or {},
        errors=errors or {},
        target=target,
        target_name=target_name,
        open_items=open_items,
        can_allocate=can_allocate,
        customers=choices,
        reversal_reasons=REVERSAL_REASONS,
        line_prefix=LINE_PREFIX,
        reason_labels=REASON_LABELS,
    )


ROUTES = [PaymentPages]
