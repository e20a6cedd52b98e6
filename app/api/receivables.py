"""/api/v1/installments, /api/v1/credit-notes, /adjustments, /write-offs, /approvals"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy import and_, or_, select

from app.adapters.db.models import ChangeRequestRow, CustomerRow, InstallmentRow, TenantRow
from app.adapters.db.repositories.receivables import installment_of, is_consumer, request_of
from app.adapters.db.uow import SqlUnitOfWork
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.api.schemas_receivables import (
    AdjustmentIn,
    ChangeIn,
    ChangeRequestOut,
    ChangeRequestPage,
    DecisionIn,
    InstallmentDetail,
    InstallmentOut,
    InstallmentPage,
    LateChargesOut,
    LedgerEntryOut,
)
from app.domain.receivables.approval import Approver
from app.domain.receivables.invoice_input import parse_amount
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.late_charges import charges_as_of
from app.domain.receivables.service_changes import approve_change, reject_change, request_change, request_json
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.shared.clock import Clock, SystemClock
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.domain.tenancy.principal import Principal
from app.server.guards import principal_of, requires
from app.server.pagination import decode_cursor, encode_cursor

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]
InstallmentStatusQ = Annotated[
    str | None, QueryParameter(pattern="^(open|partially_paid|paid|written_off|cancelled)$")
]
ACTOR_NS = uuid.UUID("5b0c7d3e-8f1a-4c2b-9d6e-0a1b2c3d4e5f")


def actor_uuid(principal: Principal) -> uuid.UUID:
    """The maker/checker id: the user's id, or a stable id derived from the client."""
    return principal.actor_id or uuid.uuid5(ACTOR_NS, principal.actor)


def clock_for(request: Request[Any, Any, Any]) -> Clock:
    clock = request.app.state.services.extras.get("clock")
    return clock if clock is not None else SystemClock()


async def tenant_today(request: Request[Any, Any, Any], uow: SqlUnitOfWork) -> date:
    """Today in the tenant's time zone (DESIGN §5)."""
    tz = (
        await uow.session.execute(select(TenantRow.timezone).where(TenantRow.id == uow.tenant.value))
    ).scalar()
    return clock_for(request).today(tz or "UTC")


def _money(minor: int, currency: str) -> str:
    return str(Money.from_minor(minor, currency).amount)


def installment_out(
    row: InstallmentRow, policy: ReceivablesPolicy, today: date, tax_id: str | None
) -> InstallmentOut:
    """An installment with its late charges as of today on what is open (shown, not
    booked: they are assessed when a payment covers them)."""
    inst = installment_of(row)
    open_amount = Money.from_minor(row.open_minor, row.currency)
    charges = None
    if open_amount.is_positive():
        c = charges_as_of(
            inst, policy.late_charges, today, consumer=is_consumer(tax_id), principal=open_amount
        )
        charges = LateChargesOut(
            as_of=today.isoformat(),
            days_late=c.days_late,
            fine=str(c.fine.amount),
            interest=str(c.interest.amount),
            discount=str(c.discount.amount),
            total_due=str(c.total_due.amount),
        )
    return InstallmentOut(
        id=str(row.id),
        invoice_id=str(row.invoice_id),
        customer_id=str(row.customer_id),
        number=str(inst.number),
        due_date=row.due_date.isoformat(),
        amount=_money(row.amount_minor, row.currency),
        open_amount=str(open_amount.amount),
        currency=row.currency,
        status=row.status,
        bank_reference=row.bank_reference,
        document_number=row.document_number,
        txid=row.txid,
        days_late=max(0, (today - row.due_date).days),
        late_charges=charges,
    )


def entry_out(row: Any, reversed_ids: set[uuid.UUID]) -> LedgerEntryOut:
    return LedgerEntryOut(
        id=str(row.id),
        installment_id=str(row.installment_id),
        kind=row.kind,
        component=row.component,
        amount=_money(row.amount_minor, row.currency),
        currency=row.currency,
        effective_date=row.effective_date.isoformat(),
        payment_id=str(row.payment_id) if row.payment_id else None,
        reverses=str(row.reverses_entry_id) if row.reverses_entry_id else None,
        reason=row.reason_code,
        note=row.note,
        actor=row.actor,
        created_at=row.created_at.isoformat(),
        reversed=row.id in reversed_ids,
    )


async def installments_of_invoice(
    request: Request[Any, Any, Any], uow: SqlUnitOfWork, invoice_id: uuid.UUID
) -> list[InstallmentOut]:
    rows = await uow.installments.for_invoice(invoice_id)
    if not rows:
        return []
    policy = await uow.receivables_policy()
    today = await tenant_today(request, uow)
    tax_id = await uow.installments.customer_tax_id(rows[0].customer_id)
    return [installment_out(r, policy, today, tax_id) for r in rows]


def _after_cursor(cursor: str | None) -> tuple[date, uuid.UUID] | None:
    if not cursor:
        return None
    raw_due, raw_id = decode_cursor(cursor, 2)
    try:
        return date.fromisoformat(raw_due), uuid.UUID(raw_id)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc


class InstallmentController(Controller):
    path = "/api/v1/installments"
    tags = ["installments"]
    security = [{"oauth2": ["invoices:read"]}]

    @get("/", guards=[requires(Permission.INVOICES_READ)], summary="List installments", responses=docs.READ)
    async def list_installments(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromQuery[uuid.UUID | None] = None,
        invoice_id: FromQuery[uuid.UUID | None] = None,
        status: InstallmentStatusQ = None,
        due_from: FromQuery[date | None] = None,
        due_to: FromQuery[date | None] = None,
        overdue: FromQuery[bool | None] = None,
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> InstallmentPage:
        after = _after_cursor(cursor)
        i = InstallmentRow
        async with uow_for(request) as uow:
            today = await tenant_today(request, uow)
            policy = await uow.receivables_policy()
            stmt = uow.installments.scoped(i, i, CustomerRow.tax_id).join(
                CustomerRow, and_(CustomerRow.tenant_id == i.tenant_id, CustomerRow.id == i.customer_id)
            )
            if customer_id:
                stmt = stmt.where(i.customer_id == customer_id)
            if invoice_id:
                stmt = stmt.where(i.invoice_id == invoice_id)
            if status:
                stmt = stmt.where(i.status == status)
            if due_from:
                stmt = stmt.where(i.due_date >= due_from)
            if due_to:
                stmt = stmt.where(i.due_date <= due_to)
            if overdue is True:
                stmt = stmt.where(i.due_date < today, i.open_minor > 0)
            elif overdue is False:
                stmt = stmt.where(or_(i.due_date >= today, i.open_minor <= 0))
            if after is not None:
                stmt = stmt.where(or_(i.due_date > after[0], and_(i.due_date == after[0], i.id > after[1])))
            rows = (await uow.session.execute(stmt.order_by(i.due_date, i.id).limit(limit + 1))).all()
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1][0] if more and rows else None
        return InstallmentPage(
            items=[installment_out(r[0], policy, today, r.tax_id) for r in rows],
            next_cursor=encode_cursor([last.due_date.isoformat(), str(last.id)]) if last else None,
        )

    @get(
        "/{installment_id:str}",
        guards=[requires(Permission.INVOICES_READ)],
        summary="Get an installment with its ledger",
        responses=docs.READ_ONE,
    )
    async def get_installment(
        self, request: Request[Any, Any, Any], installment_id: FromPath[str]
    ) -> InstallmentDetail:
        iid = parse_id(installment_id, "installment")
        async with uow_for(request) as uow:
            row = await uow.installments.get_row(iid)
            if row is None:
                raise NotFound("installment not found")
            policy = await uow.receivables_policy()
            today = await tenant_today(request, uow)
            tax_id = await uow.installments.customer_tax_id(row.customer_id)
            entries = await uow.installments.entry_rows(iid)
            out = installment_out(row, policy, today, tax_id)
        gone = {e.reverses_entry_id for e in entries if e.reverses_entry_id}
        return InstallmentDetail(installment=out, entries=[entry_out(e, gone) for e in entries])


def _positive(raw: str | None, currency: str, field: str = "amount") -> Money | None:
    if raw is None:
        return None
    errors: list[FieldError] = []
    amount = parse_amount(raw, currency, field, errors)
    if errors or amount is None:
        raise ValidationFailed(errors)
    return amount


async def _installment_currency(uow: SqlUnitOfWork, installment_id: uuid.UUID) -> str:
    row = await uow.installments.get_row(installment_id)
    if row is None:
        raise ValidationFailed([FieldError("installment_id", "no such installment")])
    return row.currency


async def _change(
    request: Request[Any, Any, Any],
    kind: EntryKind,
    installment_id: uuid.UUID,
    amount_raw: str | None,
    reason: Any,
    note: str | None,
) -> Response[ChangeRequestOut]:
    principal = principal_of(request)
    async with uow_for(request) as uow:
        currency = await _installment_currency(uow, installment_id)
        if kind is EntryKind.ADJUSTMENT:
            assert amount_raw is not None
            negative = amount_raw.startswith("-")
            magnitude = _positive(amount_raw.lstrip("-"), currency)
            assert magnitude is not None
            amount: Money | None = -magnitude if negative else magnitude
        else:
            amount = _positive(amount_raw, currency)
            if amount is None and kind is not EntryKind.WRITE_OFF:
                raise ValidationFailed([FieldError("amount", "is required")])
        req = await request_change(
            uow,
            installment_id=installment_id,
            kind=kind,
            amount=amount,
            reason=reason,
            requested_by=actor_uuid(principal),
            on=await tenant_today(request, uow),
            note=note,
        )
        await uow.commit()
    status = 201 if req.state.value == "approved" else 202
    return Response(ChangeRequestOut(**request_json(req)), status_code=status)


WRITE: dict[str, Any] = {
    "guards": [requires(Permission.INVOICES_WRITE)],
    "security": [{"oauth2": ["invoices:write"]}],
}
CHANGE_RESPONSES = {
    **docs.CREATE,
    202: ResponseSpec(data_container=ChangeRequestOut, description="Waiting for approval"),
}


class ChangeController(Controller):
    """Manual changes: applied at once up to the tenant's approval threshold (201),
    otherwise left pending for another user's approval (202)."""

    path = "/api/v1"
    tags = ["changes"]

    @post(
        "/credit-notes", summary="Request a credit note", responses=CHANGE_RESPONSES, status_code=201, **WRITE
    )
    async def credit_note(
        self, request: Request[Any, Any, Any], data: JSONBody[ChangeIn]
    ) -> Response[ChangeRequestOut]:
        return await _change(
            request, EntryKind.CREDIT_NOTE, data.installment_id, data.amount, data.reason, data.note
        )

    @post("/write-offs", summary="Request a write-off", responses=CHANGE_RESPONSES, status_code=201, **WRITE)
    async def write_off(
        self, request: Request[Any, Any, Any], data: JSONBody[ChangeIn]
    ) -> Response[ChangeRequestOut]:
        return await _change(
            request, EntryKind.WRITE_OFF, data.installment_id, data.amount, data.reason, data.note
        )

    @post(
        "/adjustments", summary="Request an adjustment", responses=CHANGE_RESPONSES, status_code=201, **WRITE
    )
    async def adjustment(
        self, request: Request[Any, Any, Any], data: JSONBody[AdjustmentIn]
    ) -> Response[ChangeRequestOut]:
        return await _change(
            request, EntryKind.ADJUSTMENT, data.installment_id, data.amount, data.reason, data.note
        )


# ``state`` is a reserved name in Litestar handlers: the query key is mapped instead.
ApprovalStateQ = Annotated[
    str, QueryParameter(name="state", pattern="^(pending|requested|approved|rejected)$")
]


class ApprovalController(Controller):
    path = "/api/v1/approvals"
    tags = ["approvals"]
    security = [{"oauth2": ["invoices:read"]}]

    @get(
        "/", guards=[requires(Permission.INVOICES_READ)], summary="List change requests", responses=docs.READ
    )
    async def list_approvals(
        self,
        request: Request[Any, Any, Any],
        approval_state: ApprovalStateQ = "pending",
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> ChangeRequestPage:
        wanted = "requested" if approval_state == "pending" else approval_state
        after = None
        if cursor:
            (raw,) = decode_cursor(cursor, 1)
            try:
                after = uuid.UUID(str(raw))
            except ValueError as exc:
                raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc
        c = ChangeRequestRow
        async with uow_for(request) as uow:
            stmt = uow.change_requests.scoped(c).where(c.state == wanted)
            if after is not None:
                stmt = stmt.where(c.id > after)
            rows = list((await uow.session.execute(stmt.order_by(c.id).limit(limit + 1))).scalars())
        more = len(rows) > limit
        rows = rows[:limit]
        return ChangeRequestPage(
            items=[ChangeRequestOut(**request_json(request_of(r))) for r in rows],
            next_cursor=encode_cursor([str(rows[-1].id)]) if more and rows else None,
        )

    @post(
        "/{request_id:str}/approve",
        guards=[requires(Permission.APPROVALS_DECIDE)],
        summary="Approve a change request (another user than the requester)",
        responses=docs.UPDATE,
        status_code=200,
        security=[{"oauth2": ["approvals:decide"]}],
    )
    async def approve(
        self, request: Request[Any, Any, Any], request_id: FromPath[str], data: JSONBody[DecisionIn]
    ) -> ChangeRequestOut:
        rid = parse_id(request_id, "approval request")
        async with uow_for(request) as uow:
            decided = await approve_change(uow, rid, Approver(actor_uuid(principal_of(request))), data.note)
            await uow.commit()
        return ChangeRequestOut(**request_json(decided))

    @post(
        "/{request_id:str}/reject",
        guards=[requires(Permission.APPROVALS_DECIDE)],
        summary="Reject a change request (a note says why)",
        responses=docs.UPDATE,
        status_code=200,
        security=[{"oauth2": ["approvals:decide"]}],
    )
    async def reject(
        self, request: Request[Any, Any, Any], request_id: FromPath[str], data: JSONBody[DecisionIn]
    ) -> ChangeRequestOut:
        rid = parse_id(request_id, "approval request")
        async with uow_for(request) as uow:
            decided = await reject_change(
                uow, rid, Approver(actor_uuid(principal_of(request))), data.note or ""
            )
            await uow.commit()
        return ChangeRequestOut(**request_json(decided))
