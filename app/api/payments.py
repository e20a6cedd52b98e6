"""/api/v1/payments: record money received, allocate it, reverse, refund."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy import select

from app.adapters.db.models import PaymentRow, TenantRow
from app.adapters.db.repositories.receivables_payments import payment_of
from app.adapters.db.uow import SqlUnitOfWork
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.api.receivables import actor_uuid, entry_out, tenant_today
from app.api.schemas_receivables import (
    AllocateIn,
    PaymentDetail,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    RefundIn,
    RefundOut,
    ReverseIn,
)
from app.domain.receivables.invoice_input import check_currency, parse_amount, parse_date
from app.domain.receivables.payments import Payer, PaymentSource
from app.domain.receivables.service import (
    AllocationLine,
    NewPayment,
    allocate_payment,
    payment_json,
    record_payment,
    refund_payment,
    reverse_payment_allocation,
)
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.guards import principal_of, requires
from app.server.idempotency import run_idempotent
from app.server.pagination import decode_cursor, encode_cursor

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]
PaymentStatusQ = Annotated[
    str | None, QueryParameter(pattern="^(unapplied|partially_applied|applied|refunded)$")
]
CREATE_PAYMENT = {
    **docs.CREATE,
    200: ResponseSpec(
        data_container=PaymentOut, description="Already recorded: the payment with this external_id"
    ),
}
WRITE: dict[str, Any] = {
    "guards": [requires(Permission.PAYMENTS_WRITE)],
    "security": [{"oauth2": ["payments:write"]}],
}


async def _tenant_currency(uow: SqlUnitOfWork) -> str:
    value = (
        await uow.session.execute(select(TenantRow.currency).where(TenantRow.id == uow.tenant.value))
    ).scalar()
    return value or "BRL"


def _amount(raw: str, currency: str, field: str = "amount") -> Money:
    errors: list[FieldError] = []
    amount = parse_amount(raw, currency, field, errors)
    if errors or amount is None:
        raise ValidationFailed(errors)
    return amount


async def _detail(uow: SqlUnitOfWork, payment_id: uuid.UUID) -> PaymentDetail:
    row = await uow.payments.get_row(payment_id)
    if row is None:
        raise NotFound("payment not found")
    entries = await uow.payments.entry_rows(payment_id)
    refunds = await uow.payments.refunds(payment_id)
    gone = {e.reverses_entry_id for e in entries if e.reverses_entry_id}
    return PaymentDetail(
        payment=PaymentOut(**payment_json(payment_of(row))),
        allocations=[
            entry_out(e, gone) for e in entries if e.kind in ("payment_allocation", "allocation_reversal")
        ],
        refunds=[RefundOut(str(r.id), str(r.amount.amount), r.on.isoformat(), r.reason) for r in refunds],
    )


class PaymentController(Controller):
    path = "/api/v1/payments"
    tags = ["payments"]
    security = [{"oauth2": ["payments:read"]}]

    @get("/", guards=[requires(Permission.PAYMENTS_READ)], summary="List payments", responses=docs.READ)
    async def list_payments(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromQuery[uuid.UUID | None] = None,
        status: PaymentStatusQ = None,
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> PaymentPage:
        after = None
        if cursor:
            (raw,) = decode_cursor(cursor, 1)
            try:
                after = uuid.UUID(str(raw))
            except ValueError as exc:
                raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc
        p = PaymentRow
        async with uow_for(request) as uow:
            stmt = uow.payments.scoped(p)
            if customer_id:
                stmt = stmt.where(p.customer_id == customer_id)
            if status:
                stmt = stmt.where(p.status == status)
            if after:
                stmt = stmt.where(p.id > after)
            rows = list((await uow.session.execute(stmt.order_by(p.id).limit(limit + 1))).scalars())
        more = len(rows) > limit
        rows = rows[:limit]
        return PaymentPage(
            items=[PaymentOut(**payment_json(payment_of(r))) for r in rows],
            next_cursor=encode_cursor([str(rows[-1].id)]) if more and rows else None,
        )

    @post(
        "/",
        summary="Record a payment received (manual entry)",
        description=(
            "Idempotent twice over: an `Idempotency-Key` header replays the first response, and the "
            "same `external_id` (default: the Idempotency-Key) never records a second payment — the "
            "existing one is returned with status 200."
        ),
        responses=CREATE_PAYMENT,
        status_code=201,
        **WRITE,
    )
    async def create_payment(
        self, request: Request[Any, Any, Any], data: JSONBody[PaymentIn]
    ) -> Response[Any]:
        key = (request.headers.get("idempotency-key") or "").strip()
        async with uow_for(request) as uow:
            currency = data.currency or await _tenant_currency(uow)
            errors: list[FieldError] = []
            currency = check_currency(currency, errors) or currency
            value_date = parse_date(data.value_date, "value_date", errors)
            amount = parse_amount(data.amount, currency, "amount", errors) if not errors else None
            if errors or value_date is None or amount is None:
                raise ValidationFailed(errors)
            external_id = data.external_id or (f"manual:{key}" if key else f"manual:{new_id()}")
            new = NewPayment(
                source=PaymentSource.MANUAL,
                external_id=external_id,
                amount=amount,
                value_date=value_date,
                reference=data.reference,
                payer=Payer(tax_id=data.payer_tax_id, name=data.payer_name, account=data.payer_account),
                customer_id=data.customer_id,
            )

            async def create() -> tuple[int, Any, dict[str, str]]:
                rec, created = await record_payment(uow, new)
                location = {"Location": f"/api/v1/payments/{rec.payment.id}"}
                return (201 if created else 200), payment_json(rec), location

            return await run_idempotent(request, uow, create)

    @get(
        "/{payment_id:str}",
        guards=[requires(Permission.PAYMENTS_READ)],
        summary="Get a payment with its allocations",
        responses=docs.READ_ONE,
    )
    async def get_payment(self, request: Request[Any, Any, Any], payment_id: FromPath[str]) -> PaymentDetail:
        async with uow_for(request) as uow:
            return await _detail(uow, parse_id(payment_id, "payment"))

    @post(
        "/{payment_id:str}/allocations",
        summary="Allocate a payment to installments",
        description=(
            'Either `{"allocations": [{"installment_id", "amount"}]}` (each amount must fit what is '
            'open) or `{"strategy": "oldest_first", "customer_id"}`. Late charges as of the value date '
            "are assessed and settled first when the amount covers face value plus charges."
        ),
        responses=docs.UPDATE,
        status_code=200,
        **WRITE,
    )
    async def allocate(
        self, request: Request[Any, Any, Any], payment_id: FromPath[str], data: JSONBody[AllocateIn]
    ) -> PaymentDetail:
        pid = parse_id(payment_id, "payment")
        principal = principal_of(request)
        async with uow_for(request) as uow:
            rec = await uow.payments.get(pid)
            if rec is None:
                raise NotFound("payment not found")
            lines = [
                AllocationLine(
                    a.installment_id, _amount(a.amount, rec.payment.currency, f"allocations[{n}].amount")
                )
                for n, a in enumerate(data.allocations or [])
            ]
            await allocate_payment(
                uow,
                pid,
                lines=lines,
                oldest_first=data.strategy == "oldest_first",
                oldest_first_customer=data.customer_id,
                actor_id=actor_uuid(principal),
            )
            await uow.commit()
        async with uow_for(request) as uow:
            return await _detail(uow, pid)

    @post(
        "/{payment_id:str}/allocations/{entry_id:str}/reverse",
        summary="Reverse one allocation (a reason is required)",
        responses=docs.UPDATE,
        status_code=200,
        **WRITE,
    )
    async def reverse(
        self,
        request: Request[Any, Any, Any],
        payment_id: FromPath[str],
        entry_id: FromPath[str],
        data: JSONBody[ReverseIn],
    ) -> PaymentDetail:
        pid = parse_id(payment_id, "payment")
        eid = parse_id(entry_id, "allocation")
        async with uow_for(request) as uow:
            on = await tenant_today(request, uow)
            await reverse_payment_allocation(
                uow, pid, eid, data.reason, on, note=data.note, actor_id=actor_uuid(principal_of(request))
            )
            await uow.commit()
        async with uow_for(request) as uow:
            return await _detail(uow, pid)

    @post(
        "/{payment_id:str}/refunds",
        summary="Refund part of a payment's unapplied cash",
        responses=docs.UPDATE,
        status_code=201,
        **WRITE,
    )
    async def refund(
        self, request: Request[Any, Any, Any], payment_id: FromPath[str], data: JSONBody[RefundIn]
    ) -> PaymentDetail:
        pid = parse_id(payment_id, "payment")
        async with uow_for(request) as uow:
            rec = await uow.payments.get(pid)
            if rec is None:
                raise NotFound("payment not found")
            errors: list[FieldError] = []
            on = parse_date(data.date, "date", errors) if data.date else await tenant_today(request, uow)
            if errors or on is None:
                raise ValidationFailed(errors)
            await refund_payment(uow, pid, _amount(data.amount, rec.payment.currency), on, data.reason)
            await uow.commit()
        async with uow_for(request) as uow:
            return await _detail(uow, pid)
