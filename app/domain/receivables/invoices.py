"""Invoice use cases: register an invoice and change the fields that may change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from app.domain.receivables.invoice_input import (
    InvoiceStatus,
    check_currency,
    check_dates,
    check_number,
    parse_amount,
    parse_date,
)
from app.domain.receivables.service_invoices import (
    follow_invoice_edit,
    open_installments,
    plan_for,
    planned_due_dates,
)
from app.domain.receivables.service_ports import LedgerUnitOfWork
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.events import DomainEvent
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class Invoice:
    id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    issue_date: date
    due_date: date
    amount: Money
    open_amount: Money
    status: InvoiceStatus
    external_ref: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "customer_id": str(self.customer_id),
            "number": self.number,
            "issue_date": self.issue_date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "amount": str(self.amount.amount),
            "open_amount": str(self.open_amount.amount),
            "currency": self.amount.currency,
            "status": self.status.value,
            "external_ref": self.external_ref,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


class InvoiceRepository(Protocol):
    async def get(self, invoice_id: uuid.UUID) -> Invoice | None: ...

    async def add(self, invoice: Invoice) -> None: ...

    async def update(self, invoice: Invoice) -> None: ...

    async def number_owner(self, number: str) -> uuid.UUID | None: ...

    async def external_ref_owner(self, external_ref: str) -> uuid.UUID | None: ...

    async def customer_exists(self, customer_id: uuid.UUID) -> bool: ...


class InvoicesUnitOfWork(LedgerUnitOfWork, Protocol):
    @property
    def invoices(self) -> InvoiceRepository: ...


CREATE_FIELDS = frozenset(
    {"customer_id", "number", "issue_date", "due_date", "amount", "currency", "external_ref", "description"}
)
PATCH_FIELDS = frozenset({"issue_date", "due_date", "amount", "external_ref", "description", "status"})


def _parse_uuid(raw: object, field: str, errors: list[FieldError]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        errors.append(FieldError(field, "must be a UUID"))
        return None


def _text(raw: object, field: str, limit: int, errors: list[FieldError]) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        errors.append(FieldError(field, "must be a string"))
        return None
    if len(raw.strip()) > limit:
        errors.append(FieldError(field, f"must be at most {limit} characters"))
        return None
    return raw.strip() or None


@dataclass(frozen=True, slots=True)
class InvoiceFields:
    """A new invoice's fields after every rule that needs no database has passed."""

    customer_id: uuid.UUID
    number: str
    issue_date: date
    due_date: date
    amount: Money
    external_ref: str | None
    description: str | None


def validate_new_invoice(
    data: dict[str, object], default_currency: str
) -> tuple[InvoiceFields | None, list[FieldError]]:
    """The rules for a new invoice that need no database: the API and imports share them."""
    errors: list[FieldError] = []
    for key in ("customer_id", "number", "issue_date", "due_date", "amount"):
        if data.get(key) in (None, ""):
            errors.append(FieldError(key, "is required"))
    if errors:
        return None, errors
    customer_id = _parse_uuid(data["customer_id"], "customer_id", errors)
    number = check_number(data["number"], errors)
    currency = check_currency(data.get("currency") or default_currency, errors)
    issue = parse_date(data["issue_date"], "issue_date", errors)
    due = parse_date(data["due_date"], "due_date", errors)
    check_dates(issue, due, errors)
    amount = parse_amount(data["amount"], currency, "amount", errors) if currency else None
    external_ref = _text(data.get("external_ref"), "external_ref", 80, errors)
    description = _text(data.get("description"), "description", 500, errors)
    if errors:
        return None, errors
    assert customer_id and number and issue and due and amount
    return InvoiceFields(customer_id, number, issue, due, amount, external_ref, description), []


def new_invoice(fields: InvoiceFields, now: datetime) -> Invoice:
    return Invoice(
        id=new_id(),
        customer_id=fields.customer_id,
        number=fields.number,
        issue_date=fields.issue_date,
        due_date=fields.due_date,
        amount=fields.amount,
        open_amount=fields.amount,
        status=InvoiceStatus.OPEN,
        external_ref=fields.external_ref,
        description=fields.description,
        created_at=now,
        updated_at=now,
    )


async def create_invoice(uow: InvoicesUnitOfWork, data: dict[str, object], default_currency: str) -> Invoice:
    """Register an invoice and its installments: one due on the invoice's due date by
    default, or ``installments`` ([{due_date, amount}], adding up to the amount), or
    ``terms`` ("30/60/90" days after issue, amount split evenly). With a plan, the
    invoice's due date is its last installment's (given or derived)."""
    plan_errors: list[FieldError] = []
    issue = parse_date(data["issue_date"], "issue_date", []) if data.get("issue_date") else None
    currency = check_currency(data.get("currency") or default_currency, [])
    planned = planned_due_dates(data, issue, currency, plan_errors)
    if planned:
        last = planned[-1][0]
        if data.get("due_date") in (None, ""):
            data = {**data, "due_date": last.isoformat()}
        elif parse_date(data["due_date"], "due_date", []) != last:
            plan_errors.append(FieldError("due_date", "must be the last installment's due date"))
    fields, errors = validate_new_invoice(data, default_currency)
    errors = [*errors, *plan_errors]
    customer_id = fields.customer_id if fields else _parse_uuid(data.get("customer_id"), "customer_id", [])
    if customer_id and data.get("customer_id") and not await uow.invoices.customer_exists(customer_id):
        errors.append(FieldError("customer_id", "no such customer"))
    if errors or fields is None:
        raise ValidationFailed(errors)
    if await uow.invoices.number_owner(fields.number):
        raise Conflict(f"invoice number {fields.number!r} already exists", field="number")
    if fields.external_ref and await uow.invoices.external_ref_owner(fields.external_ref):
        raise Conflict(
            f"external_ref {fields.external_ref!r} is already used by another invoice", field="external_ref"
        )
    invoice = new_invoice(fields, uow.now())
    plan = plan_for(invoice, planned)
    await uow.invoices.add(invoice)
    await open_installments(uow, plan)
    after = invoice.snapshot()
    uow.audit("create", "invoice", str(invoice.id), None, after)
    uow.record(DomainEvent("invoice.created", after))
    return invoice


async def update_invoice(uow: InvoicesUnitOfWork, invoice_id: uuid.UUID, data: dict[str, object]) -> Invoice:
    current = await uow.invoices.get(invoice_id)
    if current is None:
        raise NotFound("invoice not found")
    errors: list[FieldError] = [FieldError(k, "cannot be changed") for k in data if k not in PATCH_FIELDS]
    changes: dict[str, Any] = {}
    touched_by_money = current.open_amount != current.amount
    if "issue_date" in data:
        changes["issue_date"] = parse_date(data["issue_date"], "issue_date", errors)
    if "due_date" in data:
        changes["due_date"] = parse_date(data["due_date"], "due_date", errors)
    if "amount" in data:
        if touched_by_money:
            errors.append(FieldError("amount", "cannot change after payments or credits were applied"))
        else:
            amount = parse_amount(data["amount"], current.amount.currency, "amount", errors)
            if amount:
                changes["amount"] = amount
                changes["open_amount"] = amount
    if "external_ref" in data:
        changes["external_ref"] = _text(data["external_ref"], "external_ref", 80, errors)
    if "description" in data:
        changes["description"] = _text(data["description"], "description", 500, errors)
    if "status" in data:
        status = data["status"]
        if status == InvoiceStatus.CANCELLED.value:
            if touched_by_money:
                errors.append(FieldError("status", "an invoice with payments cannot be cancelled"))
            else:
                changes["status"] = InvoiceStatus.CANCELLED
        elif status != current.status.value:
            errors.append(FieldError("status", "only 'cancelled' may be set; other statuses follow payments"))
    check_dates(
        changes.get("issue_date", current.issue_date), changes.get("due_date", current.due_date), errors
    )
    if errors:
        raise ValidationFailed(errors)
    ref = changes.get("external_ref")
    if ref and ref != current.external_ref:
        owner = await uow.invoices.external_ref_owner(ref)
        if owner and owner != current.id:
            raise Conflict(f"external_ref {ref!r} is already used by another invoice", field="external_ref")
    updated = replace(current, **changes)
    if updated == current:
        return current
    updated = replace(updated, updated_at=uow.now())
    await uow.invoices.update(updated)
    await follow_invoice_edit(uow, current, updated)
    # Open amount and status follow the installments (a cancellation closes them).
    updated = await uow.invoices.get(current.id) or updated
    before, after = current.snapshot(), updated.snapshot()
    uow.audit("update", "invoice", str(current.id), before, after)
    changed = sorted(k for k in after if after[k] != before[k] and k != "updated_at")
    uow.record(DomainEvent("invoice.updated", {**after, "changed": changed}))
    return updated
